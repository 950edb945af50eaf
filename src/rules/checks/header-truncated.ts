import type { Rule } from '../rule.js';
import { ELF64_EHDR_SIZE } from '../../model/constants.js';

export const headerTruncated: Rule = {
  id: 'header-truncated',
  category: 'loader',
  severity: 'error',
  summary: 'The file is shorter than the 64-byte ELF64 header',
  explanation: `An ELF64 file starts with a 64-byte header. Linux reads the first bytes of the file into
a zeroed buffer, so the missing header bytes read as zero: in practice e_phentsize or
e_phnum become 0 and execve fails with ENOEXEC. elf-lint reads the missing bytes as zero
too, so the other findings describe what the kernel sees.

Fix: the file was cut short (an interrupted copy or download); rebuild or re-fetch it.`,
  *check(elf) {
    if (elf.header && elf.size < ELF64_EHDR_SIZE) {
      yield {
        field: 'file',
        message: `file is ${elf.size} bytes, shorter than the ${ELF64_EHDR_SIZE}-byte ELF64 header; missing bytes read as zero. Rebuild or re-fetch the file`,
        actual: elf.size,
        expected: `>= ${ELF64_EHDR_SIZE}`,
        range: { offset: 0, length: elf.size },
      };
    }
  },
};
