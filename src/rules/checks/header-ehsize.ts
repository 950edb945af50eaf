import type { Rule } from '../rule.js';

export const headerEhsize: Rule = {
  id: 'header-ehsize',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_ehsize must be the size of the ELF header (52 in ELF32, 64 in ELF64)',
  explanation: `e_ehsize is the size of the ELF header itself: 52 bytes in ELF32, 64 in ELF64. Linux ignores it;
readers that honour it (to find data right after the header, or to validate the file)
get a wrong layout.

Fix: set e_ehsize to the header size of the file's class.`,
  *check(elf) {
    const size = elf.header?.e_ehsize;
    const expected = elf.layout.ehdrSize;
    if (size !== undefined && size !== expected) {
      yield {
        field: 'e_ehsize',
        message: `e_ehsize is ${size}, but an ${elf.layout.elfClass} header is ${expected} bytes; set it to ${expected}`,
        actual: size,
        expected: String(expected),
      };
    }
  },
};
