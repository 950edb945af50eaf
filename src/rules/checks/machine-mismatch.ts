import type { Rule } from '../rule.js';

export const machineMismatch: Rule = {
  id: 'machine-mismatch',
  category: 'loader',
  severity: 'error',
  summary: 'The target kernel must have an ELF loader for the file\'s class, byte order and machine',
  explanation: `execve tries the kernel's ELF handlers in turn: the native one, then compat ones
(ia32 and x32 on x86-64, AArch32 on arm64, o32 and n32 on 64-bit MIPS, 32-bit PowerPC
on ppc64). Each reads the header with its own structures and in the kernel's byte
order, whatever EI_CLASS and EI_DATA say, and takes the file only if its
elf_check_arch accepts e_machine (some also check EI_CLASS or the ABI bits of e_flags).
When none does, execve fails with ENOEXEC, unless binfmt_misc hands the file to an
emulator such as qemu-user.

By default elf-lint checks each file for its own architecture, so this rule fires when
a target is given (\`--machine\`, or the host when the fuzzer executes mutants), when the
target kernel lacks the compat loader the file needs (x32 is a build option), or when
the file's e_machine and class do not fit any architecture's loader.

Fix: build the file for the target architecture and ABI, or run it through an emulator.`,
  *check(elf, { handler }) {
    const outcome = handler?.outcome;
    if (!handler || !outcome?.because.includes('machine-mismatch')) return;
    yield {
      field: 'e_machine',
      message: `${outcome.reason}; execve fails with ENOEXEC. Build the file for the target, or run it under an emulator`,
      actual: elf.header?.e_machine ?? 0,
      expected: `a machine the ${handler.arch.name} kernel runs`,
    };
  },
};
