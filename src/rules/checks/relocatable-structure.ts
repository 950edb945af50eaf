import type { Rule } from '../rule.js';
import { ET_REL, nameOr, SHF_INFO_LINK, SHT_NAMES, SHT_NULL, SHT_REL, SHT_RELA, SHT_RELR } from '../../model/constants.js';
import { sectionLabel, shdrField } from '../facts.js';

const RELOCATION_TYPES = [SHT_REL, SHT_RELA, SHT_RELR];

export const relocatableStructure: Rule = {
  id: 'relocatable-structure',
  category: 'gabi',
  severity: 'warning',
  summary: 'A relocatable object has section headers and no program headers, and each relocation section patches a real section',
  explanation: `A relocatable object (ET_REL, a .o file or a kernel module) is read by the linker through its
sections only, so it must have a section header table: one with e_shnum 0 has no code, data
or symbols the linker can find (ld stops with "file format not recognized" or links nothing
from it), which is what stripping section headers (sstrip) or a hand-made header leaves.
The gABI gives program headers to executables, shared objects and core files;
an object with program headers (e_phnum > 0) was not made by a compiler or "ld -r", and
linkers ignore the table. Each SHT_REL or SHT_RELA section of an object applies to one section,
whose index is its sh_info: 0 (no section) or another relocation section leaves the
relocations with nothing to patch, and the linker drops them or stops ("bad relocation section
name", "invalid relocation section").

The relocations themselves (symbols, types, offsets) are judged by the relocation rules;
section-link reports an sh_info past the section table, or 0 with SHF_INFO_LINK set.

Fix: rebuild the object with the compiler, assembler or "ld -r" (never strip its section
headers); set sh_info of each
relocation section to the section it patches.`,
  *check(elf) {
    const header = elf.header;
    if (header?.e_type !== ET_REL) return;
    if (elf.shnum === 0) {
      yield {
        field: 'e_shnum',
        message: 'this relocatable object has no section header table (e_shnum 0), so a linker finds no code, data or symbols in it: rebuild the object, and do not strip its section headers',
        actual: 0,
        expected: 'a section header table',
      };
    }
    if (header.e_phnum !== 0) {
      yield {
        field: 'e_phnum',
        message: `this relocatable object has ${header.e_phnum} program header${header.e_phnum === 1 ? '' : 's'}; only executables, shared objects and core files have them and linkers ignore them: rebuild the object, or set e_phnum and e_phoff to 0`,
        actual: header.e_phnum,
        expected: '0',
      };
    }
    for (const section of elf.sectionHeaders) {
      if (section.sh_type !== SHT_REL && section.sh_type !== SHT_RELA) continue;
      // An sh_info past the table is section-link's finding.
      if (section.sh_info >= elf.shnum) continue;
      // With SHF_INFO_LINK set, sh_info 0 is section-link's finding too.
      if (section.sh_info === 0 && (section.sh_flags & SHF_INFO_LINK) !== 0n) continue;
      const target = elf.sectionHeaders.at(section.sh_info);
      if (!target || (section.sh_info !== 0 && target.sh_type !== SHT_NULL && !RELOCATION_TYPES.includes(target.sh_type))) continue;
      yield {
        field: shdrField(section, 'sh_info'),
        message: section.sh_info === 0
          ? `${sectionLabel(section)} has sh_info 0, so its relocations patch no section; in an object sh_info is the section they apply to: set it`
          : `${sectionLabel(section)} has sh_info ${section.sh_info}, naming ${sectionLabel(target)}, an SHT_${nameOr(SHT_NAMES, target.sh_type)}; relocations patch code or data, not another relocation section: set sh_info to the section they apply to`,
        actual: section.sh_info,
        expected: 'the index of the section the relocations apply to',
      };
    }
  },
};
