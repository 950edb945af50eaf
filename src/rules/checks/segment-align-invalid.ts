import type { Rule } from '../rule.js';
import { hex, isPowerOfTwo } from '../../model/hex.js';
import { phdrField } from '../facts.js';

export const segmentAlignInvalid: Rule = {
  id: 'segment-align-invalid',
  category: 'gabi',
  severity: 'warning',
  summary: 'p_align must be 0, 1 or a power of two',
  explanation: `p_align is the alignment of a segment in memory and in the file. The gABI allows 0 and 1
(no alignment) and positive powers of two. Linux ignores p_align for ET_EXEC files; for
ET_DYN it uses the largest power-of-two p_align of the PT_LOADs to align the load address
and skips the others, so a bad value silently loses the alignment the file asked for.

Fix: use a power of two, normally the page size (0x1000) or the maximum page size the
linker targets (0x200000 on older x86-64 toolchains).`,
  *check(elf) {
    for (const phdr of elf.programHeaders) {
      if (phdr.p_align > 1n && !isPowerOfTwo(phdr.p_align)) {
        yield {
          field: phdrField(phdr, 'p_align'),
          message: `segment ${phdr.index} has p_align ${hex(phdr.p_align)}, which is not 0, 1 or a power of two; use a power of two such as 0x1000`,
          actual: hex(phdr.p_align),
          expected: '0, 1 or a power of two',
        };
      }
    }
  },
};
