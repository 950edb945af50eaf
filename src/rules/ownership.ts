// Which rules answer for each field of the file: a corrupted field must be
// reported by at least one of its owners (test/props/ownership.test.ts), and
// a field that no rule owns says why. The test fails when a field of the
// layout is missing here.
import type { HeaderField, IdentField, PhdrField, ShdrField } from '../model/layout.js';

export type Ownership =
  | { readonly owners: readonly string[] }
  | { readonly unconstrained: string };

type FieldKey =
  | `e_ident[${IdentField | 'EI_MAG' | 'EI_PAD'}]`
  | HeaderField
  | `phdr.${PhdrField}`
  | `shdr.${ShdrField}`;

export const FIELD_OWNERS: Readonly<Record<FieldKey, Ownership>> = {
  'e_ident[EI_MAG]': { owners: ['not-elf'] },
  // A flipped class also makes e_ehsize disagree with the class it declares.
  'e_ident[EI_CLASS]': { owners: ['ident-class', 'header-machine-class', 'header-ehsize'] },
  'e_ident[EI_DATA]': { owners: ['ident-data'] },
  'e_ident[EI_VERSION]': { owners: ['ident-version'] },
  'e_ident[EI_OSABI]': { owners: ['ident-osabi'] },
  'e_ident[EI_ABIVERSION]': { unconstrained: 'its meaning depends on EI_OSABI; no value is invalid for System V' },
  'e_ident[EI_PAD]': { owners: ['ident-padding'] },
  e_type: { owners: ['header-type'] },
  e_machine: { owners: ['header-machine'] },
  e_version: { owners: ['header-version'] },
  e_entry: { owners: ['entry-zero', 'entry-user-space', 'entry-in-load-segment', 'entry-executable', 'entry-file-backed'] },
  e_phoff: { owners: ['phdr-table-bounds'] },
  e_shoff: { owners: ['shdr-table-bounds'] },
  e_flags: { unconstrained: 'x86-64 defines no flags, and other machines define their own; every value is accepted' },
  e_ehsize: { owners: ['header-ehsize'] },
  e_phentsize: { owners: ['header-phentsize'] },
  e_phnum: { owners: ['phdr-count', 'phdr-table-bounds', 'relocatable-structure'] },
  e_shentsize: { owners: ['header-shentsize'] },
  e_shnum: { owners: ['shdr-table-bounds', 'relocatable-structure'] },
  e_shstrndx: { owners: ['header-shstrndx'] },
  'phdr.p_type': { owners: ['no-load-segment'] },
  'phdr.p_flags': { owners: ['entry-executable', 'wx-segment'] },
  'phdr.p_offset': { owners: ['segment-page-congruence', 'load-segment-in-file'] },
  'phdr.p_vaddr': {
    owners: ['segment-page-congruence', 'segment-align-congruence', 'segment-below-mmap-min-addr', 'segment-address-range', 'entry-in-load-segment'],
  },
  'phdr.p_paddr': { unconstrained: 'physical addresses are unused on Linux and every value is accepted' },
  'phdr.p_filesz': { owners: ['load-segment-in-file', 'segment-filesz-exceeds-memsz', 'segment-bss-not-writable', 'entry-file-backed'] },
  'phdr.p_memsz': { owners: ['segment-filesz-exceeds-memsz', 'segment-bss-not-writable', 'segment-address-range'] },
  'phdr.p_align': { owners: ['segment-align-invalid', 'segment-align-congruence', 'note-alignment'] },
  'shdr.sh_name': { owners: ['section-name-in-strtab'] },
  'shdr.sh_type': { owners: ['header-shstrndx', 'section-special-type'] },
  'shdr.sh_flags': { unconstrained: 'flags combine freely and OS/processor bits are open-ended; section-special-type checks only the gABI\'s special sections, group-section and compressed-section only SHF_GROUP and SHF_COMPRESSED' },
  'shdr.sh_addr': { owners: ['section-outside-segment', 'section-misaligned'] },
  'shdr.sh_offset': { owners: ['section-in-file', 'sections-overlap'] },
  'shdr.sh_size': { owners: ['section-in-file', 'sections-overlap'] },
  'shdr.sh_link': { owners: ['section-link'] },
  'shdr.sh_info': { owners: ['section-link', 'group-section', 'relocatable-structure'] },
  'shdr.sh_addralign': { owners: ['section-align-invalid', 'note-alignment'] },
  'shdr.sh_entsize': { owners: ['section-entsize'] },
};
