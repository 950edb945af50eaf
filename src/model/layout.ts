// Where each field lives, for each ELF class. The parser, the generator, the
// mutator and the finding locator all read these tables, so a field's offset
// and width are defined once per class; byte order is applied by the reader
// or writer of the bytes.
import type { ElfFile } from './elf.js';

/**
 * The most bytes elf-lint holds in one buffer, 2 GiB less one byte (Kaitai's
 * runtime counts a buffer's bytes in signed 32-bit integers, as one Node read
 * does): the whole file for gen, spec, fuzz seeds and standard input, or one
 * region (a name table, a dynamic segment) of a file read by ranges.
 */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

/**
 * The largest file read by ranges (lint of a regular file): offsets and sizes
 * are exact numbers below 2^53, and a file read by ranges costs the ranges the
 * checks read, whatever its size.
 */
export const MAX_RANGED_FILE_BYTES = Number.MAX_SAFE_INTEGER;

export type ElfClass = 'ELF32' | 'ELF64';
export type ByteOrder = 'LSB' | 'MSB';

/** A class and a byte order: how the bytes of a file are read or written. */
export interface Container {
  readonly elfClass: ElfClass;
  readonly byteOrder: ByteOrder;
}

export interface FieldSlot {
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
}

export const IDENT_LAYOUT = {
  EI_CLASS: { offset: 4, size: 1 },
  EI_DATA: { offset: 5, size: 1 },
  EI_VERSION: { offset: 6, size: 1 },
  EI_OSABI: { offset: 7, size: 1 },
  EI_ABIVERSION: { offset: 8, size: 1 },
} as const satisfies Record<string, FieldSlot>;
export const EI_MAG_SLOT = { offset: 0, length: 4 } as const;
export const EI_PAD_SLOT = { offset: 9, length: 7 } as const;
export const EI_NIDENT = 16;

export const HEADER_FIELDS = [
  'e_type', 'e_machine', 'e_version', 'e_entry', 'e_phoff', 'e_shoff', 'e_flags',
  'e_ehsize', 'e_phentsize', 'e_phnum', 'e_shentsize', 'e_shnum', 'e_shstrndx',
] as const;
export const PHDR_FIELDS = ['p_type', 'p_flags', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_align'] as const;
export const SHDR_FIELDS = [
  'sh_name', 'sh_type', 'sh_flags', 'sh_addr', 'sh_offset', 'sh_size', 'sh_link', 'sh_info', 'sh_addralign', 'sh_entsize',
] as const;

export type IdentField = keyof typeof IDENT_LAYOUT;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export type PhdrField = (typeof PHDR_FIELDS)[number];
export type ShdrField = (typeof SHDR_FIELDS)[number];

/** The sizes and field slots of one ELF class (Elf32_* or Elf64_* structures). */
export interface ClassLayout {
  readonly elfClass: ElfClass;
  /** Size of an address, offset or Xword: 4 or 8. */
  readonly wordSize: 4 | 8;
  readonly ehdrSize: number;
  readonly phdrSize: number;
  readonly shdrSize: number;
  readonly ehdr: Readonly<Record<HeaderField, FieldSlot>>;
  readonly phdr: Readonly<Record<PhdrField, FieldSlot>>;
  readonly shdr: Readonly<Record<ShdrField, FieldSlot>>;
  /** Largest value an address or offset field holds. */
  readonly wordMax: bigint;
}

type Widths<Field extends string> = readonly (readonly [Field, FieldSlot['size']])[];

/** Slots laid end to end in the order given. */
function packed<Field extends string>(start: number, widths: Widths<Field>): Record<Field, FieldSlot> {
  let offset = start;
  const slots = {} as Record<Field, FieldSlot>;
  for (const [name, size] of widths) {
    slots[name] = { offset, size };
    offset += size;
  }
  return slots;
}

function classLayout(elfClass: ElfClass): ClassLayout {
  const word = elfClass === 'ELF64' ? 8 : 4;
  const ehdr = packed<HeaderField>(EI_NIDENT, [
    ['e_type', 2], ['e_machine', 2], ['e_version', 4], ['e_entry', word], ['e_phoff', word], ['e_shoff', word],
    ['e_flags', 4], ['e_ehsize', 2], ['e_phentsize', 2], ['e_phnum', 2], ['e_shentsize', 2], ['e_shnum', 2], ['e_shstrndx', 2],
  ]);
  // p_flags moved next to p_type in Elf64_Phdr to keep the 8-byte fields aligned.
  const phdr = packed<PhdrField>(0, elfClass === 'ELF64'
    ? [['p_type', 4], ['p_flags', 4], ['p_offset', 8], ['p_vaddr', 8], ['p_paddr', 8], ['p_filesz', 8], ['p_memsz', 8], ['p_align', 8]]
    : [['p_type', 4], ['p_offset', 4], ['p_vaddr', 4], ['p_paddr', 4], ['p_filesz', 4], ['p_memsz', 4], ['p_flags', 4], ['p_align', 4]]);
  const shdr = packed<ShdrField>(0, [
    ['sh_name', 4], ['sh_type', 4], ['sh_flags', word], ['sh_addr', word], ['sh_offset', word], ['sh_size', word],
    ['sh_link', 4], ['sh_info', 4], ['sh_addralign', word], ['sh_entsize', word],
  ]);
  const end = (slots: Record<string, FieldSlot>) => Math.max(...Object.values(slots).map((slot) => slot.offset + slot.size));
  return {
    elfClass, wordSize: word, ehdr, phdr, shdr,
    ehdrSize: end(ehdr), phdrSize: end(phdr), shdrSize: end(shdr),
    wordMax: (1n << BigInt(word * 8)) - 1n,
  };
}

export const ELF32_LAYOUT: ClassLayout = classLayout('ELF32');
export const ELF64_LAYOUT: ClassLayout = classLayout('ELF64');

export function layoutOf(elfClass: ElfClass): ClassLayout {
  return elfClass === 'ELF64' ? ELF64_LAYOUT : ELF32_LAYOUT;
}

/** The largest ELF header of any class: what a reader pads a short file to. */
export const MAX_EHDR_SIZE = ELF64_LAYOUT.ehdrSize;

/**
 * A path naming one field of the file, as printed in findings:
 * `e_entry`, `e_ident[EI_CLASS]`, `phdr[2].p_filesz`, `shdr[5].sh_offset`.
 */
export type FieldPath =
  | HeaderField
  | `e_ident[${IdentField | 'EI_MAG' | 'EI_PAD'}]`
  | `phdr[${number}].${PhdrField}`
  | `shdr[${number}].${ShdrField}`
  | `phdr[${number}]`
  | `shdr[${number}]`
  | `phdr[${number}].contents`
  | 'file';

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

const FIELD_PATH = /^(?:e_ident\[(\w+)\]|(e_\w+)|(phdr|shdr)\[(\d+)\](?:\.(\w+))?)$/;

function tableEntryOffset(start: bigint, entrySize: number, index: number): number {
  return Number(start + BigInt(entrySize) * BigInt(index));
}

function slotRange(slots: Readonly<Record<string, FieldSlot>>, name: string, base = 0): ByteRange | undefined {
  const slot = Object.hasOwn(slots, name) ? slots[name] : undefined;
  return slot && { offset: base + slot.offset, length: slot.size };
}

/** The bytes a field occupies in the file, in the layout the file was read with, or undefined if the path names nothing. */
export function locateField(elf: ElfFile, path: FieldPath): ByteRange | undefined {
  if (path === 'file') return { offset: 0, length: elf.size };
  const match = FIELD_PATH.exec(path);
  if (!match) return undefined;
  const [, identName, headerName, table, indexText, member] = match;
  const layout = elf.layout;
  if (identName !== undefined) {
    if (identName === 'EI_MAG') return EI_MAG_SLOT;
    if (identName === 'EI_PAD') return EI_PAD_SLOT;
    return slotRange(IDENT_LAYOUT, identName);
  }
  if (headerName !== undefined) return slotRange(layout.ehdr, headerName);
  const header = elf.header;
  if (!header) return undefined;
  const index = Number(indexText);
  if (table === 'phdr') {
    const base = tableEntryOffset(header.e_phoff, header.e_phentsize, index);
    if (member === 'contents') {
      const phdr = elf.programHeaders[index];
      return phdr && { offset: Number(phdr.p_offset), length: Number(phdr.p_filesz) };
    }
    if (member === undefined) return { offset: base, length: header.e_phentsize };
    return slotRange(layout.phdr, member, base);
  }
  const base = tableEntryOffset(header.e_shoff, header.e_shentsize, index);
  if (member === undefined) return { offset: base, length: header.e_shentsize };
  return slotRange(layout.shdr, member, base);
}
