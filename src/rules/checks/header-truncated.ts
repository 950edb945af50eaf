import type { Rule } from '../rule.js';

export const headerTruncated: Rule = {
  id: 'header-truncated',
  category: 'loader',
  severity: 'error',
  summary: 'The file is shorter than its ELF header (52 bytes in ELF32, 64 in ELF64)',
  explanation: `An ELF file starts with a header of 52 bytes (ELF32) or 64 bytes (ELF64). Linux reads the first bytes of the file into
a zeroed buffer, so the missing header bytes read as zero: in practice e_phentsize or
e_phnum become 0 and execve fails with ENOEXEC. elf-lint reads the missing bytes as zero
too, so the other findings describe what the kernel sees.

Fix: the file was cut short (an interrupted copy or download); rebuild or re-fetch it.`,
  *check(elf) {
    const needed = elf.layout.ehdrSize;
    if (elf.header && elf.size < needed) {
      yield {
        field: 'file',
        message: `file is ${elf.size} bytes, shorter than the ${needed}-byte ${elf.layout.elfClass} header; missing bytes read as zero. Rebuild or re-fetch the file`,
        actual: elf.size,
        expected: `>= ${needed}`,
        range: { offset: 0, length: elf.size },
      };
    }
  },
};
