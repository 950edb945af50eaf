import type { Rule } from '../rule.js';
import { ELF_MACHINE_NAMES, nameOr } from '../../model/constants.js';
import { isExecutableType } from '../facts.js';

export const machineMismatch: Rule = {
  id: 'machine-mismatch',
  category: 'loader',
  severity: 'error',
  summary: 'e_machine must match the architecture of the system that runs the file',
  explanation: `Linux executes an ELF file only when e_machine is the kernel's own architecture
(EM_X86_64 on x86-64; EM_386 goes to the 32-bit compat loader instead). Any other value
fails execve with ENOEXEC, unless binfmt_misc hands the file to an emulator such as
qemu-user.

This rule runs only when a target machine is given (the fuzzer sets it to the host);
by default elf-lint checks each file for its own architecture.

Fix: build the file for the target architecture, or run it through an emulator.`,
  *check(elf, { assumptions }) {
    const target = assumptions.machine;
    if (target === undefined || !isExecutableType(elf) || elf.header.e_machine === target) return;
    yield {
      field: 'e_machine',
      message: `e_machine ${nameOr(ELF_MACHINE_NAMES, elf.header.e_machine)} does not match the target ${nameOr(ELF_MACHINE_NAMES, target)}; execve fails with ENOEXEC. Build for the target`,
      actual: elf.header.e_machine,
      expected: String(target),
    };
  },
};
