import type { Rule, Report } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import { NT_GNU_PROPERTY_TYPE_0, PT_GNU_PROPERTY } from '../../model/constants.js';
import { gnuPropertyDataSize, parseGnuProperties } from '../../model/gnu-property.js';
import { noteField, noteLabel, notesOf, noteSections } from '../notes.js';
import { phdrField } from '../facts.js';

const hex = (value: number) => `0x${value.toString(16)}`;

function* propertyNotes(elf: ElfFile): Generator<Report> {
  const wordSize = elf.layout.wordSize;
  const machine = elf.header?.e_machine ?? 0;
  for (const { container, note } of notesOf(elf, 'GNU', NT_GNU_PROPERTY_TYPE_0)) {
    const label = noteLabel(container, note);
    // The properties are padded to the class's word, so the note must be aligned to it too.
    const align = container.align === 8n ? 8 : 4;
    if (align !== wordSize) {
      yield {
        field: container.alignField,
        message: `${label} is a GNU property note in a ${align}-aligned ${container.owner.startsWith('sec') ? 'section' : 'segment'}; in ${elf.layout.elfClass} files property notes are ${wordSize}-aligned, so set the alignment to ${wordSize} (the kernel and ld.so skip misaligned properties)`,
        actual: container.align,
        expected: String(wordSize),
      };
      continue;
    }
    const parsed = parseGnuProperties(note.desc, elf);
    if (parsed.problem !== undefined) {
      yield {
        field: noteField(container, note, 'desc'),
        message: `${label}: ${parsed.problem}; each property is pr_type, pr_datasz and its data padded to ${wordSize} bytes: rebuild the note`,
        actual: note.n_descsz,
        expected: 'a whole number of properties',
      };
    }
    let previous: number | undefined;
    for (const property of parsed.properties) {
      if (previous !== undefined && property.type <= previous) {
        yield {
          field: noteField(container, note, 'desc'),
          message: `${label}: property ${hex(property.type)} follows ${hex(previous)}; properties must be sorted by type without repeats, or the linker and ld.so merge them wrongly: relink`,
          actual: hex(property.type),
          expected: `a type above ${hex(previous)}`,
        };
      }
      previous = property.type;
      const size = gnuPropertyDataSize(property.type, machine, wordSize);
      if (size !== undefined && property.data.length !== size) {
        yield {
          field: noteField(container, note, 'desc'),
          message: `${label}: property ${hex(property.type)} has pr_datasz ${property.data.length}, but its type defines ${size} bytes; readers ignore it (a CET or BTI marking is lost): relink`,
          actual: property.data.length,
          expected: String(size),
        };
      }
    }
  }
}

/** PT_GNU_PROPERTY must cover exactly .note.gnu.property, the section ld made it from. */
function* propertySegment(elf: ElfFile): Generator<Report> {
  const segment = elf.programHeaders.find((phdr) => phdr.p_type === PT_GNU_PROPERTY);
  const section = noteSections(elf).find((note) => note.name === '.note.gnu.property');
  if (!segment || !section || elf.sectionHeaders.length === 0) return;
  if (segment.p_offset === section.sh_offset && segment.p_filesz === section.sh_size) return;
  yield {
    field: phdrField(segment, segment.p_offset === section.sh_offset ? 'p_filesz' : 'p_offset'),
    message: `PT_GNU_PROPERTY (segment ${segment.index}) covers file bytes [0x${segment.p_offset.toString(16)}, +0x${segment.p_filesz.toString(16)}), not .note.gnu.property at [0x${section.sh_offset.toString(16)}, +0x${section.sh_size.toString(16)}); the kernel reads the segment, tools the section: relink`,
    actual: `0x${segment.p_offset.toString(16)}+0x${segment.p_filesz.toString(16)}`,
    expected: `0x${section.sh_offset.toString(16)}+0x${section.sh_size.toString(16)}`,
  };
}

export const noteGnuProperty: Rule = {
  id: 'note-gnu-property',
  category: 'portability',
  severity: 'warning',
  summary: 'GNU property notes are word-aligned, sorted and sized as their types define, and PT_GNU_PROPERTY matches them',
  explanation: `An NT_GNU_PROPERTY_TYPE_0 note (owner "GNU", section .note.gnu.property, segment
PT_GNU_PROPERTY) lists program properties: pr_type, pr_datasz and the data, padded to 8 bytes
in ELF64 files and 4 in ELF32 files, so the note sits in an 8-aligned (ELF64) or 4-aligned
(ELF32) section and segment. The properties are sorted by type, each type once. Known types
have fixed sizes: the x86 ISA and feature words (GNU_PROPERTY_X86_FEATURE_1_AND: IBT, SHSTK),
AArch64's GNU_PROPERTY_AARCH64_FEATURE_1_AND (BTI, PAC), RISC-V's feature word and the generic
32-bit AND/OR properties are 4 bytes, GNU_PROPERTY_STACK_SIZE a word. The Linux kernel reads
PT_GNU_PROPERTY to turn on BTI, and ld.so reads it for CET; a misaligned note, a property of
the wrong size or an unsorted list makes them (and the linker merging objects) skip or
misread the markings. PT_GNU_PROPERTY must cover exactly .note.gnu.property.

Fix: relink with a current GNU ld, gold or lld; write hand-made property notes with the
assembler's .section .note.gnu.property,"a" and .balign 8 (ELF64).`,
  *check(elf) {
    yield* propertyNotes(elf);
    yield* propertySegment(elf);
  },
};
