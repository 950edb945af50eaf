import type { Rule } from '../rule.js';
import { PF_W } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { loadSegments, phdrField } from '../facts.js';

export const segmentBssNotWritable: Rule = {
  id: 'segment-bss-not-writable',
  category: 'loader',
  severity: 'warning',
  summary: 'A non-writable PT_LOAD should have p_memsz equal to p_filesz',
  explanation: `When p_memsz exceeds p_filesz the gABI says the extra bytes are zero, as for .bss. Linux
zeroes the rest of the last file-backed page only when the segment is writable; for a
read-only segment it ignores the failure, so the bytes after p_filesz in that page keep
whatever the file holds there. Pages beyond it are mapped anonymously and are zero. A
read-only segment with a memory-only tail is therefore almost always a mistake: a .bss
that will not be zero, or a wrong size.

Fix: make p_memsz equal to p_filesz, or put the zero-filled data in a writable segment.`,
  *check(elf) {
    for (const phdr of loadSegments(elf)) {
      if ((phdr.p_flags & PF_W) === 0 && phdr.p_memsz > phdr.p_filesz) {
        yield {
          field: phdrField(phdr, 'p_memsz'),
          message: `read-only PT_LOAD ${phdr.index} has p_memsz ${hex(phdr.p_memsz)} > p_filesz ${hex(phdr.p_filesz)}; Linux does not zero the tail of a read-only segment. Make the sizes equal or mark the segment writable`,
          actual: hex(phdr.p_memsz),
          expected: hex(phdr.p_filesz),
        };
      }
    }
  },
};
