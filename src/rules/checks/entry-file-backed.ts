import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { hasMeaningfulEntry, isExecutableSegment, segmentContaining } from '../facts.js';

export const entryFileBacked: Rule = {
  id: 'entry-file-backed',
  category: 'loader',
  severity: 'warning',
  summary: "The entry point must lie in the file-backed part of its segment",
  explanation: `Bytes of a segment past p_filesz are zero-fill memory in the gABI, not code. Linux zeroes
them only in a writable segment; in a read-only one the rest of the last file page shows
through, and pages beyond it are zero. An entry point there runs zeros (on x86-64
\`add [rax], al\`, which faults at once) or whatever bytes happen to follow the segment's
image in the file: a hand-made file can rely on that and run (corpus/hello-entry-in-bss
does), which is why this is a warning; the loader verdict says whether the first
instruction faults. Either way it is not the code the segment describes. This usually
means p_filesz is too small or the code was never copied into the file.

Fix: raise p_filesz to cover the code, or point e_entry at it.`,
  *check(elf) {
    if (!hasMeaningfulEntry(elf)) return;
    const entry = elf.header.e_entry;
    const segment = segmentContaining(elf, entry);
    if (segment && isExecutableSegment(segment) && entry >= segment.p_vaddr + segment.p_filesz) {
      yield {
        field: `phdr[${segment.index}].p_filesz`,
        message: `e_entry ${hex(entry)} is past the file-backed part of PT_LOAD ${segment.index} (ends at ${hex(segment.p_vaddr + segment.p_filesz)}); what runs there is not the segment's image. Raise p_filesz to cover the code`,
        actual: hex(segment.p_filesz),
        expected: `> ${hex(entry - segment.p_vaddr)}`,
      };
    }
  },
};
