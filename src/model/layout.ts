// Where each field of the ELF64 layout lives. The generator writes through
// this table and findings are located through it, so a field's offset is
// defined once.
import type { ElfFile } from './elf.js';

/** Files are handled in one buffer: 2 GiB is what elf-lint reads and writes. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

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

export const EHDR64_LAYOUT = {
  e_type: { offset: 16, size: 2 },
  e_machine: { offset: 18, size: 2 },
  e_version: { offset: 20, size: 4 },
  e_entry: { offset: 24, size: 8 },
  e_phoff: { offset: 32, size: 8 },
  e_shoff: { offset: 40, size: 8 },
  e_flags: { offset: 48, size: 4 },
  e_ehsize: { offset: 52, size: 2 },
  e_phentsize: { offset: 54, size: 2 },
  e_phnum: { offset: 56, size: 2 },
  e_shentsize: { offset: 58, size: 2 },
  e_shnum: { offset: 60, size: 2 },
  e_shstrndx: { offset: 62, size: 2 },
} as const satisfies Record<string, FieldSlot>;

export const PHDR64_LAYOUT = {
  p_type: { offset: 0, size: 4 },
  p_flags: { offset: 4, size: 4 },
  p_offset: { offset: 8, size: 8 },
  p_vaddr: { offset: 16, size: 8 },
  p_paddr: { offset: 24, size: 8 },
  p_filesz: { offset: 32, size: 8 },
  p_memsz: { offset: 40, size: 8 },
  p_align: { offset: 48, size: 8 },
} as const satisfies Record<string, FieldSlot>;

export const SHDR64_LAYOUT = {
  sh_name: { offset: 0, size: 4 },
  sh_type: { offset: 4, size: 4 },
  sh_flags: { offset: 8, size: 8 },
  sh_addr: { offset: 16, size: 8 },
  sh_offset: { offset: 24, size: 8 },
  sh_size: { offset: 32, size: 8 },
  sh_link: { offset: 40, size: 4 },
  sh_info: { offset: 44, size: 4 },
  sh_addralign: { offset: 48, size: 8 },
  sh_entsize: { offset: 56, size: 8 },
} as const satisfies Record<string, FieldSlot>;

export type IdentField = keyof typeof IDENT_LAYOUT;
export type HeaderField = keyof typeof EHDR64_LAYOUT;
export type PhdrField = keyof typeof PHDR64_LAYOUT;
export type ShdrField = keyof typeof SHDR64_LAYOUT;

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

/** The bytes a field occupies in the file, or undefined if the path names nothing. */
export function locateField(elf: ElfFile, path: FieldPath): ByteRange | undefined {
  if (path === 'file') return { offset: 0, length: elf.size };
  const match = FIELD_PATH.exec(path);
  if (!match) return undefined;
  const [, identName, headerName, table, indexText, member] = match;
  if (identName !== undefined) {
    if (identName === 'EI_MAG') return EI_MAG_SLOT;
    if (identName === 'EI_PAD') return EI_PAD_SLOT;
    const slot = (IDENT_LAYOUT as Record<string, FieldSlot>)[identName];
    return slot && { offset: slot.offset, length: slot.size };
  }
  if (headerName !== undefined) {
    const slot = (EHDR64_LAYOUT as Record<string, FieldSlot>)[headerName];
    return slot && { offset: slot.offset, length: slot.size };
  }
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
    const slot = (PHDR64_LAYOUT as Record<string, FieldSlot>)[member];
    return slot && { offset: base + slot.offset, length: slot.size };
  }
  const base = tableEntryOffset(header.e_shoff, header.e_shentsize, index);
  if (member === undefined) return { offset: base, length: header.e_shentsize };
  const slot = (SHDR64_LAYOUT as Record<string, FieldSlot>)[member];
  return slot && { offset: base + slot.offset, length: slot.size };
}
