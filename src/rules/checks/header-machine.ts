import type { Rule } from '../rule.js';
import { ELF_MACHINE_NAMES } from '../../model/constants.js';

export const headerMachine: Rule = {
  id: 'header-machine',
  category: 'portability',
  severity: 'warning',
  summary: 'e_machine should name a known architecture',
  explanation: `e_machine names the instruction set of the code in the file (62 is EM_X86_64). EM_NONE
(0) or an unregistered value means no tool can tell how to disassemble, relocate or run
the file.

Linux only executes files whose e_machine matches the running kernel (EM_X86_64 on
x86-64, EM_386 through the 32-bit compat loader); any other value fails execve with
ENOEXEC. The loader verdict reports that separately; this rule flags values that are
not an architecture at all.

Fix: set e_machine to the target architecture, e.g. 62 for x86-64.`,
  *check(elf) {
    const machine = elf.header?.e_machine;
    if (machine === undefined) return;
    if (machine === 0 || !ELF_MACHINE_NAMES.has(machine)) {
      yield {
        field: 'e_machine',
        message: `e_machine is ${machine}, ${machine === 0 ? 'EM_NONE' : 'not a known architecture'}; set it to the target's EM_ value (62 for x86-64)`,
        actual: machine,
        expected: 'a registered EM_* value',
      };
    }
  },
};
