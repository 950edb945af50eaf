import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import {
  DT_FINI_ARRAYSZ, DT_INIT_ARRAYSZ, DT_PLTREL, DT_PLTRELSZ, DT_PREINIT_ARRAYSZ, DT_REL, DT_RELA, DT_RELAENT, DT_RELASZ, DT_RELENT,
  DT_RELRENT, DT_RELRSZ, DT_RELSZ, DT_SYMENT,
} from '../../model/constants.js';
import { dynamicValue } from '../../model/dynamic.js';
import { dynamicTagName } from '../../model/dynamic-tags.js';
import { hex } from '../../model/hex.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

/** The entry sizes the class fixes: each *ENT tag must say exactly this. */
function entrySizes(elf: ElfFile): ReadonlyMap<bigint, bigint> {
  const sizes = elf.layout.entrySize;
  return new Map([
    [DT_RELAENT, BigInt(sizes.rela)], [DT_RELENT, BigInt(sizes.rel)], [DT_SYMENT, BigInt(sizes.sym)], [DT_RELRENT, BigInt(sizes.relr)],
  ]);
}

/** The size tags whose value must be a whole number of entries of this size. */
function multiples(elf: ElfFile): ReadonlyMap<bigint, bigint> {
  const sizes = elf.layout.entrySize;
  const word = BigInt(elf.layout.wordSize);
  const pltrel = dynamicValue(elf, DT_PLTREL);
  const plt = pltrel === DT_RELA ? sizes.rela : pltrel === DT_REL ? sizes.rel : undefined;
  return new Map([
    [DT_RELASZ, BigInt(sizes.rela)], [DT_RELSZ, BigInt(sizes.rel)], [DT_RELRSZ, BigInt(sizes.relr)],
    [DT_INIT_ARRAYSZ, word], [DT_FINI_ARRAYSZ, word], [DT_PREINIT_ARRAYSZ, word],
    ...(plt === undefined ? [] : [[DT_PLTRELSZ, BigInt(plt)] as const]),
  ]);
}

function* sizeReports(elf: ElfFile): Generator<Report> {
  const dynamic = elf.dynamic ?? [];
  const exact = entrySizes(elf);
  const whole = multiples(elf);
  for (const entry of dynamic) {
    const name = dynamicTagName(entry.d_tag);
    const wanted = exact.get(entry.d_tag);
    if (wanted !== undefined && entry.d_val !== wanted) {
      yield {
        field: dynField(entry, 'd_val'),
        message: `${name} is ${entry.d_val}, but an ${elf.layout.elfClass} entry is ${wanted} bytes; glibc's dynamic linker asserts this size. Set ${name} to ${wanted}, or relink`,
        actual: entry.d_val,
        expected: `${wanted}`,
      };
    }
    const unit = whole.get(entry.d_tag);
    if (unit !== undefined && entry.d_val % unit !== 0n) {
      yield {
        field: dynField(entry, 'd_val'),
        message: `${name} is ${hex(entry.d_val)}, not a whole number of ${unit}-byte entries; the dynamic linker reads a partial last entry from the bytes that follow. Relink, or set ${name} to the table's size`,
        actual: hex(entry.d_val),
        expected: `a multiple of ${unit}`,
      };
    }
    if (entry.d_tag === DT_PLTREL && entry.d_val !== DT_REL && entry.d_val !== DT_RELA) {
      yield {
        field: dynField(entry, 'd_val'),
        message: `DT_PLTREL is ${entry.d_val}, neither DT_REL (17) nor DT_RELA (7); the dynamic linker cannot tell what DT_JMPREL holds. Set it to the type of the PLT relocations`,
        actual: entry.d_val,
        expected: '17 (DT_REL) or 7 (DT_RELA)',
      };
    }
  }
}

export const dynamicSize: Rule = {
  id: 'dynamic-size',
  category: 'gabi',
  severity: 'warning',
  summary: 'Dynamic entry sizes and table sizes must fit the file\'s class',
  explanation: `The dynamic table gives the size of each entry of the tables it points at, and those sizes are
fixed by the class: DT_RELAENT is the size of Elf_Rela (12 or 24 bytes), DT_RELENT of Elf_Rel
(8 or 16), DT_SYMENT of Elf_Sym (16 or 24) and DT_RELRENT of Elf_Relr (4 or 8); glibc's
dynamic linker asserts the relocation ones. The byte sizes of the tables (DT_RELASZ,
DT_RELSZ, DT_RELRSZ, DT_PLTRELSZ, DT_INIT_ARRAYSZ, DT_FINI_ARRAYSZ, DT_PREINIT_ARRAYSZ) must be
whole numbers of entries (words for the arrays), or the last entry is read from the bytes
that follow. DT_PLTREL says whether DT_JMPREL holds Elf_Rel or Elf_Rela entries and must be
DT_REL or DT_RELA.

Relocatable objects, core dumps and separate debug files are not checked.

Fix: relink; when you edit the dynamic table by hand, give these entries the sizes of the
file's class.`,
  *check(elf) {
    if (linkedDynamic(elf)) yield* sizeReports(elf);
  },
};
