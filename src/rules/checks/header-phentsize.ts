import type { Rule } from '../rule.js';
import { ELF64_PHDR_SIZE } from '../../model/constants.js';
import { isExecutableType } from '../facts.js';

export const headerPhentsize: Rule = {
  id: 'header-phentsize',
  category: 'loader',
  severity: 'error',
  summary: 'e_phentsize must be 56 in an ELF64 file with program headers',
  explanation: `e_phentsize is the size of one program header entry: 56 bytes for ELF64. Linux checks
it before anything else in the table and fails execve with ENOEXEC if it is not exactly
56, even when e_phnum is 0. Other readers use it as the stride through the table, so a
wrong value misreads every entry after the first.

Fix: set e_phentsize to 56.`,
  *check(elf) {
    if (!elf.header) return;
    const { e_phentsize: size } = elf.header;
    if (size !== ELF64_PHDR_SIZE && (isExecutableType(elf) || elf.phnum > 0)) {
      yield {
        field: 'e_phentsize',
        message: `e_phentsize is ${size}, but an ELF64 program header is ${ELF64_PHDR_SIZE} bytes; execve fails with ENOEXEC. Set it to ${ELF64_PHDR_SIZE}`,
        actual: size,
        expected: String(ELF64_PHDR_SIZE),
      };
    }
  },
};
