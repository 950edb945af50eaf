import type { Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import { hex } from '../../model/hex.js';
import { hasFileBytes, sectionLabel, shdrField } from '../facts.js';

interface Extent {
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
    const sections = elf.sectionHeaders
      .filter((section) => hasFileBytes(section) && section.sh_size > 0n)
      .map((section): Extent => ({ what: sectionLabel(section), start: section.sh_offset, end: section.sh_offset + section.sh_size, section }));
    const extents = [...headerExtents(elf).filter((extent) => extent.end > extent.start), ...sections]
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : (a.section?.index ?? -1) - (b.section?.index ?? -1)));
    // A sweep with the extent that reaches furthest so far: O(n log n) for any number of sections.
    let reach: Extent | undefined;
    for (const extent of extents) {
      if (reach && extent.start < reach.end) {
        const section = extent.section ?? reach.section;
        const other = section === extent.section ? reach : extent;
        if (section) {
          yield {
            field: shdrField(section, 'sh_offset'),
            message: `${sectionLabel(section)} [${hex(section.sh_offset)}, ${hex(section.sh_offset + section.sh_size)}) overlaps ${other.what} [${hex(other.start)}, ${hex(other.end)}) in the file; give each its own bytes`,
            actual: hex(section.sh_offset),
            expected: `outside [${hex(other.start)}, ${hex(other.end)})`,
          };
        }
      }
      if (!reach || extent.end > reach.end) reach = extent;
    }
  },
};
