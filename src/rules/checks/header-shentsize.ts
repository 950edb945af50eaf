import type { Rule } from '../rule.js';
import { ELF64_SHDR_SIZE } from '../../model/constants.js';

export const headerShentsize: Rule = {
  id: 'header-shentsize',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_shentsize must be 64 in an ELF64 file with section headers',
  explanation: `e_shentsize is the size of one section header entry: 64 bytes for ELF64. Linux never
reads section headers, but linkers, debuggers and strip do, and a wrong size makes them
misread the whole table.

Fix: set e_shentsize to 64, or, for a file without sections, set e_shoff, e_shnum and
e_shentsize to 0.`,
  *check(elf) {
    if (!elf.header) return;
    const { e_shentsize: size, e_shoff: offset } = elf.header;
    if (size !== ELF64_SHDR_SIZE && (offset !== 0n || elf.header.e_shnum !== 0)) {
      yield {
        field: 'e_shentsize',
        message: `e_shentsize is ${size}, but an ELF64 section header is ${ELF64_SHDR_SIZE} bytes; set it to ${ELF64_SHDR_SIZE}`,
        actual: size,
        expected: String(ELF64_SHDR_SIZE),
      };
    }
  },
};
