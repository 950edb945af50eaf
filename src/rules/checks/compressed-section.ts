import { inflateSync } from 'node:zlib';
import type { Rule, Report } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { CompressionHeader } from '../../model/contents.js';
import { ELFCOMPRESS_ZLIB, ELFCOMPRESS_ZSTD, SHF_COMPRESSED, SHT_NOBITS } from '../../model/constants.js';
import { isAllocated, sectionLabel, shdrField } from '../facts.js';

/** zlib streams are inflated to check ch_size only up to these sizes, to keep linting fast on large debug files. */
export const INFLATE_MAX_INPUT = 1 << 20;
export const INFLATE_MAX_OUTPUT = 16n << 20n;

/** The stream's first bytes: a zlib header (deflate, window up to 32 KiB, check bits) or zstd's frame magic. */
function streamProblem(type: number, stream: Uint8Array): string | undefined {
  if (type === ELFCOMPRESS_ZLIB) {
    const [cmf, flg] = stream;
    if (cmf === undefined || flg === undefined) return 'holds no zlib stream after its header';
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) return `starts its data with 0x${cmf.toString(16).padStart(2, '0')}${flg.toString(16).padStart(2, '0')}, not a zlib header`;
    return undefined;
  }
  const magic = stream.length >= 4 ? new DataView(stream.buffer, stream.byteOffset, 4).getUint32(0, true) : 0;
  return magic === 0xfd2fb528 ? undefined : 'does not start its data with the zstd frame magic 28 b5 2f fd';
}

function inflatedSizeProblem(stream: Uint8Array, header: CompressionHeader): string | undefined {
  if (stream.length > INFLATE_MAX_INPUT || header.ch_size > INFLATE_MAX_OUTPUT) return undefined;
  try {
    const size = inflateSync(stream, { maxOutputLength: Number(header.ch_size) + 1 }).length;
    return BigInt(size) === header.ch_size ? undefined : `inflates to ${size} bytes, not ch_size ${header.ch_size}`;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'ERR_BUFFER_TOO_LARGE' ? `inflates to more than ch_size ${header.ch_size} bytes` : `is not a valid zlib stream (${error instanceof Error ? error.message : String(error)})`;
  }
}

function* compressed(elf: ElfFile, section: SectionHeader): Generator<Report> {
  const label = sectionLabel(section);
  if (isAllocated(section) || section.sh_type === SHT_NOBITS) {
    yield {
      field: shdrField(section, 'sh_flags'),
      message: `${label} is SHF_COMPRESSED but ${section.sh_type === SHT_NOBITS ? 'SHT_NOBITS (it has no bytes to compress)' : 'SHF_ALLOC: the loader maps sections as they are and never decompresses them'}; compress only non-allocated sections (debug information)`,
      actual: `0x${section.sh_flags.toString(16)}`,
      expected: 'SHF_COMPRESSED without SHF_ALLOC',
    };
    return;
  }
  // A header that does not fit is parse-damage's finding.
  const header = elf.contents.compressionHeader(section.index);
  if (!header) return;
  if (header.ch_type !== ELFCOMPRESS_ZLIB && header.ch_type !== ELFCOMPRESS_ZSTD) {
    yield {
      field: `sec[${section.index}].chdr.ch_type`,
      message: `${label} is compressed with ch_type ${header.ch_type}; readers know ELFCOMPRESS_ZLIB (1) and ELFCOMPRESS_ZSTD (2) only: recompress it (objcopy --compress-debug-sections=zlib)`,
      actual: header.ch_type,
      expected: '1 (zlib) or 2 (zstd)',
    };
    return;
  }
  if (header.ch_addralign !== 0n && (header.ch_addralign & (header.ch_addralign - 1n)) !== 0n) {
    yield {
      field: `sec[${section.index}].chdr.ch_addralign`,
      message: `${label} has ch_addralign ${header.ch_addralign}, not a power of two; it is the decompressed section's alignment: recompress it`,
      actual: header.ch_addralign,
      expected: 'a power of two',
    };
  }
  const bytes = elf.contents.sectionBytes(section.index);
  const headerSize = elf.layout.contents.chdr.size;
  if (!bytes || bytes.length < headerSize || BigInt(bytes.length) < section.sh_size) return;
  const stream = bytes.subarray(headerSize);
  const problem = streamProblem(header.ch_type, stream) ?? (header.ch_type === ELFCOMPRESS_ZLIB ? inflatedSizeProblem(stream, header) : undefined);
  if (problem === undefined) return;
  yield {
    field: `sec[${section.index}].chdr.ch_size`,
    message: `${label} ${problem}; debuggers cannot read it: recompress it (objcopy --decompress-debug-sections, then --compress-debug-sections)`,
    range: { offset: Number(section.sh_offset) + headerSize, length: Math.min(stream.length, 2) },
  };
}

export const compressedSection: Rule = {
  id: 'compressed-section',
  category: 'gabi',
  severity: 'warning',
  summary: 'Compressed sections (SHF_COMPRESSED) are not allocated and hold a valid compression header and stream',
  explanation: `A section with SHF_COMPRESSED (usually .debug_*, from --compress-debug-sections or
-gz) starts with an Elf_Chdr: ch_type (ELFCOMPRESS_ZLIB or ELFCOMPRESS_ZSTD), ch_size (the
size of the decompressed data) and ch_addralign (its alignment, a power of two), followed by
the compressed stream. The gABI forbids SHF_COMPRESSED on SHF_ALLOC sections: the loader maps
sections as they are. elf-lint checks that the stream starts with a zlib header or the zstd
frame magic, and inflates zlib streams of up to 1 MiB that decompress to at most 16 MiB to
compare the result with ch_size (larger sections are not inflated, to keep linting fast).
A bad header or stream makes debuggers, addr2line and libdw fail to read the section.

Fix: recompress the sections (objcopy --decompress-debug-sections, then
--compress-debug-sections=zlib or =zstd), and never compress allocated sections.`,
  *check(elf) {
    for (const section of elf.sectionHeaders) if ((section.sh_flags & SHF_COMPRESSED) !== 0n) yield* compressed(elf, section);
  },
};
