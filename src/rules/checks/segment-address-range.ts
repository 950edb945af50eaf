import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';
import { hex, U64_MAX } from '../../model/hex.js';
import { isExecutableType, loadSegments, memoryEnd, pageDown, phdrField } from '../facts.js';

export const segmentAddressRange: Rule = {
  id: 'segment-address-range',
  category: 'loader',
  severity: 'error',
  summary: 'PT_LOAD segments must fit in the user address space',
  explanation: `Every loadable segment must end below TASK_SIZE, the top of the user address space
(0x7ffffffff000 on x86-64 with 4-level paging). Linux maps the segments after the point
of no return: a mapping that ends past TASK_SIZE fails with ENOMEM, and a segment whose
p_vaddr, p_memsz or end exceeds it is rejected with EINVAL. Either way the new process
is killed with SIGSEGV. An address range that wraps past 2^64 is rejected the same way.

For ET_DYN the kernel chooses the base address, so only the span from the lowest to the
highest PT_LOAD must fit.

Fix: link at a lower address, or shrink p_memsz.`,
  *check(elf, { assumptions }) {
    if (!isExecutableType(elf)) return;
    const limit = assumptions.taskSize;
    const loads = loadSegments(elf);
    for (const phdr of loads) {
      const end = memoryEnd(phdr);
      if (end > U64_MAX) {
        yield {
          field: phdrField(phdr, 'p_memsz'),
          message: `PT_LOAD ${phdr.index}: p_vaddr ${hex(phdr.p_vaddr)} + p_memsz ${hex(phdr.p_memsz)} wraps past 2^64; the kernel kills the process during execve. Fix p_vaddr/p_memsz`,
          actual: hex(end),
          expected: `<= ${hex(limit)}`,
        };
      } else if (elf.header.e_type === ET_EXEC && end > limit) {
        yield {
          field: phdrField(phdr, 'p_vaddr'),
          message: `PT_LOAD ${phdr.index} ends at ${hex(end)}, past the user address space (${hex(limit)}); the kernel kills the process during execve. Link it lower or shrink p_memsz`,
          actual: hex(end),
          expected: `<= ${hex(limit)}`,
        };
      }
    }
    if (elf.header.e_type === ET_EXEC || loads.length === 0) return;
    const low = loads.reduce((min, phdr) => (phdr.p_vaddr < min ? phdr.p_vaddr : min), U64_MAX);
    const high = loads.reduce((max, phdr) => (memoryEnd(phdr) > max ? memoryEnd(phdr) : max), 0n);
    const span = high - pageDown(low, assumptions.pageSize);
    if (high <= U64_MAX && span > limit) {
      yield {
        field: phdrField(loads.at(-1)!, 'p_memsz'),
        message: `the PT_LOAD segments span ${hex(span)} bytes, more than the user address space (${hex(limit)}); the kernel cannot place the image. Shrink the segments`,
        actual: hex(span),
        expected: `<= ${hex(limit)}`,
      };
    }
  },
};
