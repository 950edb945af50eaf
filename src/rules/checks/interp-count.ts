import type { Rule } from '../rule.js';
import { PT_INTERP } from '../../model/constants.js';
import { phdrField } from '../facts.js';

export const interpCount: Rule = {
  id: 'interp-count',
  category: 'gabi',
  severity: 'warning',
  summary: 'A file may have at most one PT_INTERP segment',
  explanation: `PT_INTERP names the program interpreter (the dynamic linker). The gABI allows it at most
once. Linux uses the first PT_INTERP and ignores the rest, so a second one is dead weight
at best and, at worst, a sign that two files were stitched together.

Fix: remove the extra PT_INTERP entries.`,
  *check(elf) {
    const interps = elf.programHeaders.filter((phdr) => phdr.p_type === PT_INTERP);
    for (const extra of interps.slice(1)) {
      yield {
        field: phdrField(extra, 'p_type'),
        message: `segment ${extra.index} is a second PT_INTERP (the first is segment ${interps[0]!.index}); Linux ignores it. Remove it`,
        actual: `${interps.length} PT_INTERP`,
        expected: 'at most 1',
      };
    }
  },
};
