// spec -> bytes. Layout first (every unset field gets its natural value),
// then one write pass through the shared field-layout tables.
import {
  ELF_MAGIC, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB,
  EM_386, EM_X86_64, ET_DYN, ET_EXEC, EV_CURRENT, PF_X, PN_XNUM, PT_LOAD, SHN_LORESERVE, SHN_XINDEX, SHT_NOBITS, SHT_STRTAB,
} from '../model/constants.js';
import type { FileHeader, ProgramHeader, SectionHeader } from '../model/elf.js';
import {
  EI_MAG_SLOT, EI_PAD_SLOT, IDENT_LAYOUT, layoutOf, MAX_FILE_BYTES, type ClassLayout, type FieldSlot,
} from '../model/layout.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';


/** A spec that cannot be built; the message names the cause. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
}

const EXEC_BASE = 0x400000n;
const DEFAULT_ALIGN = 0x1000n;
const PLACEMENT_PAGE = 0x1000n;

type SegmentLayout = Omit<ProgramHeader, 'interpreter'> & { readonly dataOffset?: number; readonly data?: Uint8Array };
type SectionLayout = Omit<SectionHeader, 'name'> & { readonly data?: Uint8Array };

interface Layout {
  readonly classLayout: ClassLayout;
  readonly littleEndian: boolean;
  readonly identBytes: Uint8Array;
  readonly header: FileHeader;
  readonly segments: SegmentLayout[];
  readonly sections: SectionLayout[];
  readonly size: number;
}

function alignUp(value: bigint, alignment: bigint): bigint {
  return alignment <= 1n ? value : ((value + alignment - 1n) / alignment) * alignment;
}

/** Smallest offset >= cursor that is congruent to `address` modulo `modulus`. */
function congruentOffset(cursor: bigint, address: bigint, modulus: bigint): bigint {
  if (modulus <= 1n) return cursor;
  const delta = (((address - cursor) % modulus) + modulus) % modulus;
  return cursor + delta;
}

function identBytes(spec: ElfSpec): Uint8Array {
  const ident = spec.ident ?? {};
  const bytes = new Uint8Array(16);
  bytes.set(ident.magic ?? ELF_MAGIC, EI_MAG_SLOT.offset);
  bytes[IDENT_LAYOUT.EI_CLASS.offset] = ident.class ?? ELFCLASS64;
  bytes[IDENT_LAYOUT.EI_DATA.offset] = ident.data ?? ELFDATA2LSB;
  bytes[IDENT_LAYOUT.EI_VERSION.offset] = ident.version ?? EV_CURRENT;
  bytes[IDENT_LAYOUT.EI_OSABI.offset] = ident.osabi ?? 0;
  bytes[IDENT_LAYOUT.EI_ABIVERSION.offset] = ident.abiversion ?? 0;
  if (ident.pad) bytes.set(ident.pad.subarray(0, EI_PAD_SLOT.length), EI_PAD_SLOT.offset);
  return bytes;
}

/** The string table for section names, and each name's offset in it. */
function buildNameTable(sections: readonly SectionSpec[]): { table: Uint8Array; offsets: Map<string, number> } {
  const offsets = new Map<string, number>([['', 0]]);
  const parts: number[] = [0];
  for (const section of sections) {
    const name = section.name;
    if (name === undefined || offsets.has(name)) continue;
    offsets.set(name, parts.length);
    parts.push(...Buffer.from(name, 'utf8'), 0);
  }
  return { table: Uint8Array.from(parts), offsets };
}

function layOutSegments(specs: readonly SegmentSpec[], type: number, start: bigint): { segments: SegmentLayout[]; cursor: bigint } {
  const base = type === ET_DYN ? 0n : EXEC_BASE;
  let cursor = start;
  const segments = specs.map((spec, index): SegmentLayout => {
    const align = spec.p_align ?? DEFAULT_ALIGN;
    const dataLength = BigInt(spec.data?.length ?? 0);
    let dataOffset: bigint | undefined;
    let offset: bigint;
    if (spec.withHeaders) {
      offset = spec.p_offset ?? 0n;
      dataOffset = cursor;
    } else if (spec.data) {
      const modulus = align < PLACEMENT_PAGE ? align : PLACEMENT_PAGE;
      dataOffset = spec.p_vaddr !== undefined ? congruentOffset(cursor, spec.p_vaddr, modulus) : cursor;
      offset = spec.p_offset ?? dataOffset;
    } else {
      offset = spec.p_offset ?? 0n;
    }
    if (dataOffset !== undefined) cursor = dataOffset + dataLength;
    const naturalSize = spec.withHeaders && dataOffset !== undefined ? dataOffset + dataLength - offset : dataLength;
    const vaddr = (spec.p_type ?? PT_LOAD) === PT_LOAD ? base + offset : 0n;
    const filesz = spec.p_filesz ?? naturalSize;
    return {
      index,
      p_type: spec.p_type ?? PT_LOAD,
      p_flags: spec.p_flags ?? 4,
      p_offset: offset,
      p_vaddr: spec.p_vaddr ?? vaddr,
      p_paddr: spec.p_paddr ?? spec.p_vaddr ?? vaddr,
      p_filesz: filesz,
      p_memsz: spec.p_memsz ?? filesz,
      p_align: align,
      ...(dataOffset !== undefined ? { dataOffset: Number(dataOffset) } : {}),
      ...(spec.data ? { data: spec.data } : {}),
    };
  });
  return { segments, cursor };
}

function layOutSections(specs: readonly SectionSpec[], start: bigint): { sections: SectionLayout[]; cursor: bigint } {
  const names = buildNameTable(specs);
  let cursor = start;
  const sections = specs.map((spec, index): SectionLayout => {
    const isNameTable = spec.name === '.shstrtab' && (spec.sh_type === undefined || spec.sh_type === SHT_STRTAB);
    const data = spec.data ?? (isNameTable && spec.sh_offset === undefined ? names.table : undefined);
    const align = spec.sh_addralign ?? (data ? 1n : 0n);
    let offset = spec.sh_offset ?? 0n;
    if (data && spec.sh_offset === undefined) {
      offset = alignUp(cursor, align);
      cursor = offset + BigInt(data.length);
    }
    return {
      index,
      sh_name: spec.sh_name ?? names.offsets.get(spec.name ?? '') ?? 0,
      sh_type: spec.sh_type ?? (isNameTable ? SHT_STRTAB : 0),
      sh_flags: spec.sh_flags ?? 0n,
      sh_addr: spec.sh_addr ?? 0n,
      sh_offset: offset,
      sh_size: spec.sh_size ?? BigInt(data?.length ?? 0),
      sh_link: spec.sh_link ?? 0,
      sh_info: spec.sh_info ?? 0,
      sh_addralign: align,
      sh_entsize: spec.sh_entsize ?? 0n,
      ...(data && spec.sh_type !== SHT_NOBITS ? { data } : {}),
    };
  });
  return { sections, cursor };
}

function defaultEntry(segments: readonly SegmentLayout[]): bigint {
  const code = segments.find((s) => s.p_type === PT_LOAD && (s.p_flags & PF_X) !== 0 && s.dataOffset !== undefined);
  return code ? code.p_vaddr + BigInt(code.dataOffset!) - code.p_offset : 0n;
}

/** Extended numbering: counts that do not fit the header go into section 0. */
function applyExtendedNumbering(sections: SectionLayout[], specs: readonly SectionSpec[], counts: { phnum: number; shnum: number; shstrndx: number }): void {
  const zero = sections[0];
  if (!zero) return;
  const pinned = specs[0] ?? {};
  sections[0] = {
    ...zero,
    sh_info: pinned.sh_info ?? (counts.phnum >= PN_XNUM ? counts.phnum : zero.sh_info),
    sh_size: pinned.sh_size ?? (counts.shnum >= SHN_LORESERVE ? BigInt(counts.shnum) : zero.sh_size),
    sh_link: pinned.sh_link ?? (counts.shstrndx >= SHN_LORESERVE ? counts.shstrndx : zero.sh_link),
  };
}

/** The structures a spec is written with: the class and byte order its e_ident declares, as the parser reads them. */
export function specClassLayout(spec: ElfSpec): ClassLayout {
  return layoutOf((spec.ident?.class ?? ELFCLASS64) === ELFCLASS32 ? 'ELF32' : 'ELF64');
}

/** Pinned values must fit their fields in the spec's class: an ELF32 address is 4 bytes. */
function checkWidths(spec: ElfSpec, layout: ClassLayout): void {
  const check = (where: string, slots: Readonly<Record<string, FieldSlot>>, record: object) => {
    for (const [name, value] of Object.entries(record)) {
      const slot = slots[name];
      if (!slot || (typeof value !== 'bigint' && typeof value !== 'number')) continue;
      if (BigInt(value) >> BigInt(slot.size * 8) !== 0n) {
        throw new SpecError(`${where}${name}: 0x${BigInt(value).toString(16)} does not fit the ${slot.size}-byte field of an ${layout.elfClass} file`);
      }
    }
  };
  check('header.', layout.ehdr, spec.header ?? {});
  spec.segments?.forEach((segment, i) => check(`segments[${i}].`, layout.phdr, segment));
  spec.sections?.forEach((section, i) => check(`sections[${i}].`, layout.shdr, section));
}

function layOut(spec: ElfSpec, raw: readonly Piece[]): Layout {
  const classLayout = specClassLayout(spec);
  checkWidths(spec, classLayout);
  const { ehdrSize, phdrSize, shdrSize } = classLayout;
  const pinned = spec.header ?? {};
  const segmentSpecs = spec.segments ?? [];
  const sectionSpecs = spec.sections ?? [];
  const type = pinned.e_type ?? ET_EXEC;
  const phentsize = pinned.e_phentsize ?? (segmentSpecs.length > 0 || type === ET_EXEC || type === ET_DYN ? phdrSize : 0);
  const phStride = Math.max(phentsize, phdrSize);
  const phoff = pinned.e_phoff ?? (segmentSpecs.length > 0 ? BigInt(ehdrSize) : 0n);
  const tablesEnd = segmentSpecs.length > 0 ? phoff + BigInt(phStride * segmentSpecs.length) : 0n;
  const afterTables = tablesEnd > BigInt(ehdrSize) ? tablesEnd : BigInt(ehdrSize);
  const { segments, cursor: afterSegments } = layOutSegments(segmentSpecs, type, afterTables);
  const { sections, cursor: afterSections } = layOutSections(sectionSpecs, afterSegments);
  const shentsize = pinned.e_shentsize ?? (sections.length > 0 ? shdrSize : 0);
  const shStride = Math.max(shentsize, shdrSize);
  const shoff = pinned.e_shoff ?? (sections.length > 0 ? alignUp(afterSections, BigInt(classLayout.wordSize)) : 0n);
  const shstrndxNatural = sectionSpecs.findIndex((s) => s.name === '.shstrtab');
  const counts = {
    phnum: segments.length,
    shnum: sections.length,
    shstrndx: shstrndxNatural < 0 ? 0 : shstrndxNatural,
  };
  applyExtendedNumbering(sections, sectionSpecs, counts);
  const header: FileHeader = {
    e_type: type,
    e_machine: pinned.e_machine ?? (classLayout.elfClass === 'ELF32' ? EM_386 : EM_X86_64),
    e_version: pinned.e_version ?? EV_CURRENT,
    e_entry: pinned.e_entry ?? defaultEntry(segments),
    e_phoff: phoff,
    e_shoff: shoff,
    e_flags: pinned.e_flags ?? 0,
    e_ehsize: pinned.e_ehsize ?? ehdrSize,
    e_phentsize: phentsize,
    e_phnum: pinned.e_phnum ?? (counts.phnum >= PN_XNUM ? PN_XNUM : counts.phnum),
    e_shentsize: shentsize,
    e_shnum: pinned.e_shnum ?? (counts.shnum >= SHN_LORESERVE ? 0 : counts.shnum),
    e_shstrndx: pinned.e_shstrndx ?? (counts.shstrndx >= SHN_LORESERVE ? SHN_XINDEX : counts.shstrndx),
  };
  const shEnd = sections.length > 0 ? Number(shoff) + shStride * sections.length : 0;
  // A loop, not a spread: a spec may hold more chunks than the stack has room for arguments.
  let rawEnd = 0;
  for (const piece of raw) rawEnd = Math.max(rawEnd, piece.offset + piece.length);
  const natural = Math.max(ehdrSize, Number(afterSections), Number(tablesEnd), shEnd, rawEnd);
  if (spec.size === undefined && natural > MAX_FILE_BYTES) {
    throw new SpecError(`the layout would make a ${natural}-byte file (a pinned offset is too large); pin "size" to describe a file that ends before it`);
  }
  return {
    classLayout,
    littleEndian: (spec.ident?.data ?? ELFDATA2LSB) !== ELFDATA2MSB,
    identBytes: identBytes(spec),
    header,
    segments,
    sections,
    size: spec.size ?? natural,
  };
}

/** Bytes [start, end) of a built file. */
export interface Extent {
  readonly start: number;
  readonly end: number;
}

/**
 * Bytes placed at a file offset: held in memory, or read from a file only as
 * they are written, so that rebuilding a large file never holds it whole.
 */
export interface Piece {
  readonly offset: number;
  readonly length: number;
  /** Fills `target` with the piece's bytes [from, from + target.length). */
  copy(target: Uint8Array, from: number): void;
}

export function bytesPiece(offset: number, bytes: Uint8Array): Piece {
  return { offset, length: bytes.length, copy: (target, from) => target.set(bytes.subarray(from, from + target.length)) };
}

/** A spec's raw chunks as pieces. */
export function rawPieces(spec: ElfSpec): Piece[] | undefined {
  return spec.raw?.map((chunk) => bytesPiece(chunk.offset, chunk.bytes));
}

/** The granularity of `ElfImage.windows` and of its index of pieces: 1 MiB. */
export const WINDOW_BYTES = 1 << 20;

/** Writes fields and pieces into a window [origin, origin + bytes.length) of the file; what falls outside is dropped. */
class FieldWriter {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly origin: number, private readonly littleEndian: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  write(base: number, slot: FieldSlot, value: bigint | number): void {
    const offset = base + slot.offset - this.origin;
    if (offset >= 0 && offset + slot.size <= this.bytes.length) {
      this.writeWhole(offset, slot.size, value);
      return;
    }
    // A field across the window's edge (or the file's end): the part inside.
    if (offset + slot.size <= 0 || offset >= this.bytes.length) return;
    const scratch = new FieldWriter(new Uint8Array(slot.size), 0, this.littleEndian);
    scratch.writeWhole(0, slot.size, value);
    this.place(bytesPiece(base + slot.offset, scratch.bytes));
  }

  place(piece: Piece): void {
    const start = Math.max(piece.offset, this.origin);
    const end = Math.min(piece.offset + piece.length, this.origin + this.bytes.length);
    if (start < end) piece.copy(this.bytes.subarray(start - this.origin, end - this.origin), start - piece.offset);
  }

  private writeWhole(offset: number, size: FieldSlot['size'], value: bigint | number): void {
    const mask = (1n << BigInt(size * 8)) - 1n;
    const exact = BigInt(value) & mask;
    switch (size) {
      case 1: this.view.setUint8(offset, Number(exact)); break;
      case 2: this.view.setUint16(offset, Number(exact), this.littleEndian); break;
      case 4: this.view.setUint32(offset, Number(exact), this.littleEndian); break;
      case 8: this.view.setBigUint64(offset, exact, this.littleEndian); break;
    }
  }
}

/** Floor of a / b for b > 0 (bigint division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n ? quotient - 1n : quotient;
}

/** A table of records (the file header is a table of one): record i at base + stride * i. */
interface Table {
  /** Bytes the records cover, once each (adjacent records as one extent). */
  extents(): Extent[];
  /** Writes the records that meet the file bytes [start, end). */
  writeWithin(writer: FieldWriter, start: number, end: number): void;
}

function table<Slots extends Record<string, FieldSlot>>(
  base: bigint, stride: bigint, slots: Slots, records: readonly { readonly [K in keyof Slots]: bigint | number }[],
): Table {
  const names = Object.keys(slots) as (keyof Slots)[];
  let first = Infinity;
  let last = 0;
  for (const name of names) {
    first = Math.min(first, slots[name]!.offset);
    last = Math.max(last, slots[name]!.offset + slots[name]!.size);
  }
  const count = BigInt(records.length);
  const span = (from: bigint, to: bigint): Extent => ({ start: Number(base + stride * from) + first, end: Number(base + stride * to) + last });
  return {
    extents() {
      if (records.length === 0) return [];
      if (stride === BigInt(last - first)) return [span(0n, count - 1n)];
      return records.map((_, i) => span(BigInt(i), BigInt(i)));
    },
    writeWithin(writer, start, end) {
      // Record i meets [start, end) when base + stride * i + last > start and base + stride * i + first < end.
      const from = floorDiv(BigInt(start - last) - base, stride) + 1n;
      const to = floorDiv(BigInt(end - first - 1) - base, stride);
      for (let i = from < 0n ? 0n : from; i <= to && i < count; i += 1n) {
        const record = records[Number(i)]!;
        const recordBase = Number(base + stride * i);
        for (const name of names) writer.write(recordBase, slots[name]!, record[name]);
      }
    },
  };
}

/** Pieces in write order, indexed by window: each window of a file with many raw chunks visits only its own. */
class PieceIndex {
  readonly #buckets: number[][] = [];
  constructor(private readonly pieces: readonly Piece[], size: number) {
    pieces.forEach((piece, i) => {
      const end = Math.min(piece.offset + piece.length, size);
      if (piece.offset >= end) return;
      for (let bucket = Math.floor(piece.offset / WINDOW_BYTES); bucket <= Math.floor((end - 1) / WINDOW_BYTES); bucket += 1) {
        (this.#buckets[bucket] ??= []).push(i);
      }
    });
  }

  /** The pieces that may meet [start, end), in write order. */
  within(start: number, end: number): Piece[] {
    const first = Math.floor(start / WINDOW_BYTES);
    const last = Math.floor((end - 1) / WINDOW_BYTES);
    const indices = first === last ? this.#buckets[first] ?? [] : [...new Set(this.#buckets.slice(first, last + 1).flatMap((bucket) => bucket ?? []))].sort((a, b) => a - b);
    return indices.map((i) => this.pieces[i]!);
  }
}

/**
 * A spec laid out, written whole (buildElf) or a window at a time (`windows`),
 * byte for byte the same. The writes go in one order, later ones winning:
 * segment and section data, e_ident, the file header, program headers, section
 * headers, then raw chunks.
 */
export class ElfImage {
  readonly size: number;
  /**
   * Where the spec's fields, tables and data write (raw chunks aside), clipped
   * to the file, possibly overlapping.
   */
  readonly written: readonly Extent[];
  readonly #littleEndian: boolean;
  readonly #under: PieceIndex;
  readonly #tables: readonly Table[];
  readonly #over: PieceIndex;

  /** `raw`: the raw chunks (by default the spec's own), which may be read from a file as they are written. Throws SpecError. */
  constructor(spec: ElfSpec, raw: readonly Piece[] = rawPieces(spec) ?? []) {
    const layout = layOut(spec, raw);
    this.size = layout.size;
    this.#littleEndian = layout.littleEndian;
    const under: Piece[] = [];
    for (const segment of layout.segments) {
      if (segment.data && segment.dataOffset !== undefined) under.push(bytesPiece(segment.dataOffset, segment.data));
    }
    for (const section of layout.sections) {
      if (section.data) under.push(bytesPiece(Number(section.sh_offset), section.data));
    }
    under.push(bytesPiece(0, layout.identBytes));
    const { header, classLayout: { ehdr, phdr, shdr, ehdrSize, phdrSize, shdrSize } } = layout;
    this.#tables = [
      table(0n, BigInt(ehdrSize), ehdr, [header]),
      table(header.e_phoff, BigInt(Math.max(header.e_phentsize, phdrSize)), phdr, layout.segments),
      table(header.e_shoff, BigInt(Math.max(header.e_shentsize, shdrSize)), shdr, layout.sections),
    ];
    const clipped = (extent: Extent): Extent => ({ start: Math.max(0, extent.start), end: Math.min(extent.end, this.size) });
    this.written = [...under.map((piece) => ({ start: piece.offset, end: piece.offset + piece.length })), ...this.#tables.flatMap((t) => t.extents())]
      .map(clipped).filter((extent) => extent.start < extent.end);
    this.#under = new PieceIndex(under, this.size);
    this.#over = new PieceIndex(raw, this.size);
  }

  /** Writes the file bytes [start, start + target.length) into `target`. */
  render(start: number, target: Uint8Array): void {
    const end = Math.min(start + target.length, this.size);
    target.fill(0);
    if (start >= end) return;
    const writer = new FieldWriter(target.subarray(0, end - start), start, this.#littleEndian);
    for (const piece of this.#under.within(start, end)) writer.place(piece);
    for (const records of this.#tables) records.writeWithin(writer, start, end);
    for (const piece of this.#over.within(start, end)) writer.place(piece);
  }

  /** The file in consecutive windows; each is a view of one buffer that the next overwrites. */
  *windows(windowBytes = WINDOW_BYTES): Generator<Uint8Array> {
    const buffer = new Uint8Array(Math.min(windowBytes, this.size));
    for (let start = 0; start < this.size; start += windowBytes) {
      const window = buffer.subarray(0, Math.min(windowBytes, this.size - start));
      this.render(start, window);
      yield window;
    }
  }
}

/** Builds the bytes of the file a spec describes. Deterministic; never reads the clock or the disk. */
export function buildElf(spec: ElfSpec): Uint8Array {
  const image = new ElfImage(spec);
  const bytes = new Uint8Array(image.size);
  image.render(0, bytes);
  return bytes;
}
