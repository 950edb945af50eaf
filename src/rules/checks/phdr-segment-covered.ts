import type { Rule } from '../rule.js';
import { PT_PHDR } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { loadSegments, memoryEnd, phdrField } from '../facts.js';

export const phdrSegmentCovered: Rule = {
  id: 'phdr-segment-covered',
  category: 'loader',
  severity: 'warning',
  summary: 'A PT_PHDR segment must lie inside a PT_LOAD segment',
  explanation: `PT_PHDR gives the address of the program header table in memory. The gABI says it may be
present only if the table is part of the memory image, i.e. inside a PT_LOAD. The dynamic
linker computes a PIE's load address as AT_PHDR minus PT_PHDR's p_vaddr, so a PT_PHDR
that no PT_LOAD covers points at unmapped memory and breaks dynamically linked programs.

Fix: remove PT_PHDR from files that do not map their program headers, or extend the
first PT_LOAD to cover the table.`,
  *check(elf) {
    const loads = loadSegments(elf);
    for (const phdr of elf.programHeaders) {
      if (phdr.p_type !== PT_PHDR) continue;
      const end = phdr.p_vaddr + phdr.p_memsz;
      const covered = loads.some((load) => phdr.p_vaddr >= load.p_vaddr && end <= memoryEnd(load));
      if (!covered) {
        yield {
          field: phdrField(phdr, 'p_vaddr'),
          message: `PT_PHDR [${hex(phdr.p_vaddr)}, ${hex(end)}) is not inside any PT_LOAD; the program headers are not mapped there. Extend a PT_LOAD to cover them or drop PT_PHDR`,
          actual: hex(phdr.p_vaddr),
          expected: 'inside a PT_LOAD',
        };
      }
    }
  },
};
