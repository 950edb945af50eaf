import type { Report, Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { RelocationRun } from '../../model/contents.js';
import { halvesInRange } from '../../model/word-halves.js';
import { ET_REL, SHT_NOBITS } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { capped, hasTextRelocations, loadedMemory } from '../dynamic-facts.js';
import { hasLinkedImage, isAllocated, sectionLabel } from '../facts.js';
import { flaggedRelocations, relocationTables, type RelocationTable } from '../reloc-sections.js';

const LIMIT = 3;

/** The section the relocations patch (sh_info), when it names one. */
function target(elf: ElfFile, section: SectionHeader): SectionHeader | undefined {
  return section.sh_info > 0 ? elf.sectionHeaders.at(section.sh_info) : undefined;
}

/** Relocations of an object or the --emit-relocs copies in a linked file: r_offset inside the section they patch. */
function* inSection(table: RelocationTable, patched: SectionHeader, linked: boolean): Generator<Report> {
  const start = linked && isAllocated(patched) ? patched.sh_addr : 0n;
  const end = start + patched.sh_size;
  const inside = halvesInRange(start, end);
  const outside = (run: RelocationRun, rows: number[]) => {
    for (let row = 0; row < run.count; row += 1) if (!inside(run.offsetHigh[row]!, run.offsetLow[row]!)) rows.push(row);
  };
  for (const relocation of flaggedRelocations(table, outside)) {
    yield {
      ...table.locate(relocation, 'r_offset'),
      message: `relocation ${relocation.index} of ${table.label} patches ${hex(relocation.r_offset)}, outside ${sectionLabel(patched)} [${hex(start)}, ${hex(end)}) it applies to; rebuild the object`,
      actual: hex(relocation.r_offset),
      expected: `[${hex(start)}, ${hex(end)})`,
    };
  }
}

/** Dynamic relocations: r_offset in a PT_LOAD, a writable one unless the file has text relocations. */
function* inImage(elf: ElfFile, table: RelocationTable): Generator<Report> {
  const textrel = hasTextRelocations(elf);
  const memory = loadedMemory(elf);
  // R_*_NONE (type 0 on every machine) patches nothing.
  const misplaced = (run: RelocationRun, rows: number[]) => {
    for (let row = 0; row < run.count; row += 1) {
      if (run.type[row] === 0) continue;
      const place = memory.byteAt(run.offsetHigh[row]!, run.offsetLow[row]!);
      if (place === undefined || (place === 'read-only' && !textrel)) rows.push(row);
    }
  };
  for (const relocation of flaggedRelocations(table, misplaced)) {
    const mapped = memory.mapped(relocation.r_offset, 1n);
    yield {
      ...table.locate(relocation, 'r_offset'),
      message: mapped
        ? `relocation ${relocation.index} of ${table.label} patches ${hex(relocation.r_offset)} in a read-only PT_LOAD, and there is no DT_TEXTREL, so the dynamic linker's write faults; relink (compile with -fPIC) or mark the text relocations`
        : `relocation ${relocation.index} of ${table.label} patches ${hex(relocation.r_offset)}, which no PT_LOAD maps; the dynamic linker writes outside the image. Relink`,
      actual: hex(relocation.r_offset),
      expected: 'an address in a writable PT_LOAD',
    };
  }
}

function* offsetReports(elf: ElfFile): Generator<Report> {
  const type = elf.header?.e_type;
  const linked = hasLinkedImage(elf);
  for (const table of relocationTables(elf)) {
    const patched = table.section && target(elf, table.section);
    if (type === ET_REL || (linked && !table.allocated)) {
      if (patched && patched.sh_type !== SHT_NOBITS) yield* capped(inSection(table, patched, linked), LIMIT);
    } else if (linked) {
      yield* capped(inImage(elf, table), LIMIT);
    }
  }
}

export const relocOffset: Rule = {
  id: 'reloc-offset',
  category: 'gabi',
  severity: 'warning',
  summary: 'Relocations must patch bytes of their section, or of a writable segment',
  explanation: `r_offset says where a relocation writes:

- In a relocatable object (and in the --emit-relocs copies a linked file keeps), it is an
  offset in the section that sh_info names (an address in it, once the section is allocated
  in a linked file), and must lie inside that section: ld refuses the object otherwise.
- In the dynamic relocations of an executable or shared object (allocated .rela.dyn,
  .rela.plt), it is an address in the image that the dynamic linker writes, so a PT_LOAD
  must hold it, and a writable one: the read-only segments are mapped read-only, and the
  write faults unless DT_TEXTREL (or DF_TEXTREL) asks the dynamic linker to make them
  writable first. R_*_NONE entries (type 0) write nothing and are not checked. A file
  without section headers (sstrip, hand-made) is checked the same way through the tables
  its dynamic table names (DT_RELA, DT_REL, DT_JMPREL), as the dynamic linker finds them.

Core dumps and separate debug files are not checked.

Fix: rebuild and relink; code with relocations against its text must be compiled with
-fPIC (or linked with -z notext, which marks DT_TEXTREL).`,
  *check(elf) {
    yield* offsetReports(elf);
  },
};
