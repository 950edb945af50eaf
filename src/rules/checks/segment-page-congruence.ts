import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { isExecutableType, loadSegments, phdrField } from '../facts.js';

export const segmentPageCongruence: Rule = {
  id: 'segment-page-congruence',
  category: 'loader',
  severity: 'error',
  summary: 'p_offset and p_vaddr of a PT_LOAD must be congruent modulo the page size',
  explanation: `mmap maps whole pages, so a file page can only appear at a virtual address with the same
offset inside its page: p_offset mod PAGE_SIZE must equal p_vaddr mod PAGE_SIZE. Linux
computes the mapping offset as p_offset - (p_vaddr mod PAGE_SIZE); if that is not page
aligned mmap fails with EINVAL after the point of no return, and the process is killed
with SIGSEGV.

This is the congruence the kernel needs; it checks it only for segments with file
contents (p_filesz > 0). The stricter gABI congruence modulo p_align is
the separate rule segment-align-congruence. The page size is an assumption
(--page-size, default 4096).

Fix: move the segment in the file or in memory so that both addresses have the same
offset within a page.`,
  *check(elf, { assumptions }) {
    if (!isExecutableType(elf)) return;
    const page = assumptions.pageSize;
    // Only file-backed segments are mmapped from the file; p_filesz 0 is anonymous memory.
    for (const phdr of loadSegments(elf)) {
      if (phdr.p_filesz > 0n && phdr.p_offset % page !== phdr.p_vaddr % page) {
        yield {
          field: phdrField(phdr, 'p_offset'),
          message: `PT_LOAD ${phdr.index}: p_offset ${hex(phdr.p_offset)} and p_vaddr ${hex(phdr.p_vaddr)} differ modulo the page size ${hex(page)}; mmap fails and the process is killed during execve. Make them congruent`,
          actual: hex(phdr.p_offset % page),
          expected: hex(phdr.p_vaddr % page),
        };
      }
    }
  },
};
