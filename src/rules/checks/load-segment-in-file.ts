import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { loadSegments, phdrField } from '../facts.js';
import { pageUp } from '../../model/segments.js';

export const loadSegmentInFile: Rule = {
  id: 'load-segment-in-file',
  category: 'loader',
  severity: 'error',
  summary: "A PT_LOAD segment's file image must lie inside the file",
  explanation: `A PT_LOAD segment maps p_filesz bytes from file offset p_offset. Linux maps whole pages
and does not check the end of the file: execve succeeds, and the first access to a page
that lies wholly past the end of the file raises SIGBUS. Bytes past the end inside the
last page read as zero. Either way the program does not see the contents it was built
with.

Fix: the file is truncated (restore it) or p_offset/p_filesz are wrong.`,
  *check(elf, { assumptions }) {
    const size = BigInt(elf.size);
    for (const phdr of loadSegments(elf)) {
      const end = phdr.p_offset + phdr.p_filesz;
      if (phdr.p_filesz > 0n && end > size) {
        // Only pages wholly past the end of the file fault; the rest of the last page reads as zero.
        const faults = pageUp(size, assumptions.pageSize) < end;
        const effect = faults ? 'the pages wholly past the end raise SIGBUS when touched' : 'the missing bytes read as zero';
        yield {
          field: phdrField(phdr, 'p_filesz'),
          message: `PT_LOAD ${phdr.index} maps file bytes [${hex(phdr.p_offset)}, ${hex(end)}) but the file is only ${hex(size)} bytes; ${effect}. Restore the file or fix p_offset/p_filesz`,
          actual: hex(end),
          expected: `<= ${hex(size)}`,
        };
      }
    }
  },
};
