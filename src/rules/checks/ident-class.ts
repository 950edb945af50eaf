import type { Rule } from '../rule.js';
import { ELFCLASS32, ELFCLASS64 } from '../../model/constants.js';

export const identClass: Rule = {
  id: 'ident-class',
  category: 'gabi',
  severity: 'warning',
  summary: 'EI_CLASS must be ELFCLASS32 (1) or ELFCLASS64 (2)',
  explanation: `e_ident[EI_CLASS] says whether the file uses the 32-bit or the 64-bit layout.
The gABI defines only ELFCLASS32 (1) and ELFCLASS64 (2); 0 means "invalid class".

Linux on x86-64 never reads this byte: the native loader assumes the 64-bit layout, so
a file with a garbage class still runs. elf-lint does the same and reads the rest of the
file as ELF64, but other tools (readelf, debuggers, libelf) refuse such files.

Fix: set EI_CLASS to 2 for a 64-bit file.`,
  *check(elf) {
    const value = elf.ident.fileClass;
    if (value !== ELFCLASS32 && value !== ELFCLASS64) {
      yield {
        field: 'e_ident[EI_CLASS]',
        message: `EI_CLASS is ${value}, not ELFCLASS32 (1) or ELFCLASS64 (2); read as ELF64 as the Linux loader would. Set it to 2`,
        actual: value,
        expected: '2',
      };
    }
  },
};
