import type { Rule } from '../rule.js';
import { noteContainers, noteSegments, sectionsInSegment } from '../notes.js';
import { phdrField, sectionLabel } from '../facts.js';

export const noteAlignment: Rule = {
  id: 'note-alignment',
  category: 'gabi',
  severity: 'warning',
  summary: 'Notes are aligned to 4 or 8 bytes, and an 8-aligned PT_NOTE holds only 8-aligned notes',
  explanation: `Readers pad a note's name and descriptor to the alignment of the section or segment that
holds it: 4 bytes, or 8 when sh_addralign or p_align is 8 (GNU property notes in ELF64
files). Any other alignment (16, 2, ...) leaves the layout undefined: readelf reports "Corrupt
note: alignment N, expecting 4 or 8" and stops, and the kernel and ld.so read PT_NOTE with
their own rule. An alignment of 0 or 1 means "none" in the gABI and reads as 4.

The notes themselves are words: the note area must start at a file offset that is a multiple
of its alignment (at least 4).

Because a reader takes the padding from p_align, a PT_NOTE segment with p_align 8 must hold
only 8-aligned notes: a 4-aligned note section inside it (a build id, an ABI tag) is misread
after its first note. The GNU linker therefore gives .note.gnu.property, the only 8-aligned
note, a PT_NOTE of its own.

Fix: set sh_addralign/p_align to 4 (or 8 for ELF64 GNU property notes), and keep 4-aligned and
8-aligned note sections in separate PT_NOTE segments (relink with a current linker or fix the
linker script).`,
  *check(elf) {
    for (const container of noteContainers(elf)) {
      const align = container.align;
      if (align > 1n && align !== 4n && align !== 8n) {
        yield {
          field: container.alignField,
          message: `${container.label} declares note alignment ${align}; notes are padded to 4 or 8 bytes, so readers cannot walk it: set it to 4 (8 for ELF64 GNU property notes)`,
          actual: align,
          expected: '4 or 8',
        };
        continue;
      }
      const needed = align === 8n ? 8n : 4n;
      if (container.offset % needed !== 0n) {
        yield {
          field: container.offsetField,
          message: `${container.label} starts at file offset 0x${container.offset.toString(16)}, which is not a multiple of its note alignment ${needed}; move it to an aligned offset`,
          actual: container.offset,
          expected: `a multiple of ${needed}`,
        };
      }
    }
    for (const phdr of noteSegments(elf)) {
      if (phdr.p_align !== 8n) continue;
      for (const section of sectionsInSegment(elf, phdr).filter((note) => note.sh_addralign !== 8n)) {
        yield {
          field: phdrField(phdr, 'p_align'),
          message: `PT_NOTE segment ${phdr.index} has p_align 8 but holds ${sectionLabel(section)}, whose notes are ${section.sh_addralign <= 4n ? '4' : section.sh_addralign}-aligned; readers pad its notes to 8 and misread them: put 4-aligned notes in a PT_NOTE with p_align 4`,
          actual: phdr.p_align,
          expected: '4, or only 8-aligned note sections inside',
        };
      }
    }
  },
};
