import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { loadSegments, phdrField } from '../facts.js';

export const loadSegmentsSorted: Rule = {
  id: 'load-segments-sorted',
  category: 'gabi',
  severity: 'warning',
  summary: 'PT_LOAD entries must appear in ascending p_vaddr order',
  explanation: `The gABI requires loadable segment entries to be sorted by p_vaddr. Linux maps them in
table order; for ET_DYN it sizes the whole image from the first and last PT_LOAD, so an
unsorted table can reserve too little address space, and the dynamic linker makes the
same assumption for shared libraries.

Fix: reorder the program header table so PT_LOAD entries ascend by p_vaddr.`,
  *check(elf) {
    const loads = loadSegments(elf);
    for (let i = 1; i < loads.length; i += 1) {
      const previous = loads[i - 1]!;
      const current = loads[i]!;
      if (current.p_vaddr < previous.p_vaddr) {
        yield {
          field: phdrField(current, 'p_vaddr'),
          message: `PT_LOAD ${current.index} (p_vaddr ${hex(current.p_vaddr)}) comes after PT_LOAD ${previous.index} at the higher ${hex(previous.p_vaddr)}; sort PT_LOAD entries by p_vaddr`,
          actual: hex(current.p_vaddr),
          expected: `>= ${hex(previous.p_vaddr)}`,
        };
      }
    }
  },
};
