import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { firstInterpreter } from '../../model/segments.js';
import { isExecutableType, loaderBlames } from '../facts.js';

export const entryUserSpace: Rule = {
  id: 'entry-user-space',
  category: 'loader',
  severity: 'error',
  summary: 'The entry point must be below the top of the user address space',
  explanation: `After mapping the segments Linux checks that the entry point (plus the load bias for
ET_DYN) is below TASK_SIZE (0x7ffffffff000 on x86-64). A larger e_entry, such as a kernel
address, fails with EINVAL after the point of no return and the process is killed with
SIGSEGV. A program with PT_INTERP is different: the kernel starts, and checks, the
interpreter's entry point, and the dynamic linker jumps to e_entry later.

For ET_DYN the load bias is random; this rule reports an entry point that is too high
wherever the kernel puts the image, as the loader model computes it.

Fix: set e_entry to an address inside the program's executable segment.`,
  *check(elf, context) {
    const { assumptions } = context;
    // With an interpreter the kernel checks the interpreter's entry instead.
    if (!isExecutableType(elf) || firstInterpreter(elf)) return;
    const entry = elf.header.e_entry;
    if (elf.header.e_type === ET_EXEC ? entry < assumptions.taskSize : !loaderBlames(context, 'entry-user-space')) return;
    yield {
      field: 'e_entry',
      message: `e_entry ${hex(entry)} is not below the top of user space (${hex(assumptions.taskSize)}) once loaded; the kernel kills the process during execve. Point it at the program's code`,
      actual: hex(entry),
      expected: `< ${hex(assumptions.taskSize)}`,
    };
  },
};

