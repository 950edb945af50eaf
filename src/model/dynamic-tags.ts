// What the gABI and glibc's ld.so make of each dynamic tag: its name, whether
// a table may hold it more than once, whether its value is a string-table
// offset, and, for the tags whose value is an address ld.so reads, the tag
// that gives the size of what lies there.
import {
  DT_AUXILIARY, DT_BIND_NOW, DT_DEBUG, DT_FILTER, DT_FINI, DT_FINI_ARRAY, DT_FINI_ARRAYSZ, DT_FLAGS, DT_FLAGS_1, DT_GNU_HASH,
  DT_HASH, DT_INIT, DT_INIT_ARRAY, DT_INIT_ARRAYSZ, DT_JMPREL, DT_NEEDED, DT_NULL, DT_PLTGOT, DT_PLTREL, DT_PLTRELSZ,
  DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, DT_REL, DT_RELA, DT_RELACOUNT, DT_RELAENT, DT_RELASZ, DT_RELCOUNT, DT_RELENT, DT_RELR,
  DT_RELRENT, DT_RELRSZ, DT_RELSZ, DT_RPATH, DT_RUNPATH, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMBOLIC, DT_SYMENT, DT_SYMTAB,
  DT_SYMTAB_SHNDX, DT_TEXTREL, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED, DT_VERNEEDNUM, DT_VERSYM,
} from './constants.js';

export interface DynamicTag {
  readonly tag: bigint;
  readonly name: string;
  /** A table may hold it more than once (DT_NEEDED, the filters). */
  readonly repeats?: true;
  /** The value is an offset into the DT_STRTAB strings. */
  readonly string?: true;
  /** The value is an address in the image that ld.so reads from; `sizeTag` gives the table's size in bytes. */
  readonly address?: { readonly sizeTag?: bigint };
}

export const DYNAMIC_TAGS: readonly DynamicTag[] = [
  { tag: DT_NULL, name: 'DT_NULL', repeats: true },
  { tag: DT_NEEDED, name: 'DT_NEEDED', repeats: true, string: true },
  { tag: DT_PLTRELSZ, name: 'DT_PLTRELSZ' },
  { tag: DT_PLTGOT, name: 'DT_PLTGOT' },
  { tag: DT_HASH, name: 'DT_HASH', address: {} },
  { tag: DT_STRTAB, name: 'DT_STRTAB', address: { sizeTag: DT_STRSZ } },
  { tag: DT_SYMTAB, name: 'DT_SYMTAB', address: {} },
  { tag: DT_RELA, name: 'DT_RELA', address: { sizeTag: DT_RELASZ } },
  { tag: DT_RELASZ, name: 'DT_RELASZ' },
  { tag: DT_RELAENT, name: 'DT_RELAENT' },
  { tag: DT_STRSZ, name: 'DT_STRSZ' },
  { tag: DT_SYMENT, name: 'DT_SYMENT' },
  { tag: DT_INIT, name: 'DT_INIT', address: {} },
  { tag: DT_FINI, name: 'DT_FINI', address: {} },
  { tag: DT_SONAME, name: 'DT_SONAME', string: true },
  { tag: DT_RPATH, name: 'DT_RPATH', string: true },
  { tag: DT_SYMBOLIC, name: 'DT_SYMBOLIC' },
  { tag: DT_REL, name: 'DT_REL', address: { sizeTag: DT_RELSZ } },
  { tag: DT_RELSZ, name: 'DT_RELSZ' },
  { tag: DT_RELENT, name: 'DT_RELENT' },
  { tag: DT_PLTREL, name: 'DT_PLTREL' },
  { tag: DT_DEBUG, name: 'DT_DEBUG' },
  { tag: DT_TEXTREL, name: 'DT_TEXTREL' },
  { tag: DT_JMPREL, name: 'DT_JMPREL', address: { sizeTag: DT_PLTRELSZ } },
  { tag: DT_BIND_NOW, name: 'DT_BIND_NOW' },
  { tag: DT_INIT_ARRAY, name: 'DT_INIT_ARRAY', address: { sizeTag: DT_INIT_ARRAYSZ } },
  { tag: DT_FINI_ARRAY, name: 'DT_FINI_ARRAY', address: { sizeTag: DT_FINI_ARRAYSZ } },
  { tag: DT_INIT_ARRAYSZ, name: 'DT_INIT_ARRAYSZ' },
  { tag: DT_FINI_ARRAYSZ, name: 'DT_FINI_ARRAYSZ' },
  { tag: DT_RUNPATH, name: 'DT_RUNPATH', string: true },
  { tag: DT_FLAGS, name: 'DT_FLAGS' },
  { tag: DT_PREINIT_ARRAY, name: 'DT_PREINIT_ARRAY', address: { sizeTag: DT_PREINIT_ARRAYSZ } },
  { tag: DT_PREINIT_ARRAYSZ, name: 'DT_PREINIT_ARRAYSZ' },
  { tag: DT_SYMTAB_SHNDX, name: 'DT_SYMTAB_SHNDX', address: {} },
  { tag: DT_RELRSZ, name: 'DT_RELRSZ' },
  { tag: DT_RELR, name: 'DT_RELR', address: { sizeTag: DT_RELRSZ } },
  { tag: DT_RELRENT, name: 'DT_RELRENT' },
  { tag: DT_GNU_HASH, name: 'DT_GNU_HASH', address: {} },
  { tag: DT_VERSYM, name: 'DT_VERSYM', address: {} },
  { tag: DT_RELACOUNT, name: 'DT_RELACOUNT' },
  { tag: DT_RELCOUNT, name: 'DT_RELCOUNT' },
  { tag: DT_FLAGS_1, name: 'DT_FLAGS_1' },
  { tag: DT_VERDEF, name: 'DT_VERDEF', address: {} },
  { tag: DT_VERDEFNUM, name: 'DT_VERDEFNUM' },
  { tag: DT_VERNEED, name: 'DT_VERNEED', address: {} },
  { tag: DT_VERNEEDNUM, name: 'DT_VERNEEDNUM' },
  { tag: DT_AUXILIARY, name: 'DT_AUXILIARY', repeats: true, string: true },
  { tag: DT_FILTER, name: 'DT_FILTER', repeats: true, string: true },
];

const BY_TAG: ReadonlyMap<bigint, DynamicTag> = new Map(DYNAMIC_TAGS.map((info) => [info.tag, info]));

export function dynamicTag(tag: bigint): DynamicTag | undefined {
  return BY_TAG.get(tag);
}

/** "DT_RELA", or the tag in hex for one elf-lint does not name. */
export function dynamicTagName(tag: bigint): string {
  return BY_TAG.get(tag)?.name ?? `tag 0x${BigInt.asUintN(64, tag).toString(16)}`;
}
