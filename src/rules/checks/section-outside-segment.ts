import type { Rule } from '../rule.js';
import { SHF_TLS, SHT_NOBITS } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { hasLinkedImage, isAllocated, loadHolding, sectionLabel, shdrField } from '../facts.js';

export const sectionOutsideSegment: Rule = {
  id: 'section-outside-segment',
  category: 'gabi',
  severity: 'warning',
  summary: 'An allocated section must lie inside a PT_LOAD, at the address its file offset maps to',
  explanation: `A section with SHF_ALLOC is part of the memory image, and the only way into the image is a
PT_LOAD segment. Its bytes must lie inside one PT_LOAD both in the file and in memory, with
the segment's own mapping: sh_addr - p_vaddr equals sh_offset - p_offset (the test readelf
-l uses for its section-to-segment map). An SHT_NOBITS section (.bss) has no file bytes and
is judged by its address alone. Otherwise the section headers and the segments describe
different images: a debugger or objdump shows code or data that is not what the program
runs, and tools that edit sections (strip, objcopy) move bytes no segment maps.

Thread-local .tbss is skipped: its addresses describe the TLS template, not the image.
Relocatable objects (no addresses yet), core dumps and separate debug files are not
checked. Empty sections are not checked either.

Fix: relink; when you edit a file by hand, keep each allocated section inside the PT_LOAD
that maps it and update sh_addr and sh_offset together.`,
  *check(elf) {
    if (!hasLinkedImage(elf)) return;
    for (const section of elf.sectionHeaders) {
      if (!isAllocated(section) || section.sh_size === 0n) continue;
      const nobits = section.sh_type === SHT_NOBITS;
      if (nobits && (section.sh_flags & SHF_TLS) !== 0n) continue;
      if (loadHolding(elf, section.sh_addr, section.sh_size, section.sh_offset, nobits ? 0n : section.sh_size)) continue;
      const end = section.sh_addr + section.sh_size;
      yield {
        field: shdrField(section, 'sh_addr'),
        message: nobits
          ? `allocated ${sectionLabel(section)} at [${hex(section.sh_addr)}, ${hex(end)}) lies in no PT_LOAD; relink, or move it into the segment that maps it`
          : `allocated ${sectionLabel(section)} at [${hex(section.sh_addr)}, ${hex(end)}), file offset ${hex(section.sh_offset)}, is not mapped there by any PT_LOAD; relink, or make sh_addr and sh_offset agree with its segment`,
        actual: hex(section.sh_addr),
        expected: 'inside a PT_LOAD, with its offset-to-address mapping',
      };
    }
  },
};
