import type { Rule } from '../rule.js';
import { SHN_UNDEF, SHN_XINDEX, SHT_STRTAB } from '../../model/constants.js';

export const headerShstrndx: Rule = {
  id: 'header-shstrndx',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_shstrndx must index a SHT_STRTAB section, or be SHN_UNDEF',
  explanation: `e_shstrndx is the index of the section that holds section names (.shstrtab), or
SHN_UNDEF (0) when the file has none. An index past the table, or one that points at a
section that is not a string table, leaves every section nameless in readelf, gdb and
objdump. Linux ignores it.

With more than 0xff00 sections, e_shstrndx is SHN_XINDEX (0xffff) and the real index is
in section 0's sh_link; elf-lint resolves that before checking.

Fix: set e_shstrndx to the index of .shstrtab, or to 0 if there are no section names.`,
  *check(elf) {
    const header = elf.header;
    if (!header || elf.shnum === 0) return;
    const index = elf.shstrndx;
    if (index === SHN_UNDEF) return;
    const field = header.e_shstrndx === SHN_XINDEX ? 'shdr[0].sh_link' : 'e_shstrndx';
    if (index >= elf.shnum) {
      yield {
        field,
        message: `section name table index ${index} is past the ${elf.shnum} sections; set e_shstrndx to the index of .shstrtab`,
        actual: index,
        expected: `< ${elf.shnum}`,
      };
      return;
    }
    const section = elf.sectionHeaders.at(index);
    if (section && section.sh_type !== SHT_STRTAB) {
      yield {
        field,
        message: `section name table index ${index} points at a section of type ${section.sh_type}, not SHT_STRTAB (3); set e_shstrndx to the index of .shstrtab`,
        actual: index,
        expected: 'index of a SHT_STRTAB section',
      };
    }
  },
};
