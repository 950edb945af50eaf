import type { Rule } from '../rule.js';
import { hex, isPowerOfTwo } from '../../model/hex.js';
import { loadSegments, phdrField } from '../facts.js';

export const segmentAlignCongruence: Rule = {
  id: 'segment-align-congruence',
  category: 'gabi',
  severity: 'warning',
  summary: 'p_offset and p_vaddr of a PT_LOAD should be congruent modulo p_align',
  explanation: `The gABI requires a loadable segment's p_vaddr to equal p_offset modulo p_align. Linux
only needs congruence modulo the page size (segment-page-congruence); the larger
alignment matters for huge-page mappings, for other systems' loaders and for tools that
rebuild files. eu-elflint calls this an error; elf-lint makes it a warning because the
program still loads.

This rule stays silent when the page congruence already fails, so one broken segment
gives one finding.

Fix: pad the file so that p_offset mod p_align equals p_vaddr mod p_align, or lower
p_align to the page size.`,
  *check(elf, { assumptions }) {
    const page = assumptions.pageSize;
    for (const phdr of loadSegments(elf)) {
      const align = phdr.p_align;
      if (align <= 1n || !isPowerOfTwo(align)) continue;
      if (phdr.p_filesz > 0n && phdr.p_offset % page !== phdr.p_vaddr % page) continue;
      if (phdr.p_offset % align !== phdr.p_vaddr % align) {
        yield {
          field: phdrField(phdr, 'p_vaddr'),
          message: `PT_LOAD ${phdr.index}: p_offset ${hex(phdr.p_offset)} and p_vaddr ${hex(phdr.p_vaddr)} differ modulo p_align ${hex(align)}; the kernel copes but the gABI does not. Pad the file or lower p_align`,
          actual: hex(phdr.p_vaddr % align),
          expected: hex(phdr.p_offset % align),
        };
      }
    }
  },
};
