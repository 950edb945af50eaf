import type { Rule } from '../rule.js';
import { isExecutableType } from '../facts.js';

export const headerPhentsize: Rule = {
  id: 'header-phentsize',
  category: 'loader',
  severity: 'error',
  summary: 'e_phentsize must be the program header size (32 in ELF32, 56 in ELF64)',
  explanation: `e_phentsize is the size of one program header entry: 32 bytes in ELF32, 56 in ELF64.
Linux checks it before anything else in the table and fails execve with ENOEXEC if it is
not exactly the size of its loader's structure, even when e_phnum is 0. Other readers use it as the stride through the table, so a
wrong value misreads every entry after the first.

Fix: set e_phentsize to 32 (ELF32) or 56 (ELF64).`,
  *check(elf) {
    if (!elf.header) return;
    const { e_phentsize: size } = elf.header;
    const expected = elf.layout.phdrSize;
    if (size !== expected && (isExecutableType(elf) || elf.phnum > 0)) {
      yield {
        field: 'e_phentsize',
        message: `e_phentsize is ${size}, but an ${elf.layout.elfClass} program header is ${expected} bytes; execve fails with ENOEXEC. Set it to ${expected}`,
        actual: size,
        expected: String(expected),
      };
    }
  },
};
