import type { Rule } from '../rule.js';
import type { ProgramHeader } from '../../model/elf.js';
import { hex } from '../../model/hex.js';
import { loadSegments, memoryEnd, phdrField } from '../facts.js';

export const loadSegmentsOverlap: Rule = {
  id: 'load-segments-overlap',
  category: 'loader',
  severity: 'warning',
  summary: 'PT_LOAD segments must not overlap in memory',
  explanation: `Two PT_LOAD segments whose [p_vaddr, p_vaddr + p_memsz) ranges overlap ask for the same
bytes twice. Linux maps them in table order with MAP_FIXED, so the later segment silently
replaces the earlier one's pages, including their permissions and any zero-filled bss;
the program then sees different bytes than the earlier segment describes. Sharing a
page (segments that touch within one page) is normal; sharing bytes is not.

Fix: give each segment its own address range.`,
  *check(elf) {
    // Sort by p_vaddr, then sweep with the segment that reaches furthest so far: O(n log n)
    // instead of comparing every pair. Every segment that overlaps another is in a reported
    // pair (the later-starting one meets a reach that covers it), though not every pair is.
    const loads = loadSegments(elf).filter((phdr) => phdr.p_memsz > 0n)
      .sort((a, b) => (a.p_vaddr < b.p_vaddr ? -1 : a.p_vaddr > b.p_vaddr ? 1 : a.index - b.index));
    const pairs: (readonly [ProgramHeader, ProgramHeader])[] = [];
    let reach: ProgramHeader | undefined;
    for (const phdr of loads) {
      if (reach && phdr.p_vaddr < memoryEnd(reach)) pairs.push(reach.index < phdr.index ? [reach, phdr] : [phdr, reach]);
      if (!reach || memoryEnd(phdr) > memoryEnd(reach)) reach = phdr;
    }
    // In table order, the order the kernel maps them: the later of a pair replaces the earlier.
    pairs.sort(([firstA, secondA], [firstB, secondB]) => secondA.index - secondB.index || firstA.index - firstB.index);
    for (const [first, second] of pairs) {
      yield {
        field: phdrField(second, 'p_vaddr'),
        message: `PT_LOAD ${second.index} [${hex(second.p_vaddr)}, ${hex(memoryEnd(second))}) overlaps PT_LOAD ${first.index} [${hex(first.p_vaddr)}, ${hex(memoryEnd(first))}); the later mapping replaces the earlier one. Give each segment its own range`,
        actual: hex(second.p_vaddr),
        expected: `outside [${hex(first.p_vaddr)}, ${hex(memoryEnd(first))})`,
      };
    }
  },
};
