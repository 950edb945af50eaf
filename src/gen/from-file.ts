// parsed file -> spec. Every field the model holds is pinned; whatever bytes
// those fields do not reproduce are carried as raw chunks, so building the
// spec gives back the file byte for byte.
import type { ByteSource, ElfFile } from '../model/elf.js';
import type { ElfSpec, RawChunk, SectionSpec, SegmentSpec } from './spec.js';
import { bytesPiece, ElfImage, WINDOW_BYTES, type Extent, type Piece } from './build.js';

/**
 * Between two differences in bytes no field writes, a run of at least this many
 * equal bytes (alignment padding, zero pages) ends a chunk; shorter runs are
 * carried inside it. So chunks stay few however large the file: outside the
 * tables at most one per this many bytes, in practice a handful per file.
 */
const SPLIT_RUN = 4096;

/** The written extents as sorted, disjoint, non-adjacent ranges. */
function union(extents: readonly Extent[]): Extent[] {
  const sorted = [...extents].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** [0, size) cut at the written extents: where each stretch ends and whether fields wrote it. */
function stretches(written: readonly Extent[], size: number): { end: number; byFields: boolean }[] {
  return [...union(written).flatMap((extent) => [{ end: extent.start, byFields: false }, { end: extent.end, byFields: true }]), { end: size, byFields: false }];
}

/** A raw chunk as a range of the file: [offset, offset + length). */
interface Range {
  readonly offset: number;
  readonly length: number;
}

/**
 * The ranges of the file where the built file differs, compared a window at a
 * time (`expected` and `actual` yield the same windows). A chunk never covers
 * a byte that a field wrote correctly (so editing that field in the spec still
 * works), but it spans any stretch of bytes no field writes, up to SPLIT_RUN
 * equal bytes in a row.
 */
function differingRanges(expected: Iterator<Uint8Array>, actual: Iterator<Uint8Array>, written: readonly Extent[], size: number): Range[] {
  const ranges: Range[] = [];
  const parts = stretches(written, size);
  let part = 0;
  let first = -1;
  let last = -1;
  let at = 0;
  // One pass over every byte of a file that may be 2 GiB: plain locals, no closures.
  while (at < size) {
    const want = expected.next();
    const have = actual.next();
    if (want.done === true || have.done === true) throw new RangeError(`the windows of the file end before its ${size} bytes`);
    const origin = at;
    const file = want.value;
    const built = have.value;
    const windowEnd = origin + file.length;
    while (at < windowEnd) {
      const { end, byFields } = parts[part]!;
      const stop = Math.min(end, windowEnd);
      for (; at < stop; at += 1) {
        if (file[at - origin] === built[at - origin]) {
          if (byFields && first >= 0) {
            ranges.push({ offset: first, length: last + 1 - first });
            first = -1;
          }
          continue;
        }
        if (first >= 0 && at - last > SPLIT_RUN) {
          ranges.push({ offset: first, length: last + 1 - first });
          first = -1;
        }
        if (first < 0) first = at;
        last = at;
        // Where no field writes, a differing byte SPLIT_RUN on continues this chunk whatever lies between: jump to it.
        if (!byFields) {
          while (last + SPLIT_RUN < stop && file[last + SPLIT_RUN - origin] !== built[last + SPLIT_RUN - origin]) last += SPLIT_RUN;
          at = last;
        }
      }
      if (at >= end) part += 1;
    }
  }
  if (first >= 0) ranges.push({ offset: first, length: last + 1 - first });
  return ranges;
}

/** The file a window at a time: views of the bytes in memory, or reads into one reused buffer. */
function* fileWindows(source: Uint8Array | ByteSource, size: number): Generator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let at = 0; at < size; at += WINDOW_BYTES) yield source.subarray(at, Math.min(at + WINDOW_BYTES, size));
    return;
  }
  const buffer = new Uint8Array(Math.min(WINDOW_BYTES, size));
  for (let at = 0; at < size; at += WINDOW_BYTES) yield readRange(source, buffer.subarray(0, Math.min(WINDOW_BYTES, size - at)), at);
}

/** Reads into `target` from `position`; a file that shrank since it was parsed reads as zeros past its end. */
function readRange(source: ByteSource, target: Uint8Array, position: number): Uint8Array {
  target.fill(0);
  source.read(target, position);
  return target;
}

/** A raw chunk left in the file, read only when it is written. */
function sourcePiece(source: Uint8Array | ByteSource, { offset, length }: Range): Piece {
  if (source instanceof Uint8Array) return bytesPiece(offset, source.subarray(offset, offset + length));
  return { offset, length, copy: (target, from) => void readRange(source, target, offset + from) };
}

function pinnedStructure(elf: ElfFile): ElfSpec {
  const { ident, header } = elf;
  // Fields listed, not spread: a header may be a class instance whose fields are getters.
  const segments: SegmentSpec[] = elf.programHeaders.map((p) => ({
    p_type: p.p_type, p_flags: p.p_flags, p_offset: p.p_offset, p_vaddr: p.p_vaddr, p_paddr: p.p_paddr,
    p_filesz: p.p_filesz, p_memsz: p.p_memsz, p_align: p.p_align,
  }));
  const sections: SectionSpec[] = elf.sectionHeaders.map((s) => {
    const name = s.name;
    return {
      ...(name !== undefined ? { name } : {}),
      sh_name: s.sh_name, sh_type: s.sh_type, sh_flags: s.sh_flags, sh_addr: s.sh_addr, sh_offset: s.sh_offset, sh_size: s.sh_size,
      sh_link: s.sh_link, sh_info: s.sh_info, sh_addralign: s.sh_addralign, sh_entsize: s.sh_entsize,
    };
  });
  return {
    ident: {
      magic: ident.magic, class: ident.fileClass, data: ident.data, version: ident.version,
      osabi: ident.osAbi, abiversion: ident.abiVersion, pad: ident.pad,
    },
    ...(header ? {
      header: {
        e_type: header.e_type, e_machine: header.e_machine, e_version: header.e_version, e_entry: header.e_entry,
        e_phoff: header.e_phoff, e_shoff: header.e_shoff, e_flags: header.e_flags, e_ehsize: header.e_ehsize,
        e_phentsize: header.e_phentsize, e_phnum: header.e_phnum, e_shentsize: header.e_shentsize, e_shnum: header.e_shnum,
        e_shstrndx: header.e_shstrndx,
      },
    } : {}),
    ...(segments.length > 0 ? { segments } : {}),
    ...(sections.length > 0 ? { sections } : {}),
    size: elf.size,
  };
}

/** The pinned structure and the ranges of `source` (the file `elf` was parsed from) it does not reproduce. */
function structureAndRanges(elf: ElfFile, source: Uint8Array | ByteSource): { structure: ElfSpec; ranges: Range[] } {
  const structure = pinnedStructure(elf);
  const image = new ElfImage(structure);
  const ranges = differingRanges(fileWindows(source, elf.size), image.windows(), image.written, image.size);
  return { structure, ranges };
}

/** specFromFile with the raw chunks in memory, as views of the file's bytes. */
export function specFromFile(elf: ElfFile): ElfSpec {
  const { bytes } = elf;
  const { structure, ranges } = structureAndRanges(elf, bytes);
  const raw = ranges.map(({ offset, length }): RawChunk => ({ offset, bytes: bytes.subarray(offset, offset + length) }));
  return raw.length > 0 ? { ...structure, raw } : structure;
}

/** A spec whose raw chunks may stay in a file: `raw`, when given, stands for `structure.raw`, each chunk read as it is written. */
export interface FileSpec {
  readonly structure: ElfSpec;
  readonly raw?: readonly Piece[];
}

/**
 * The spec of a file read by ranges: `source` is the file `elf` was parsed
 * from, read here a window at a time and again as the raw chunks are written
 * (`specJsonPieces`, `ElfImage`), so that no buffer is the size of the file.
 */
export function fileSpecOf(elf: ElfFile, source: Uint8Array | ByteSource): FileSpec {
  const { structure, ranges } = structureAndRanges(elf, source);
  return ranges.length > 0 ? { structure, raw: ranges.map((range) => sourcePiece(source, range)) } : { structure };
}
