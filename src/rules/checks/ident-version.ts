import type { Rule } from '../rule.js';
import { EV_CURRENT } from '../../model/constants.js';

export const identVersion: Rule = {
  id: 'ident-version',
  category: 'gabi',
  severity: 'warning',
  summary: 'EI_VERSION must be EV_CURRENT (1)',
  explanation: `e_ident[EI_VERSION] is the version of the ELF specification the file follows; the
only defined value is EV_CURRENT (1). Linux does not read it, libelf and eu-elflint do.

Fix: set EI_VERSION to 1.`,
  *check(elf) {
    if (elf.ident.version !== EV_CURRENT) {
      yield {
        field: 'e_ident[EI_VERSION]',
        message: `EI_VERSION is ${elf.ident.version}; the only defined version is EV_CURRENT (1). Set it to 1`,
        actual: elf.ident.version,
        expected: '1',
      };
    }
  },
};
