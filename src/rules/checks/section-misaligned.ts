import type { Rule } from '../rule.js';
import { ET_REL } from '../../model/constants.js';
import { hex, isPowerOfTwo } from '../../model/hex.js';
import { hasFileBytes, isAllocated, sectionLabel, shdrField } from '../facts.js';

export const sectionMisaligned: Rule = {
  id: 'section-misaligned',
  category: 'gabi',
  severity: 'warning',
  summary: 'An allocated section\'s sh_addr, and a section\'s sh_offset, must be multiples of sh_addralign',
  explanation: `sh_addralign is the alignment a section's contents need; the gABI requires sh_addr to be a
multiple of it. Code and data placed at a misaligned address break the alignment the compiler
assumed (aligned vector loads fault, atomics tear), and linkers that place input sections by
sh_addralign produce such addresses only from a damaged section table. The file offset of
a section with contents is aligned the same way by every linker and assembler, so that
tools which read the section in place (debuggers reading DWARF, the linker reading
relocations) find aligned tables.

Only allocated (SHF_ALLOC) sections have an address to check. In a linked file an
allocated section's offset follows from its address through its segment (linkers keep
them congruent only modulo the page; section-outside-segment checks the mapping), so
offsets are checked for the other sections and for every section of a relocatable
object. SHT_NOBITS sections occupy no file space and have no offset. Linux does not read
sections.

Fix: relink, or give the section an address and an offset that are multiples of
sh_addralign (or lower sh_addralign to what the contents need).`,
  *check(elf) {
    const relocatable = elf.header?.e_type === ET_REL;
    for (const section of elf.sectionHeaders) {
      const align = section.sh_addralign;
      // Other rules report an alignment that is not a power of two.
      if (align <= 1n || !isPowerOfTwo(align)) continue;
      const allocated = isAllocated(section);
      if (allocated && section.sh_addr % align !== 0n) {
        yield {
          field: shdrField(section, 'sh_addr'),
          message: `${sectionLabel(section)} has sh_addr ${hex(section.sh_addr)}, not a multiple of its sh_addralign ${hex(align)}; align the address or lower sh_addralign`,
          actual: hex(section.sh_addr),
          expected: `a multiple of ${hex(align)}`,
        };
      }
      if (!hasFileBytes(section) || section.sh_size === 0n || (allocated && !relocatable)) continue;
      if (section.sh_offset % align !== 0n) {
        yield {
          field: shdrField(section, 'sh_offset'),
          message: `${sectionLabel(section)} has sh_offset ${hex(section.sh_offset)}, not a multiple of its sh_addralign ${hex(align)}; move its contents to an aligned offset`,
          actual: hex(section.sh_offset),
          expected: `a multiple of ${hex(align)}`,
        };
      }
    }
  },
};
