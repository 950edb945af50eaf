import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import {
  DT_FINI_ARRAY, DT_FINI_ARRAYSZ, DT_GNU_HASH, DT_HASH, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, DT_JMPREL, DT_NEEDED, DT_PLTREL,
  DT_PLTRELSZ, DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, DT_REL, DT_RELA, DT_RELAENT, DT_RELASZ, DT_RELENT, DT_RELR, DT_RELRENT,
  DT_RELRSZ, DT_RELSZ, DT_RPATH, DT_RUNPATH, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERDEF, DT_VERDEFNUM,
  DT_VERNEED, DT_VERNEEDNUM, DT_VERSYM, SHN_UNDEF, SHT_DYNSYM, STB_LOCAL,
} from '../../model/constants.js';
import { hasDynamicTag } from '../../model/dynamic.js';
import { dynamicTagName } from '../../model/dynamic-tags.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

/** Each tag and the tags the dynamic linker needs beside it to use it. */
const COMPANIONS: readonly (readonly [bigint, readonly bigint[]])[] = [
  [DT_RELA, [DT_RELASZ, DT_RELAENT]],
  [DT_REL, [DT_RELSZ, DT_RELENT]],
  [DT_JMPREL, [DT_PLTRELSZ, DT_PLTREL]],
  [DT_RELR, [DT_RELRSZ, DT_RELRENT]],
  [DT_SYMTAB, [DT_STRTAB, DT_SYMENT]],
  [DT_STRTAB, [DT_STRSZ]],
  [DT_INIT_ARRAY, [DT_INIT_ARRAYSZ]],
  [DT_FINI_ARRAY, [DT_FINI_ARRAYSZ]],
  [DT_PREINIT_ARRAY, [DT_PREINIT_ARRAYSZ]],
  [DT_NEEDED, [DT_STRTAB]],
  [DT_SONAME, [DT_STRTAB]],
  [DT_RPATH, [DT_STRTAB]],
  [DT_RUNPATH, [DT_STRTAB]],
  [DT_VERSYM, [DT_SYMTAB]],
  [DT_VERDEF, [DT_VERDEFNUM]],
  [DT_VERNEED, [DT_VERNEEDNUM]],
];

/** The number of symbols .dynsym defines for other objects (global or weak, not undefined). */
function exportedSymbols(elf: ElfFile): number {
  const dynsym = elf.sectionHeaders.find((section) => section.sh_type === SHT_DYNSYM);
  if (!dynsym) return 0;
  return elf.contents.symbols(dynsym.index).filter((symbol) => symbol.st_shndx !== SHN_UNDEF && symbol.bind !== STB_LOCAL).length;
}

function* missing(elf: ElfFile): Generator<Report> {
  const dynamic = elf.dynamic ?? [];
  for (const [tag, needs] of COMPANIONS) {
    const entry = dynamic.find((candidate) => candidate.d_tag === tag);
    if (!entry) continue;
    const absent = needs.filter((need) => !hasDynamicTag(elf, need));
    if (absent.length === 0) continue;
    const names = absent.map(dynamicTagName).join(' and ');
    yield {
      field: dynField(entry, 'd_tag'),
      message: `${dynamicTagName(tag)} has no ${names} beside it; the dynamic linker cannot use it without. Relink, or add ${names}`,
      actual: dynamicTagName(tag),
      expected: `${dynamicTagName(tag)} with ${names}`,
    };
  }
  const symtab = dynamic.find((candidate) => candidate.d_tag === DT_SYMTAB);
  if (symtab && !hasDynamicTag(elf, DT_HASH) && !hasDynamicTag(elf, DT_GNU_HASH)) {
    const exported = exportedSymbols(elf);
    if (exported > 0) {
      yield {
        field: dynField(symtab, 'd_tag'),
        message: `the dynamic symbol table defines ${exported} symbols for other objects, but there is neither DT_HASH nor DT_GNU_HASH, so the dynamic linker finds none of them; relink (ld --hash-style=gnu or both)`,
        actual: 'no DT_HASH or DT_GNU_HASH',
        expected: 'DT_GNU_HASH or DT_HASH',
      };
    }
  }
}

export const dynamicRequired: Rule = {
  id: 'dynamic-required',
  category: 'gabi',
  severity: 'warning',
  summary: 'Dynamic entries must come with the entries they need (DT_RELA with DT_RELASZ and DT_RELAENT, ...)',
  explanation: `Some dynamic entries are useless alone, and the gABI requires their companions:

- DT_RELA needs DT_RELASZ and DT_RELAENT; DT_REL needs DT_RELSZ and DT_RELENT; DT_RELR needs
  DT_RELRSZ and DT_RELRENT; DT_JMPREL needs DT_PLTRELSZ and DT_PLTREL.
- DT_SYMTAB needs DT_STRTAB and DT_SYMENT; DT_STRTAB needs DT_STRSZ; DT_NEEDED, DT_SONAME,
  DT_RPATH and DT_RUNPATH are offsets into DT_STRTAB.
- DT_INIT_ARRAY, DT_FINI_ARRAY and DT_PREINIT_ARRAY need their *SZ.
- DT_VERSYM needs DT_SYMTAB; DT_VERDEF needs DT_VERDEFNUM and DT_VERNEED DT_VERNEEDNUM.
- A dynamic symbol table that defines symbols for other objects needs a hash table
  (DT_GNU_HASH or DT_HASH): the dynamic linker looks symbols up only through one, so without
  it none of them is found.

Without the size, the dynamic linker reads a table of length zero (relocations not applied,
constructors not run) or of whatever size the missing entry's default is.

Relocatable objects, core dumps and separate debug files are not checked.

Fix: relink; when you add a dynamic entry by hand, add the entries it needs with it.`,
  *check(elf) {
    if (linkedDynamic(elf)) yield* missing(elf);
  },
};
