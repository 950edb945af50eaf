// The typed model of a parsed file. The parser fills it, the rules and the
// loader model read it, the generator writes files that parse back into it.
// Every 64-bit field is an exact bigint.
import type { ElfContents } from './contents.js';
import type { ByteOrder, ClassLayout, Container, FieldPath } from './layout.js';
import type { Table } from './table.js';

export type { ByteOrder, Container, ElfClass } from './layout.js';

export interface Identification {
  readonly magic: Uint8Array;
  readonly fileClass: number;
  readonly data: number;
  readonly version: number;
  readonly osAbi: number;
  readonly abiVersion: number;
  readonly pad: Uint8Array;
}

export interface FileHeader {
  readonly e_type: number;
  readonly e_machine: number;
  readonly e_version: number;
  readonly e_entry: bigint;
  readonly e_phoff: bigint;
  readonly e_shoff: bigint;
  readonly e_flags: number;
  readonly e_ehsize: number;
  readonly e_phentsize: number;
  readonly e_phnum: number;
  readonly e_shentsize: number;
  readonly e_shnum: number;
  readonly e_shstrndx: number;
}

export interface ProgramHeader {
  readonly index: number;
  readonly p_type: number;
  readonly p_flags: number;
  readonly p_offset: bigint;
  readonly p_vaddr: bigint;
  readonly p_paddr: bigint;
  readonly p_filesz: bigint;
  readonly p_memsz: bigint;
  readonly p_align: bigint;
  /** Contents of a PT_INTERP segment when they lie in the file and are at most 4 KiB. */
  readonly interpreter: Uint8Array | undefined;
}

/** One entry of the dynamic table (Elf32_Dyn / Elf64_Dyn). */
export interface DynamicEntry {
  readonly index: number;
  readonly d_tag: bigint;
  readonly d_val: bigint;
}

export interface SectionHeader {
  readonly index: number;
  readonly sh_name: number;
  readonly sh_type: number;
  readonly sh_flags: bigint;
  readonly sh_addr: bigint;
  readonly sh_offset: bigint;
  readonly sh_size: bigint;
  readonly sh_link: number;
  readonly sh_info: number;
  readonly sh_addralign: bigint;
  readonly sh_entsize: bigint;
  /** Name from the section name table; undefined when it cannot be read. */
  readonly name: string | undefined;
}

/** Something the parser could not read, with the byte offset where it happened. */
export interface ParseIssue {
  readonly message: string;
  readonly offset: number;
  readonly field?: FieldPath;
}

/**
 * A file read on demand: the parser asks only for the ranges it needs (header,
 * tables, name table, interpreter path, entry pages), a few KiB at a time, so
 * a file of any size costs what is read, never its size.
 */
export interface ByteSource {
  /** Size of the file: a safe integer (below 2^53). */
  readonly size: number;
  /** Fills `target` with the file's bytes from `position` on (only as many as the file has there). */
  read(target: Uint8Array, position: number): void;
}

/** A file that does not start with the ELF magic. */
export interface NotElfFile {
  readonly kind: 'not-elf';
  readonly size: number;
  /** The first bytes of the file (up to 64). */
  readonly head: Uint8Array;
}

export interface ElfFile {
  readonly kind: 'elf';
  /** Size of the file on disk. */
  readonly size: number;
  /**
   * The whole file (read in full on first use when the file is read on demand).
   * Only a file of up to MAX_FILE_BYTES can be held whole: a larger one throws a RangeError; use `slice`.
   */
  readonly bytes: Uint8Array;
  /** The bytes [offset, offset + length), clipped to the file; reads only that range. */
  slice(offset: number, length: number): Uint8Array;
  readonly ident: Identification;
  /**
   * The class and byte order the fields were read with. A file is first read
   * as it declares itself (EI_CLASS 1 is ELF32, anything else ELF64; EI_DATA 2
   * is big-endian, anything else little-endian); `viewAs` reads it otherwise.
   */
  readonly container: Container;
  /** The field layout of `container.elfClass`. */
  readonly layout: ClassLayout;
  readonly byteOrder: ByteOrder;
  /** True when this view reads the file as its e_ident declares. */
  readonly declared: boolean;
  /** Undefined only when the header could not be read at all. */
  readonly header: FileHeader | undefined;
  /** Effective counts and index, after extended numbering through section 0. */
  readonly phnum: number;
  readonly shnum: number;
  readonly shstrndx: number;
  /** Program header entries that lie wholly inside the file (parsed on first access). */
  readonly programHeaders: readonly ProgramHeader[];
  /** Section header entries that lie wholly inside the file, each decoded when first used. */
  readonly sectionHeaders: Table<SectionHeader>;
  /** Entries of the first PT_DYNAMIC up to DT_NULL (as the dynamic linker reads them); undefined without one. */
  readonly dynamic: readonly DynamicEntry[] | undefined;
  /**
   * Section and segment contents (symbols, relocations, notes, ...), each
   * read on first use, only its byte range, with this view's class and order.
   */
  readonly contents: ElfContents;
  /** Damage met while parsing; grows as lazy parts are first read. */
  readonly parseIssues: readonly ParseIssue[];
  /**
   * The same bytes read with another class and byte order, as a kernel reads
   * every file with its own structures whatever e_ident says. Returns this
   * file when the container is the one it was read with.
   */
  viewAs(container: Container): ElfFile;
}

export type ParsedFile = ElfFile | NotElfFile;
