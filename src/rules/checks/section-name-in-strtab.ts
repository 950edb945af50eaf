import type { Rule } from '../rule.js';
import { SHN_UNDEF } from '../../model/constants.js';

export const sectionNameInStrtab: Rule = {
  id: 'section-name-in-strtab',
  category: 'gabi',
  severity: 'warning',
  summary: 'sh_name must be an offset inside the section name table',
  explanation: `A section's sh_name is a byte offset into the section name string table (the section
e_shstrndx points at). An offset at or past the end of that table names nothing: readelf
prints "<corrupt>", and tools that look sections up by name (.text, .debug_info,
.note.gnu.build-id) cannot find them. Linux ignores section names.

Fix: rebuild the name table and the sh_name fields (objcopy or the linker does both).`,
  *check(elf) {
    if (!elf.header || elf.shstrndx === SHN_UNDEF) return;
    const table = elf.sectionHeaders.at(elf.shstrndx);
    if (!table) return;
    for (const section of elf.sectionHeaders) {
      if (BigInt(section.sh_name) >= table.sh_size) {
        yield {
          field: `shdr[${section.index}].sh_name`,
          message: `section ${section.index} has sh_name ${section.sh_name}, past the end of the ${table.sh_size}-byte name table; fix the name table or sh_name`,
          actual: section.sh_name,
          expected: `< ${table.sh_size}`,
        };
      }
    }
  },
};
