import type { Rule } from '../rule.js';
import { EV_CURRENT } from '../../model/constants.js';

export const headerVersion: Rule = {
  id: 'header-version',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_version must be EV_CURRENT (1)',
  explanation: `e_version repeats the ELF version as a 32-bit field; the only defined value is
EV_CURRENT (1). Linux ignores it; libelf-based tools reject other values.

Fix: set e_version to 1.`,
  *check(elf) {
    const version = elf.header?.e_version;
    if (version !== undefined && version !== EV_CURRENT) {
      yield {
        field: 'e_version',
        message: `e_version is ${version}; the only defined version is EV_CURRENT (1). Set it to 1`,
        actual: version,
        expected: '1',
      };
    }
  },
};
