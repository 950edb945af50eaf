import type { Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import { hex } from '../../model/hex.js';
import { hasFileBytes, sectionLabel, shdrField } from '../facts.js';

interface Extent {
  /** How messages name a header or table (a section is named by its label). */
  readonly what: string;
  readonly start: bigint;
  readonly end: bigint;
  /** Undefined for the headers and tables, which are reported through the section that overlaps them. */
  readonly section?: SectionHeader;
}

/** The ELF header, the program header table and the section header table, where the file has them. */
function headerExtents(elf: ElfFile): Extent[] {
  const header = elf.header;
  if (!header) return [];
  const extents: Extent[] = [{ what: 'the ELF header', start: 0n, end: BigInt(elf.layout.ehdrSize) }];
  if (elf.phnum > 0) {
    extents.push({ what: 'the program header table', start: header.e_phoff, end: header.e_phoff + BigInt(elf.phnum) * BigInt(header.e_phentsize) });
  }
  if (header.e_shoff !== 0n && elf.shnum > 0) {
    extents.push({ what: 'the section header table', start: header.e_shoff, end: header.e_shoff + BigInt(elf.shnum) * BigInt(header.e_shentsize) });
  }
  return extents;
}

export const sectionsOverlap: Rule = {
  id: 'sections-overlap',
  category: 'gabi',
  severity: 'warning',
  summary: 'Sections must not overlap each other or the ELF header and header tables in the file',
  explanation: `Every section with contents (all but SHT_NOBITS and SHT_NULL) owns sh_size bytes at sh_offset,
and the gABI says no byte of the file belongs to more than one section. The ELF header,
the program header table and the section header table are not sections, but they too own
their bytes. Two owners of the same bytes mean one of them reads the other's contents:
strip and objcopy rewrite one and corrupt the other, and a section over a header table
is read as code or data by the tools that look at it. Empty sections own no bytes.

Fix: relink, or correct sh_offset/sh_size so that each section has its own bytes.`,
  *check(elf) {
    const extents = [...headerExtents(elf).filter((extent) => extent.end > extent.start)].sort(byStart);
    // Sections are walked in (sh_offset, index) order without an object each, so a table of millions costs a few bytes per section.
    const order = sectionsByOffset(elf);
    let next = 0;
    const nextSection = (): Extent | undefined => {
      const section = next < order.length ? elf.sectionHeaders.at(order.at(next++)) : undefined;
      return section && { what: '', start: section.sh_offset, end: section.sh_offset + section.sh_size, section };
    };
    // A sweep with the extent that reaches furthest so far: O(n log n) for any number of sections.
    let reach: Extent | undefined;
    let pending = nextSection();
    let header = 0;
    for (;;) {
      const useHeader = header < extents.length && (!pending || byStart(extents[header]!, pending) <= 0);
      const extent = useHeader ? extents[header++] : pending;
      if (!extent) return;
      if (!useHeader) pending = nextSection();
      if (reach && extent.start < reach.end) {
        const section = extent.section ?? reach.section;
        const other = section === extent.section ? reach : extent;
        if (section) {
          const otherWhat = other.section ? sectionLabel(other.section) : other.what;
          yield {
            field: shdrField(section, 'sh_offset'),
            message: `${sectionLabel(section)} [${hex(section.sh_offset)}, ${hex(section.sh_offset + section.sh_size)}) overlaps ${otherWhat} [${hex(other.start)}, ${hex(other.end)}) in the file; give each its own bytes`,
            actual: hex(section.sh_offset),
            expected: `outside [${hex(other.start)}, ${hex(other.end)})`,
          };
        }
      }
      if (!reach || extent.end > reach.end) reach = extent;
    }
  },
};

function byStart(a: Extent, b: Extent): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : (a.section?.index ?? -1) - (b.section?.index ?? -1);
}

/** Section indexes in some order. */
interface SectionOrder {
  readonly length: number;
  at(position: number): number;
}

/** The indexes of the sections that own file bytes, by sh_offset, then index. */
function sectionsByOffset(elf: ElfFile): SectionOrder {
  // Each section is one key, sh_offset above its index, sorted in place: 8 bytes a section, no object each.
  const keys = new BigUint64Array(elf.sectionHeaders.length);
  let count = 0;
  let packed = true;
  for (const section of elf.sectionHeaders) {
    if (!hasFileBytes(section) || section.sh_size === 0n) continue;
    packed &&= section.sh_offset < 1n << 32n;
    keys[count++] = (section.sh_offset << 32n) | BigInt(section.index);
  }
  const sorted = keys.subarray(0, count);
  if (packed) {
    sorted.sort();
    return { length: count, at: (at) => Number(sorted[at]! & 0xffffffffn) };
  }
  // An offset of 4 GiB or more (a damaged header or a huge file): compare the offsets themselves.
  const order = new Uint32Array(count);
  sorted.forEach((key, at) => (order[at] = Number(key & 0xffffffffn)));
  const offsetOf = (index: number): bigint => elf.sectionHeaders.at(index)!.sh_offset;
  order.sort((a, b) => {
    const left = offsetOf(a);
    const right = offsetOf(b);
    return left < right ? -1 : left > right ? 1 : a - b;
  });
  return { length: count, at: (at) => order[at]! };
}
