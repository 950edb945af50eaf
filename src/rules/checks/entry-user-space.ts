import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';
import { hex } from '../../model/hex.js';

export const entryUserSpace: Rule = {
  id: 'entry-user-space',
  category: 'loader',
  severity: 'error',
  summary: 'The entry point must be below the top of the user address space',
  explanation: `After mapping the segments Linux checks that the entry point (plus the load bias for
ET_DYN) is below TASK_SIZE (0x7ffffffff000 on x86-64). A larger e_entry, such as a kernel
address, fails with EINVAL after the point of no return and the process is killed with
SIGSEGV.

Fix: set e_entry to an address inside the program's executable segment.`,
  *check(elf, { assumptions }) {
    if (elf.header?.e_type !== ET_EXEC) return;
    const entry = elf.header.e_entry;
    if (entry >= assumptions.taskSize) {
      yield {
        field: 'e_entry',
        message: `e_entry ${hex(entry)} is not below the top of user space (${hex(assumptions.taskSize)}); the kernel kills the process during execve. Point it at the program's code`,
        actual: hex(entry),
        expected: `< ${hex(assumptions.taskSize)}`,
      };
    }
  },
};
