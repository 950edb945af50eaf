import type { Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import {
  nameOr, SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_VERSYM, SHT_HASH, SHT_NAMES, SHT_REL, SHT_RELA, SHT_RELR, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
} from '../../model/constants.js';
import { hashEntrySize } from '../../model/layout.js';
import { sectionLabel, shdrField } from '../facts.js';

/** The entry size the gABI (and the psABIs for SHT_HASH) give each table type, in the file's class. */
function expectedEntrySize(elf: ElfFile, type: number): number | undefined {
  const sizes = elf.layout.entrySize;
  switch (type) {
    case SHT_SYMTAB: case SHT_DYNSYM: return sizes.sym;
    case SHT_REL: return sizes.rel;
    case SHT_RELA: return sizes.rela;
    case SHT_DYNAMIC: return sizes.dyn;
    case SHT_RELR: return sizes.relr;
    case SHT_GNU_VERSYM: return 2;
    case SHT_SYMTAB_SHNDX: return 4;
    case SHT_HASH: return hashEntrySize(elf.layout, elf.header?.e_machine);
    default: return undefined;
  }
}

export const sectionEntsize: Rule = {
  id: 'section-entsize',
  category: 'gabi',
  severity: 'warning',
  summary: 'A table section\'s sh_entsize must be the size of its entries in the file\'s class',
  explanation: `For sections that hold a table of fixed-size entries, sh_entsize is the size of one entry,
and readers divide sh_size by it to count the entries. The sizes follow from the section
type and the ELF class:

| type | ELF32 | ELF64 |
| --- | --- | --- |
| SHT_SYMTAB, SHT_DYNSYM | 16 | 24 |
| SHT_REL | 8 | 16 |
| SHT_RELA | 12 | 24 |
| SHT_DYNAMIC | 8 | 16 |
| SHT_RELR | 4 | 8 |
| SHT_HASH | 4 | 4 (8 on s390x and Alpha) |
| SHT_GNU_versym | 2 | 2 |
| SHT_SYMTAB_SHNDX | 4 | 4 |

A wrong size (or 0) makes readelf, objdump, debuggers and linkers miscount the entries or
read them at the wrong stride, which shows up as garbage symbols and relocations. Linux
and the dynamic linker read the dynamic table's own sizes (DT_SYMENT, DT_RELAENT), not
sh_entsize, so a running program is not affected.

Fix: relink, or set sh_entsize to the entry size of the section's type and class.`,
  *check(elf) {
    for (const section of elf.sectionHeaders) {
      const expected = expectedEntrySize(elf, section.sh_type);
      if (expected === undefined || BigInt(expected) === section.sh_entsize) continue;
      yield {
        field: shdrField(section, 'sh_entsize'),
        message: `${sectionLabel(section)} (SHT_${nameOr(SHT_NAMES, section.sh_type)}) has sh_entsize ${section.sh_entsize}, but its ${elf.layout.elfClass} entries are ${expected} bytes; set sh_entsize to ${expected}`,
        actual: section.sh_entsize,
        expected: String(expected),
      };
    }
  },
};
