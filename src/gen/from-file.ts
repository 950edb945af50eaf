// parsed file -> spec. Every field the model holds is pinned; whatever bytes
// those fields do not reproduce are carried as raw chunks, so building the
// spec gives back the file byte for byte.
import type { ElfFile } from '../model/elf.js';
import type { ElfSpec, RawChunk, SectionSpec, SegmentSpec } from './spec.js';
import { buildElf } from './build.js';

/** Differences closer than this are merged into one chunk, to keep specs short. */
const MERGE_GAP = 8;

function differingChunks(expected: Uint8Array, actual: Uint8Array): RawChunk[] {
  const chunks: RawChunk[] = [];
  let start = -1;
  let lastDiff = -1;
  for (let i = 0; i < expected.length; i += 1) {
    if (expected[i] === actual[i]) continue;
    if (start >= 0 && i - lastDiff > MERGE_GAP) {
      chunks.push({ offset: start, bytes: expected.slice(start, lastDiff + 1) });
      start = -1;
    }
    if (start < 0) start = i;
    lastDiff = i;
  }
  if (start >= 0) chunks.push({ offset: start, bytes: expected.slice(start, lastDiff + 1) });
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
  const raw = differingChunks(elf.bytes, buildElf(structure));
  return raw.length > 0 ? { ...structure, raw } : structure;
}
