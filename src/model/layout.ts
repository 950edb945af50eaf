// Where each field lives, for each ELF class. The parser, the generator, the
// mutator and the finding locator all read these tables, so a field's offset
// and width are defined once per class; byte order is applied by the reader
// or writer of the bytes.
import type { ElfFile } from './elf.js';
import { EM_ALPHA, EM_S390, EM_S390_OLD, PT_DYNAMIC } from './constants.js';

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

// The structures of section and segment contents.
export type SymField = 'st_name' | 'st_value' | 'st_size' | 'st_info' | 'st_other' | 'st_shndx';
export type RelaField = 'r_offset' | 'r_info' | 'r_addend';
export type RelField = Exclude<RelaField, 'r_addend'>;
export type DynField = 'd_tag' | 'd_val';
export type ChdrField = 'ch_type' | 'ch_reserved' | 'ch_size' | 'ch_addralign';
export type NhdrField = 'n_namesz' | 'n_descsz' | 'n_type';
export type VerdefField = 'vd_version' | 'vd_flags' | 'vd_ndx' | 'vd_cnt' | 'vd_hash' | 'vd_aux' | 'vd_next';
export type VerdauxField = 'vda_name' | 'vda_next';
export type VerneedField = 'vn_version' | 'vn_cnt' | 'vn_file' | 'vn_aux' | 'vn_next';
export type VernauxField = 'vna_hash' | 'vna_flags' | 'vna_other' | 'vna_name' | 'vna_next';
export type HashField = 'nbucket' | 'nchain';
export type GnuHashField = 'nbuckets' | 'symoffset' | 'bloom_size' | 'bloom_shift';

/** One structure of a class: its packed size and where each field lies in it. */
export interface StructLayout<Field extends string> {
  readonly size: number;
  /** Partial because a field may exist in one class only (Elf64_Chdr's ch_reserved). */
  readonly fields: Readonly<Partial<Record<Field, FieldSlot>>>;
}

/** The structures that section and segment contents are made of. */
export interface ContentsLayout {
  readonly sym: StructLayout<SymField>;
  readonly rel: StructLayout<RelField>;
  readonly rela: StructLayout<RelaField>;
  readonly dyn: StructLayout<DynField>;
  readonly chdr: StructLayout<ChdrField>;
  readonly nhdr: StructLayout<NhdrField>;
  readonly verdef: StructLayout<VerdefField>;
  readonly verdaux: StructLayout<VerdauxField>;
  readonly verneed: StructLayout<VerneedField>;
  readonly vernaux: StructLayout<VernauxField>;
  /** The four u4 words before a GNU hash table's Bloom filter. */
  readonly gnuHash: StructLayout<GnuHashField>;
}

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
  /** Sizes of the table entries a section's sh_entsize names (Elf32_Sym/Elf64_Sym, ...). */
  readonly entrySize: EntrySizes;
  readonly contents: ContentsLayout;
}

export interface EntrySizes {
  readonly sym: number;
  readonly rel: number;
  readonly rela: number;
  readonly dyn: number;
  /** An Elf_Relr word. */
  readonly relr: number;
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
  const contents = contentsLayout(elfClass, word);
  return {
    elfClass, wordSize: word, ehdr, phdr, shdr,
    ehdrSize: end(ehdr), phdrSize: end(phdr), shdrSize: end(shdr),
    wordMax: (1n << BigInt(word * 8)) - 1n,
    // Elf64_Sym reorders its fields to keep the 8-byte ones aligned: 24 bytes, not 4 + 1 + 1 + 2 + 8 + 8 rounded.
    entrySize: { sym: contents.sym.size, rel: contents.rel.size, rela: contents.rela.size, dyn: contents.dyn.size, relr: word },
    contents,
  };
}

function structLayout<Field extends string>(widths: Widths<Field>): StructLayout<Field> {
  return { size: widths.reduce((sum, [, size]) => sum + size, 0), fields: packed(0, widths) };
}

function contentsLayout(elfClass: ElfClass, word: 4 | 8): ContentsLayout {
  const is64 = elfClass === 'ELF64';
  return {
    // Elf64_Sym puts st_info, st_other and st_shndx before the 8-byte fields; Elf32_Sym after them.
    sym: structLayout<SymField>(is64
      ? [['st_name', 4], ['st_info', 1], ['st_other', 1], ['st_shndx', 2], ['st_value', 8], ['st_size', 8]]
      : [['st_name', 4], ['st_value', 4], ['st_size', 4], ['st_info', 1], ['st_other', 1], ['st_shndx', 2]]),
    rel: structLayout<RelField>([['r_offset', word], ['r_info', word]]),
    rela: structLayout<RelaField>([['r_offset', word], ['r_info', word], ['r_addend', word]]),
    dyn: structLayout<DynField>([['d_tag', word], ['d_val', word]]),
    chdr: structLayout<ChdrField>(is64
      ? [['ch_type', 4], ['ch_reserved', 4], ['ch_size', 8], ['ch_addralign', 8]]
      : [['ch_type', 4], ['ch_size', 4], ['ch_addralign', 4]]),
    // Notes and version structures are the same in both classes.
    nhdr: structLayout<NhdrField>([['n_namesz', 4], ['n_descsz', 4], ['n_type', 4]]),
    verdef: structLayout<VerdefField>([
      ['vd_version', 2], ['vd_flags', 2], ['vd_ndx', 2], ['vd_cnt', 2], ['vd_hash', 4], ['vd_aux', 4], ['vd_next', 4],
    ]),
    verdaux: structLayout<VerdauxField>([['vda_name', 4], ['vda_next', 4]]),
    verneed: structLayout<VerneedField>([['vn_version', 2], ['vn_cnt', 2], ['vn_file', 4], ['vn_aux', 4], ['vn_next', 4]]),
    vernaux: structLayout<VernauxField>([['vna_hash', 4], ['vna_flags', 2], ['vna_other', 2], ['vna_name', 4], ['vna_next', 4]]),
    gnuHash: structLayout<GnuHashField>([['nbuckets', 4], ['symoffset', 4], ['bloom_size', 4], ['bloom_shift', 4]]),
  };
}

/**
 * Size of an SHT_HASH entry: 4, except 8 in ELF64 files for s390 and Alpha
 * (as binutils' readelf and bfd read them).
 */
export function hashEntrySize(layout: ClassLayout, machine: number | undefined): 4 | 8 {
  const wide = machine === EM_S390 || machine === EM_S390_OLD || machine === EM_ALPHA;
  return wide && layout.elfClass === 'ELF64' ? 8 : 4;
}

/** The alignment of notes: 8 when the section's or segment's alignment is 8, else 4 (as readelf decides). */
export function noteAlignment(align: bigint): 4 | 8 {
  return align === 8n ? 8 : 4;
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

/** Where a note's descriptor starts, from the start of its Elf_Nhdr. */
export function noteDescOffset(layout: ClassLayout, namesz: number, align: 4 | 8): number {
  return alignUp(layout.contents.nhdr.size + namesz, align);
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
 *
 * Contents are named from their owner, `sec[N]` (the bytes section N's header
 * points at; `shdr[N]` is the header itself) or `phdr[N]` for a segment, then
 * `.kind[i]` for entry i of a table of that kind, then `.field` for a field of
 * the entry (its Elf_* name). Entries are numbered from 0 in file order; in a
 * linked list (notes, verdef, verneed) in the order the list is walked, with
 * `.aux[j]` for the j-th auxiliary entry of a version definition or need.
 *
 *   sec[5].contents                 sh_offset, sh_size
 *   sec[5].sym[3].st_shndx          Elf_Sym 3
 *   sec[6].rel[2].r_info, sec[6].rela[2].r_addend
 *   sec[8].dyn[3].d_tag             an SHT_DYNAMIC section; dyn[3].d_val is the first PT_DYNAMIC
 *   sec[7].note[0].n_type           also .name and .desc (the padded-out name and descriptor)
 *   phdr[4].note[0].n_descsz        a PT_NOTE segment
 *   sec[9].versym[2], sec[9].symtab_shndx[2], sec[9].relr[2]: one value of an array
 *   sec[11].group[1]                group[0] is the flag word, group[1] the first member
 *   sec[10].verdef[0].vd_hash, sec[10].verdef[0].aux[1].vda_name
 *   sec[10].verneed[0].vn_file, sec[10].verneed[0].aux[1].vna_name
 *   sec[12].chdr.ch_type
 *   sec[13].hash.nbucket, sec[13].hash.bucket[4], sec[13].hash.chain[7]
 *   sec[14].gnu_hash.bloom_shift, sec[14].gnu_hash.bloom[0], .bucket[i], .chain[i] (chain[0] is symbol symoffset's)
 */
export type FieldPath =
  | HeaderField
  | `e_ident[${IdentField | 'EI_MAG' | 'EI_PAD'}]`
  | `phdr[${number}].${PhdrField}`
  | `shdr[${number}].${ShdrField}`
  | `phdr[${number}]`
  | `shdr[${number}]`
  | `phdr[${number}].contents`
  | `sec[${number}].contents`
  | ContentsFieldPath
  | 'file';

type Indexed<Kind extends string> = `${Kind}[${number}]`;

/** The contents paths: see FieldPath. */
export type ContentsFieldPath =
  | `sec[${number}].${Indexed<'sym'>}.${SymField}`
  | `sec[${number}].${Indexed<'rel'>}.${RelField}`
  | `sec[${number}].${Indexed<'rela'>}.${RelaField}`
  | `sec[${number}].${Indexed<'dyn'>}.${DynField}`
  | `${Indexed<'dyn'>}.${DynField}`
  | `${Indexed<'sec' | 'phdr'>}.${Indexed<'note'>}.${NhdrField | 'name' | 'desc'}`
  | `sec[${number}].${Indexed<'versym' | 'symtab_shndx' | 'relr' | 'group'>}`
  | `sec[${number}].${Indexed<'verdef'>}.${VerdefField}`
  | `sec[${number}].${Indexed<'verdef'>}.${Indexed<'aux'>}.${VerdauxField}`
  | `sec[${number}].${Indexed<'verneed'>}.${VerneedField}`
  | `sec[${number}].${Indexed<'verneed'>}.${Indexed<'aux'>}.${VernauxField}`
  | `sec[${number}].chdr.${ChdrField}`
  | `sec[${number}].hash.${HashField}`
  | `sec[${number}].hash.${Indexed<'bucket' | 'chain'>}`
  | `sec[${number}].gnu_hash.${GnuHashField}`
  | `sec[${number}].gnu_hash.${Indexed<'bloom' | 'bucket' | 'chain'>}`;

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

const FIELD_PATH = /^(?:e_ident\[(\w+)\]|(e_\w+)|(phdr|shdr)\[(\d+)\](?:\.(\w+))?)$/;

function tableEntryOffset(start: bigint, entrySize: number, index: number): number {
  return Number(start + BigInt(entrySize) * BigInt(index));
}

function slotRange(slots: Readonly<Partial<Record<string, FieldSlot>>>, name: string, base = 0): ByteRange | undefined {
  const slot = Object.hasOwn(slots, name) ? slots[name] : undefined;
  return slot && { offset: base + slot.offset, length: slot.size };
}

/** The bytes a field occupies in the file, in the layout the file was read with, or undefined if the path names nothing. */
export function locateField(elf: ElfFile, path: FieldPath): ByteRange | undefined {
  if (path === 'file') return { offset: 0, length: elf.size };
  const match = FIELD_PATH.exec(path);
  if (!match) return locateContentsField(elf, path);
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

/** One step of a path: `name` or `name[index]`. */
interface PathStep {
  readonly name: string;
  readonly index: number | undefined;
}

const PATH_STEP = /^([a-z_]+)(?:\[(\d+)\])?$/;

function pathSteps(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  for (const part of path.split('.')) {
    const match = PATH_STEP.exec(part);
    if (!match) return undefined;
    steps.push({ name: match[1]!, index: match[2] === undefined ? undefined : Number(match[2]) });
  }
  return steps;
}

/** Entry `index` of a table of `size`-byte entries at `start`, or the field `member` of it. */
function entryRange(start: number, size: number, index: number, member?: string, slots?: StructLayout<string>['fields']): ByteRange | undefined {
  const base = start + index * size;
  if (member === undefined) return slots ? undefined : { offset: base, length: size };
  return slots && slotRange(slots, member, base);
}

function noteRange(elf: ElfFile, note: { offset: number; n_namesz: number; n_descsz: number } | undefined, member: string | undefined, align: 4 | 8): ByteRange | undefined {
  if (!note || member === undefined) return undefined;
  const header = elf.layout.contents.nhdr;
  if (member === 'name') return { offset: note.offset + header.size, length: note.n_namesz };
  if (member === 'desc') return { offset: note.offset + noteDescOffset(elf.layout, note.n_namesz, align), length: note.n_descsz };
  return slotRange(header.fields, member, note.offset);
}

/** The contents paths (see FieldPath), through the same layout and list walks as the parser. */
function locateContentsField(elf: ElfFile, path: string): ByteRange | undefined {
  const steps = pathSteps(path);
  const [owner, kind, third, fourth] = steps ?? [];
  if (!owner || !kind || owner.index === undefined) return undefined;
  const layout = elf.layout;
  const structs = layout.contents;
  if (owner.name === 'dyn') {
    const dynamic = elf.programHeaders.find((phdr) => phdr.p_type === PT_DYNAMIC);
    return dynamic && entryRange(Number(dynamic.p_offset), structs.dyn.size, owner.index, kind.name, structs.dyn.fields);
  }
  if (owner.name === 'phdr') {
    const phdr = elf.programHeaders[owner.index];
    if (kind.name !== 'note' || kind.index === undefined || !phdr) return undefined;
    return noteRange(elf, elf.contents.segmentNotes(owner.index)[kind.index], third?.name, noteAlignment(phdr.p_align));
  }
  const section = owner.name === 'sec' ? elf.sectionHeaders.at(owner.index) : undefined;
  if (!section) return undefined;
  const start = Number(section.sh_offset);
  if (kind.name === 'contents') return { offset: start, length: Number(section.sh_size) };
  const member = third?.name;
  const at = kind.index;
  switch (kind.name) {
    case 'chdr': return member === undefined ? undefined : slotRange(structs.chdr.fields, member, start);
    case 'hash': return hashRange(elf, owner.index, start, third);
    case 'gnu_hash': return gnuHashRange(elf, owner.index, start, third);
  }
  if (at === undefined) return undefined;
  switch (kind.name) {
    case 'sym': return entryRange(start, structs.sym.size, at, member, structs.sym.fields);
    case 'rel': return entryRange(start, structs.rel.size, at, member, structs.rel.fields);
    case 'rela': return entryRange(start, structs.rela.size, at, member, structs.rela.fields);
    case 'dyn': return entryRange(start, structs.dyn.size, at, member, structs.dyn.fields);
    case 'versym': return entryRange(start, 2, at);
    case 'symtab_shndx': case 'group': return entryRange(start, 4, at);
    case 'relr': return entryRange(start, layout.wordSize, at);
    case 'note': return noteRange(elf, elf.contents.sectionNotes(owner.index)[at], member, noteAlignment(section.sh_addralign));
    case 'verdef': {
      const entry = elf.contents.verdef(owner.index).entries[at];
      return entry && versionRange(entry.offset, entry.names, structs.verdef, structs.verdaux, third, fourth);
    }
    case 'verneed': {
      const entry = elf.contents.verneed(owner.index).entries[at];
      return entry && versionRange(entry.offset, entry.aux, structs.verneed, structs.vernaux, third, fourth);
    }
    default: return undefined;
  }
}

/** A field of a version definition or need at `offset` (`step`), or of its auxiliary entry `aux[i]` (`auxStep`). */
function versionRange(
  offset: number, auxEntries: readonly { offset: number }[], entry: StructLayout<string>, aux: StructLayout<string>,
  step: PathStep | undefined, auxStep: PathStep | undefined,
): ByteRange | undefined {
  if (!step) return undefined;
  if (step.name !== 'aux') return slotRange(entry.fields, step.name, offset);
  const found = step.index === undefined ? undefined : auxEntries[step.index];
  return found && auxStep && slotRange(aux.fields, auxStep.name, found.offset);
}

/** SHT_HASH: nbucket, nchain, then the buckets and the chains, all entries of `entrySize` bytes. */
function hashRange(elf: ElfFile, index: number, start: number, step: PathStep | undefined): ByteRange | undefined {
  const entrySize = hashEntrySize(elf.layout, elf.header?.e_machine);
  if (!step) return undefined;
  if (step.name === 'nbucket') return { offset: start, length: entrySize };
  if (step.name === 'nchain') return { offset: start + entrySize, length: entrySize };
  if (step.index === undefined) return undefined;
  if (step.name === 'bucket') return entryRange(start + 2 * entrySize, entrySize, step.index);
  const nbucket = elf.contents.hashTable(index)?.nbucket;
  if (step.name === 'chain' && nbucket !== undefined) return entryRange(start + (2 + nbucket) * entrySize, entrySize, step.index);
  return undefined;
}

/** SHT_GNU_HASH: four u4 words, the Bloom filter words of the class, the u4 buckets, the u4 chain values. */
function gnuHashRange(elf: ElfFile, index: number, start: number, step: PathStep | undefined): ByteRange | undefined {
  if (!step) return undefined;
  const header = elf.layout.contents.gnuHash;
  if (step.index === undefined) return slotRange(header.fields, step.name, start);
  const table = elf.contents.gnuHash(index);
  if (!table) return undefined;
  const bloomStart = start + header.size;
  const bucketStart = bloomStart + table.bloomSize * elf.layout.wordSize;
  if (step.name === 'bloom') return entryRange(bloomStart, elf.layout.wordSize, step.index);
  if (step.name === 'bucket') return entryRange(bucketStart, 4, step.index);
  if (step.name === 'chain') return entryRange(bucketStart + table.nbuckets * 4, 4, step.index);
  return undefined;
}
