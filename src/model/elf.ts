// The typed model of a parsed file. The parser fills it, the rules and the
// loader model read it, the generator writes files that parse back into it.
// Every 64-bit field is an exact bigint.
import type { FieldPath } from './layout.js';

export type ByteOrder = 'LSB' | 'MSB';

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
 * tables, name table, interpreter path, entry pages), which matters for large
 * binaries.
 */
export interface ByteSource {
  readonly size: number;
  /** Copies the file's bytes [offset, offset + length) into `target` at the same offset. */
  fill(target: Uint8Array, offset: number, length: number): void;
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
  /** The whole file (read in full on first use when the file is read on demand). */
  readonly bytes: Uint8Array;
  /** The bytes [offset, offset + length), clipped to the file; reads only that range. */
  slice(offset: number, length: number): Uint8Array;
  readonly ident: Identification;
  /** The layout the fields were read with (EI_CLASS 1 is ELF32; anything else is read as ELF64, as Linux x86-64 does). */
  readonly layout: 'ELF32' | 'ELF64';
  /** Byte order the fields were read with (anything but ELFDATA2MSB is read LSB, as Linux x86-64 does). */
  readonly byteOrder: ByteOrder;
  /** Undefined for ELF32, which this version does not parse beyond e_ident. */
  readonly header: FileHeader | undefined;
  /** Effective counts and index, after extended numbering through section 0. */
  readonly phnum: number;
  readonly shnum: number;
  readonly shstrndx: number;
  /** Program header entries that lie wholly inside the file (parsed on first access). */
  readonly programHeaders: readonly ProgramHeader[];
  /** Section header entries that lie wholly inside the file (parsed on first access). */
  readonly sectionHeaders: readonly SectionHeader[];
  /** Damage met while parsing; grows as lazy parts are first read. */
  readonly parseIssues: readonly ParseIssue[];
  /**
   * The same bytes as a little-endian 64-bit kernel reads them: the ELF64
   * layout and little-endian fields whatever EI_CLASS and EI_DATA say; the
   * file itself when that is how it was read already.
   */
  readonly kernelView: ElfFile;
}

export type ParsedFile = ElfFile | NotElfFile;
