import type { Rule, Report } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import type { Note } from '../../model/contents.js';
import { noteContainers, noteField, noteLabel, noteSegments, sectionContainer, sectionsInSegment, segmentContainer, type NoteContainer } from '../notes.js';

function* containerReports(elf: ElfFile, container: NoteContainer): Generator<Report> {
  const headerSize = elf.layout.contents.nhdr.size;
  for (const note of container.notes) {
    if (note.problem !== undefined) {
      const field = note.name === undefined ? 'n_namesz' : 'n_descsz';
      yield {
        field: noteField(container, note, field),
        message: `${noteLabel(container, note)}: ${note.problem}, so the notes after it cannot be read; fix ${field} or the size of the ${container.owner.startsWith('sec') ? 'section' : 'segment'}`,
        actual: field === 'n_namesz' ? note.n_namesz : note.n_descsz,
        expected: `a size that ends inside the ${container.size}-byte note area`,
      };
    } else if (note.n_namesz > 0 && elf.slice(note.offset + headerSize + note.n_namesz - 1, 1)[0] !== 0) {
      yield {
        field: noteField(container, note, 'name'),
        message: `${noteLabel(container, note)}: the owner name is not NUL-terminated within its n_namesz ${note.n_namesz} bytes; n_namesz must count the NUL (write the name with its terminator)`,
        actual: note.n_namesz,
        expected: 'a name whose last byte is NUL',
      };
    }
  }
}

const broken = (notes: readonly Note[]) => notes.some((note) => note.problem !== undefined);

export const noteBounds: Rule = {
  id: 'note-bounds',
  category: 'gabi',
  severity: 'warning',
  summary: 'Every note must fit its section or segment, with a NUL-terminated owner name',
  explanation: `An SHT_NOTE section or a PT_NOTE segment is a list of notes, each a 12-byte header (n_namesz,
n_descsz, n_type), the owner name of n_namesz bytes including its NUL, and the descriptor of
n_descsz bytes, both padded to the note alignment. Readers walk the list by these sizes: a size
that runs past the end of the section or segment stops the walk (readelf reports a corrupt
note, the kernel and ld.so ignore the rest of PT_NOTE and PT_GNU_PROPERTY, so a build id, an
ABI tag or the CET/BTI markings after it are lost). The gABI counts the terminating NUL in
n_namesz; a name without it is compared wrongly by readers that use the bytes as a C string.

A segment is checked on its own only when no note section describes its bytes, or when its
notes break where the sections' do not (p_filesz cutting a note in two).

Fix: rebuild the file; a hand-written note (assembler .note sections) must set n_namesz and
n_descsz to the real sizes of the name (with its NUL) and the descriptor.`,
  *check(elf) {
    const containers = noteContainers(elf);
    for (const container of containers) yield* containerReports(elf, container);
    // A segment that maps note sections: its own walk can still break (p_filesz cuts a note).
    for (const phdr of noteSegments(elf)) {
      const sections = sectionsInSegment(elf, phdr);
      if (sections.length === 0 || sections.some((section) => broken(sectionContainer(elf, section).notes))) continue;
      const segment = segmentContainer(elf, phdr);
      if (broken(segment.notes)) yield* containerReports(elf, segment);
    }
  },
};
