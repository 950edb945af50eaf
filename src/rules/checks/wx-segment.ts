import type { Rule } from '../rule.js';
import { PF_W, PF_X, segmentFlagsText } from '../../model/constants.js';
import { loadSegments, phdrField } from '../facts.js';

export const wxSegment: Rule = {
  id: 'wx-segment',
  category: 'hardening',
  severity: 'warning',
  summary: 'A PT_LOAD segment should not be both writable and executable',
  explanation: `A segment mapped writable and executable lets any memory-corruption bug write code and
run it, defeating W^X. Linux loads it without complaint. Modern linkers keep code and
data in separate segments; a W+X segment usually comes from a linker script, an old
toolchain or -N/--omagic.

Fix: split code and writable data into separate PT_LOADs (drop -N, or fix the linker
script).`,
  *check(elf) {
    for (const phdr of loadSegments(elf)) {
      if ((phdr.p_flags & PF_W) !== 0 && (phdr.p_flags & PF_X) !== 0) {
        yield {
          field: phdrField(phdr, 'p_flags'),
          message: `PT_LOAD ${phdr.index} is writable and executable (${segmentFlagsText(phdr.p_flags)}); split code and data into separate segments`,
          actual: segmentFlagsText(phdr.p_flags),
          expected: 'not both W and X',
        };
      }
    }
  },
};
