import type { Rule } from '../rule.js';
import { PT_INTERP, PT_LOAD } from '../../model/constants.js';
import { phdrField } from '../facts.js';

export const interpOrder: Rule = {
  id: 'interp-order',
  category: 'gabi',
  severity: 'warning',
  summary: 'PT_INTERP must come before every PT_LOAD entry',
  explanation: `The gABI requires PT_INTERP, if present, to precede any loadable segment entry in the
program header table. Linux finds it wherever it is, but other loaders and tools that
stop at the first PT_LOAD do not.

Fix: move the PT_INTERP entry before the first PT_LOAD.`,
  *check(elf) {
    const firstLoad = elf.programHeaders.find((phdr) => phdr.p_type === PT_LOAD);
    if (!firstLoad) return;
    for (const phdr of elf.programHeaders) {
      if (phdr.p_type === PT_INTERP && phdr.index > firstLoad.index) {
        yield {
          field: phdrField(phdr, 'p_type'),
          message: `PT_INTERP is entry ${phdr.index}, after PT_LOAD entry ${firstLoad.index}; move it before the first PT_LOAD`,
          actual: phdr.index,
          expected: `< ${firstLoad.index}`,
        };
      }
    }
  },
};
