import type { Rule } from '../rule.js';
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
    const loads = loadSegments(elf).filter((phdr) => phdr.p_memsz > 0n);
    for (let i = 0; i < loads.length; i += 1) {
      for (let j = i + 1; j < loads.length; j += 1) {
        const first = loads[i]!;
        const second = loads[j]!;
        if (first.p_vaddr < memoryEnd(second) && second.p_vaddr < memoryEnd(first)) {
          yield {
            field: phdrField(second, 'p_vaddr'),
            message: `PT_LOAD ${second.index} [${hex(second.p_vaddr)}, ${hex(memoryEnd(second))}) overlaps PT_LOAD ${first.index} [${hex(first.p_vaddr)}, ${hex(memoryEnd(first))}); the later mapping replaces the earlier one. Give each segment its own range`,
            actual: hex(second.p_vaddr),
            expected: `outside [${hex(first.p_vaddr)}, ${hex(memoryEnd(first))})`,
          };
        }
      }
    }
  },
};
