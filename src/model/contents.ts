// The typed model of section and segment contents: what a section's bytes
// mean for its sh_type. The parser reads each part lazily, only its byte
// range, for the class and byte order of the view; damage is a ParseIssue on
// the file or a `problem` on the list, never an exception. Every
// address-sized value is an exact bigint.
import type { DynamicEntry } from './elf.js';
import type { Table } from './table.js';

/** A string in a string table: `terminated` is false when the table ends before its NUL. */
export interface TableString {
  readonly text: string;
  readonly terminated: boolean;
}

export interface StringTable {
  /** Bytes of the table that lie in the file (sh_size clipped to the file). */
  readonly size: number;
  /** The string at `offset`; undefined when offset >= size. */
  stringAt(offset: number): TableString | undefined;
  /** Whether a NUL ends the string at `offset` inside the table, without decoding it; undefined when offset >= size. */
  terminates(offset: number): boolean | undefined;
  /** The gABI asks for a last byte of NUL (and a first one). */
  readonly endsWithNul: boolean;
}

/** One Elf32_Sym / Elf64_Sym. */
export interface ElfSymbol {
  readonly index: number;
  readonly st_name: number;
  readonly st_value: bigint;
  readonly st_size: bigint;
  readonly st_info: number;
  readonly st_other: number;
  readonly st_shndx: number;
  /** ELF_ST_BIND(st_info): STB_*. */
  readonly bind: number;
  /** ELF_ST_TYPE(st_info): STT_*. */
  readonly type: number;
  /** ELF_ST_VISIBILITY(st_other): STV_*. */
  readonly visibility: number;
  /** From the string table sh_link names; undefined when it cannot be read. */
  readonly name: string | undefined;
}

/** One Elf_Rel / Elf_Rela. */
export interface Relocation {
  readonly index: number;
  readonly r_offset: bigint;
  /** r_info as the file holds it (for MIPS64 little-endian, not a plain 64-bit value: see `mips64`). */
  readonly r_info: bigint;
  /** Signed; undefined for SHT_REL. */
  readonly r_addend: bigint | undefined;
  readonly symbol: number;
  /** The relocation type; for MIPS64, r_type (the first of three). */
  readonly type: number;
  /** MIPS64's r_info is r_sym, r_ssym, r_type3, r_type2, r_type (one byte each after r_sym). */
  readonly mips64?: { readonly ssym: number; readonly type2: number; readonly type3: number };
}

/**
 * Symbols `first` to `first + count - 1` in columns, row by row, for the
 * rules that walk every symbol (a hash table's check looks each one up). As
 * with relocation runs, the arrays are shared: readers only read them, and
 * read a run before the walk moves on.
 */
export interface SymbolRun {
  readonly first: number;
  readonly count: number;
  readonly name: Uint32Array;
  readonly info: Uint8Array;
  readonly other: Uint8Array;
  readonly shndx: Uint16Array;
  /** st_value and st_size, exact, as high and low 32-bit halves (the high halves are 0 in ELF32). */
  readonly valueHigh: Uint32Array;
  readonly valueLow: Uint32Array;
  readonly sizeHigh: Uint32Array;
  readonly sizeLow: Uint32Array;
}

/** A symbol table: its symbols, and the same symbols a run of columns at a time. */
export interface Symbols extends Table<ElfSymbol> {
  runs(): Iterable<SymbolRun>;
}

/**
 * Relocations `first` to `first + count - 1` in columns, row by row: the way
 * the rules walk tables of hundreds of thousands of entries. A table read
 * whole has one run that every walk shares, and a larger one reuses one run's
 * arrays along a walk: readers only read them, and read a run before the walk
 * moves on.
 */
export interface RelocationRun {
  readonly first: number;
  readonly count: number;
  /** r_offset, exact, as its high and low 32-bit halves (the high half is 0 in ELF32). */
  readonly offsetHigh: Uint32Array;
  readonly offsetLow: Uint32Array;
  readonly symbol: Uint32Array;
  /** The type, as Relocation.type. */
  readonly type: Uint32Array;
}

/** A relocation table: its entries, and the same entries a run of columns at a time. */
export interface Relocations extends Table<Relocation> {
  runs(): Iterable<RelocationRun>;
}

export interface RelrTable {
  /** The Elf_Relr words: even ones are addresses, odd ones bitmaps. */
  readonly words: readonly bigint[];
  /** The addresses the words relocate, in order. */
  readonly addresses: readonly bigint[];
  /** Set when a bitmap comes before any address (it has no base). */
  readonly problem?: string;
}

export interface NoteRange {
  readonly offset: number;
  readonly size: number;
  readonly align: 4 | 8;
}

/** Where notes or contents live, as the start of a field path. */
export type ContentsOwner = `sec[${number}]` | `phdr[${number}]`;

export interface Note {
  readonly index: number;
  /** File offset of the entry's Elf_Nhdr. */
  readonly offset: number;
  readonly n_namesz: number;
  readonly n_descsz: number;
  readonly n_type: number;
  /** The name without its NUL; undefined when it does not fit the range. */
  readonly name: string | undefined;
  /** The descriptor's bytes, a view of the file's (empty when they do not fit the range). */
  readonly desc: Uint8Array;
  /** Why this entry is the last one read (its name or descriptor runs past the range). */
  readonly problem?: string;
}

/** SHT_HASH: the SysV hash table (8-byte entries on ELF64 s390 and Alpha). */
export interface HashTable {
  readonly entrySize: 4 | 8;
  readonly nbucket: number;
  readonly nchain: number;
  /** As many buckets and chains as the section holds, at most nbucket and nchain. */
  readonly buckets: readonly number[];
  readonly chains: readonly number[];
  readonly problem?: string;
}

/** SHT_GNU_HASH. */
export interface GnuHashTable {
  readonly nbuckets: number;
  readonly symoffset: number;
  readonly bloomSize: number;
  readonly bloomShift: number;
  /** Bloom filter words of the class. */
  readonly bloom: readonly bigint[];
  readonly buckets: readonly number[];
  /** The chain values from the end of the buckets to the end of the section. */
  readonly chains: readonly number[];
  readonly problem?: string;
}

export interface VersionDefinitionName {
  /** File offset of the Elf_Verdaux. */
  readonly offset: number;
  readonly vda_name: number;
  readonly vda_next: number;
  readonly name: string | undefined;
}

export interface VersionDefinition {
  readonly index: number;
  /** File offset of the Elf_Verdef. */
  readonly offset: number;
  readonly vd_version: number;
  readonly vd_flags: number;
  readonly vd_ndx: number;
  readonly vd_cnt: number;
  readonly vd_hash: number;
  readonly vd_aux: number;
  readonly vd_next: number;
  /** The first is the version's own name, the rest its parents. */
  readonly names: readonly VersionDefinitionName[];
}

export interface VersionNeedAux {
  readonly offset: number;
  readonly vna_hash: number;
  readonly vna_flags: number;
  readonly vna_other: number;
  readonly vna_name: number;
  readonly vna_next: number;
  readonly name: string | undefined;
}

export interface VersionNeed {
  readonly index: number;
  readonly offset: number;
  readonly vn_version: number;
  readonly vn_cnt: number;
  readonly vn_file: number;
  readonly vn_aux: number;
  readonly vn_next: number;
  readonly file: string | undefined;
  readonly aux: readonly VersionNeedAux[];
}

/** A linked list read up to its end, or up to the entry whose link is bad (`problem`). */
export interface VersionList<Entry> {
  readonly entries: readonly Entry[];
  readonly problem?: string;
}

/** SHT_GROUP: a flag word (GRP_COMDAT) then the member section indexes. */
export interface SectionGroup {
  readonly flags: number;
  readonly members: readonly number[];
}

/** Elf32_Chdr / Elf64_Chdr at the start of an SHF_COMPRESSED section. */
export interface CompressionHeader {
  readonly ch_type: number;
  readonly ch_size: bigint;
  readonly ch_addralign: bigint;
}

/**
 * A table a file without section headers still has (sstrip, hand-made
 * files): the dynamic linker finds it through its dynamic entry (DT_RELA,
 * DT_HASH, ...), whose address a PT_LOAD maps to `offset`. Field paths name
 * it by that entry, `dyn[entry].d_val`.
 */
export interface DynamicTable {
  /** The index in the dynamic table of the entry that gives the table's address. */
  readonly entry: number;
  readonly offset: number;
  /** The table's bytes (from its size tag), or what the PT_LOAD maps from the address on when no tag gives a size. */
  readonly size: number;
}

/**
 * The contents of a file's sections and segments, read on first use and kept.
 * Every reader takes a section index; a section that does not exist, is
 * SHT_NOBITS or lies outside the file reads as undefined or an empty list.
 */
export interface ElfContents {
  /** The section's bytes, clipped to the file; undefined for SHT_NOBITS or a range outside the file. */
  sectionBytes(index: number): Uint8Array | undefined;
  stringTable(index: number): StringTable | undefined;
  /** Symbols of a symbol table (entries of Elf_Sym size), named through sh_link's string table. */
  symbols(index: number): Symbols;
  /** SHT_SYMTAB_SHNDX: the section index of each symbol whose st_shndx is SHN_XINDEX. */
  symbolSectionIndexes(index: number): readonly number[];
  /** SHT_REL or SHT_RELA entries (Elf_Rela when sh_type is SHT_RELA). */
  relocations(index: number): Relocations;
  relr(index: number): RelrTable | undefined;
  /** Entries of an SHT_DYNAMIC section up to DT_NULL, as the dynamic linker reads them. */
  dynamicSection(index: number): readonly DynamicEntry[];
  /** The notes of a file range; `where` names it in issues and field paths. */
  notes(range: NoteRange, where: ContentsOwner): readonly Note[];
  /** Notes of an SHT_NOTE section, 8-byte aligned when sh_addralign is 8. */
  sectionNotes(index: number): readonly Note[];
  /** Notes of a PT_NOTE segment, 8-byte aligned when p_align is 8. */
  segmentNotes(index: number): readonly Note[];
  hashTable(index: number): HashTable | undefined;
  gnuHash(index: number): GnuHashTable | undefined;
  /** SHT_GNU_versym: one version index per dynamic symbol. */
  versym(index: number): readonly number[];
  verdef(index: number): VersionList<VersionDefinition>;
  verneed(index: number): VersionList<VersionNeed>;
  group(index: number): SectionGroup | undefined;
  /** Undefined when SHF_COMPRESSED is clear or the header does not fit. */
  compressionHeader(index: number): CompressionHeader | undefined;
  /** The same readers for the tables the dynamic table locates, by the same code. */
  relocationsAt(table: DynamicTable, rela: boolean): Relocations;
  /** Symbols of DT_SYMTAB (`table.size` bytes of them), named through DT_STRTAB's `strings`. */
  symbolsAt(table: DynamicTable, strings: DynamicTable | undefined): Symbols;
  /** DT_STRTAB's bytes. */
  stringBytesAt(table: DynamicTable): Uint8Array | undefined;
  relrAt(table: DynamicTable): RelrTable | undefined;
  hashTableAt(table: DynamicTable): HashTable | undefined;
  /** With no size known, the chains end with the chain of the highest bucket. */
  gnuHashAt(table: DynamicTable): GnuHashTable | undefined;
}
