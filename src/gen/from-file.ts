// parsed file -> spec. Every field the model holds is pinned; whatever bytes
// those fields do not reproduce are carried as raw chunks, so building the
// spec gives back the file byte for byte.
import type { ElfFile } from '../model/elf.js';
import type { ElfSpec, RawChunk, SectionSpec, SegmentSpec } from './spec.js';
import { buildElfWithExtents, type Extent } from './build.js';

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

const chunkOf = (bytes: Uint8Array, first: number, last: number): RawChunk => ({ offset: first, bytes: bytes.subarray(first, last + 1) });

/**
 * The bytes of `expected` that `actual` lacks, as chunks of `expected`. A chunk
 * never covers a byte that a field wrote correctly (so editing that field in the
 * spec still works), but it spans any stretch of bytes no field writes, up to
 * SPLIT_RUN equal bytes in a row.
 */
function differingChunks(expected: Uint8Array, actual: Uint8Array, written: readonly Extent[]): RawChunk[] {
  const chunks: RawChunk[] = [];
  let first = -1;
  let last = -1;
  let at = 0;
  // One pass over every byte of a file that may be 2 GiB: plain locals, no closures.
  for (const { end, byFields } of stretches(written, expected.length)) {
    for (; at < end; at += 1) {
      if (expected[at] === actual[at]) {
        if (byFields && first >= 0) {
          chunks.push(chunkOf(expected, first, last));
          first = -1;
        }
        continue;
      }
      if (first >= 0 && at - last > SPLIT_RUN) {
        chunks.push(chunkOf(expected, first, last));
        first = -1;
      }
      if (first < 0) first = at;
      last = at;
    }
  }
  if (first >= 0) chunks.push(chunkOf(expected, first, last));
  return chunks;
}

function pinnedStructure(elf: ElfFile): ElfSpec {
  const { ident } = elf;
  const segments: SegmentSpec[] = elf.programHeaders.map(({ index: _index, interpreter: _interp, ...fields }) => fields);
  const sections: SectionSpec[] = elf.sectionHeaders.map(({ index: _index, name, ...fields }) => ({
    ...(name !== undefined ? { name } : {}),
    ...fields,
  }));
  return {
    ident: {
      magic: ident.magic, class: ident.fileClass, data: ident.data, version: ident.version,
      osabi: ident.osAbi, abiversion: ident.abiVersion, pad: ident.pad,
    },
    ...(elf.header ? { header: { ...elf.header } } : {}),
    ...(segments.length > 0 ? { segments } : {}),
    ...(sections.length > 0 ? { sections } : {}),
    size: elf.size,
  };
}

export function specFromFile(elf: ElfFile): ElfSpec {
  const structure = pinnedStructure(elf);
  const { bytes, written } = buildElfWithExtents(structure);
  const raw = differingChunks(elf.bytes, bytes, written);
  return raw.length > 0 ? { ...structure, raw } : structure;
}
