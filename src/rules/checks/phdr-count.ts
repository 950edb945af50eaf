import type { Rule } from '../rule.js';
import { PN_XNUM } from '../../model/constants.js';
import { isExecutableType } from '../facts.js';
import { maxProgramHeaders } from '../../model/segments.js';

export const phdrCount: Rule = {
  id: 'phdr-count',
  category: 'loader',
  severity: 'error',
  summary: 'An executable needs between 1 and 64 KiB of program headers (1170 in ELF64, 2048 in ELF32)',
  explanation: `execve reads the program header table into a buffer of at most 64 KiB: with 56-byte
ELF64 entries that is 1 to 1170 entries, with 32-byte ELF32 entries 1 to 2048 (kernels
before 6.17 allowed 4 KiB: 73 and 128 entries). An
empty table or a larger one fails with ENOEXEC.

The kernel does not understand extended numbering: e_phnum = PN_XNUM (0xffff) with the
real count in section 0's sh_info is valid gABI for core files and other readers, but
an executable written that way fails execve.

Fix: an executable must have at least one PT_LOAD; merge segments if there are more
than the limit.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const MAX_PHNUM = maxProgramHeaders(elf.layout);
    const { e_phnum: raw } = elf.header;
    if (raw === PN_XNUM) {
      yield {
        field: 'e_phnum',
        message: `e_phnum is PN_XNUM (real count ${elf.phnum} in section 0); Linux does not resolve extended numbering and execve fails with ENOEXEC. Use at most ${MAX_PHNUM} program headers`,
        actual: raw,
        expected: `1..${MAX_PHNUM}`,
      };
    } else if (raw === 0 || raw > MAX_PHNUM) {
      yield {
        field: 'e_phnum',
        message: `e_phnum is ${raw}; execve accepts 1 to ${MAX_PHNUM} program headers and fails with ENOEXEC. ${raw === 0 ? 'Add the program headers the file needs' : 'Merge segments'}`,
        actual: raw,
        expected: `1..${MAX_PHNUM}`,
      };
    }
  },
};
