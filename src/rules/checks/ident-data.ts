import type { Rule } from '../rule.js';
import { ELFDATA2LSB, ELFDATA2MSB } from '../../model/constants.js';

export const identData: Rule = {
  id: 'ident-data',
  category: 'gabi',
  severity: 'warning',
  summary: 'EI_DATA must be ELFDATA2LSB (1) or ELFDATA2MSB (2)',
  explanation: `e_ident[EI_DATA] gives the byte order of every multi-byte field. The gABI defines
ELFDATA2LSB (1, little-endian) and ELFDATA2MSB (2, big-endian).

The Linux loader reads fields in the machine's own order and ignores this byte, so an
x86-64 program with EI_DATA = 0 still runs. elf-lint reads such a file little-endian;
tools that trust the byte (readelf, gdb, libelf) reject it or misread every field.

Fix: set EI_DATA to 1 for x86-64 and other little-endian targets.`,
  *check(elf) {
    const value = elf.ident.data;
    if (value !== ELFDATA2LSB && value !== ELFDATA2MSB) {
      yield {
        field: 'e_ident[EI_DATA]',
        message: `EI_DATA is ${value}, not ELFDATA2LSB (1) or ELFDATA2MSB (2); fields were read little-endian. Set it to the file's real byte order`,
        actual: value,
        expected: '1 or 2',
      };
    }
  },
};
