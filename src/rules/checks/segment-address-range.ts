import type { Rule } from '../rule.js';
import { hex, U64_MAX } from '../../model/hex.js';
import { isExecutableType, loadSegments, memoryEnd, phdrField } from '../facts.js';

export const segmentAddressRange: Rule = {
  id: 'segment-address-range',
  category: 'loader',
  severity: 'error',
  summary: 'PT_LOAD segments must fit in the user address space',
  explanation: `Every loadable segment must end below TASK_SIZE, the top of the user address space
(0x7ffffffff000 on x86-64 with 4-level paging). Linux maps the segments after the point
of no return: a mapping that ends past TASK_SIZE fails with ENOMEM, and after mapping
each segment the loader rejects one whose p_vaddr, p_memsz or end exceeds TASK_SIZE
with EINVAL. Either way the new process is killed with SIGSEGV. That last check uses
the raw p_vaddr, before the load bias, so it applies to ET_DYN files too. An address
range that wraps past 2^64 is rejected the same way.

Fix: link at a lower address, or shrink p_memsz.`,
  *check(elf, { assumptions }) {
    if (!isExecutableType(elf)) return;
    const limit = assumptions.taskSize;
    for (const phdr of loadSegments(elf)) {
      const end = memoryEnd(phdr);
      if (end > U64_MAX) {
        yield {
          field: phdrField(phdr, 'p_memsz'),
          message: `PT_LOAD ${phdr.index}: p_vaddr ${hex(phdr.p_vaddr)} + p_memsz ${hex(phdr.p_memsz)} wraps past 2^64; the kernel kills the process during execve. Fix p_vaddr/p_memsz`,
          actual: hex(end),
          expected: `<= ${hex(limit)}`,
        };
      } else if (end > limit || phdr.p_vaddr >= limit) {
        yield {
          field: phdrField(phdr, 'p_vaddr'),
          message: `PT_LOAD ${phdr.index} ends at ${hex(end)}, past the user address space (${hex(limit)}); the kernel kills the process during execve. Link it lower or shrink p_memsz`,
          actual: hex(end),
          expected: `<= ${hex(limit)}`,
        };
      }
    }
  },
};
