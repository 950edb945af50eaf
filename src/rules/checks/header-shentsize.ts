import type { Rule } from '../rule.js';

export const headerShentsize: Rule = {
  id: 'header-shentsize',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_shentsize must be the section header size (40 in ELF32, 64 in ELF64) when there are sections',
  explanation: `e_shentsize is the size of one section header entry: 40 bytes in ELF32, 64 in ELF64. Linux never
reads section headers, but linkers, debuggers and strip do, and a wrong size makes them
misread the whole table.

Fix: set e_shentsize to the entry size of the file's class, or, for a file without sections, set e_shoff, e_shnum and
e_shentsize to 0.`,
  *check(elf) {
    if (!elf.header) return;
    const { e_shentsize: size, e_shoff: offset } = elf.header;
    const expected = elf.layout.shdrSize;
    if (size !== expected && (offset !== 0n || elf.header.e_shnum !== 0)) {
      yield {
        field: 'e_shentsize',
        message: `e_shentsize is ${size}, but an ${elf.layout.elfClass} section header is ${expected} bytes; set it to ${expected}`,
        actual: size,
        expected: String(expected),
      };
    }
  },
};
