// Where a file's notes live, for the note rules: its SHT_NOTE sections, and the
// PT_NOTE segments that no note section describes (core dumps, files without
// section headers). A note a section holds is judged there, not a second
// time through the segment that maps the same bytes.
import type { ElfFile, ProgramHeader, SectionHeader } from '../model/elf.js';
import type { ContentsOwner, Note } from '../model/contents.js';
import type { FieldPath } from '../model/layout.js';
import { ET_CORE, PT_NOTE, SHT_NOTE } from '../model/constants.js';
import { isSeparateDebugFile } from '../model/kind.js';
import { perFile, phdrField, sectionLabel, shdrField } from './facts.js';

export interface NoteContainer {
  readonly owner: ContentsOwner;
  /** "section 5 (.note.gnu.build-id)" or "PT_NOTE segment 3". */
  readonly label: string;
  /** sh_addralign or p_align, as declared. */
  readonly align: bigint;
  /** The field that declares the alignment. */
  readonly alignField: FieldPath;
  /** The field that places it in the file (sh_offset, p_offset). */
  readonly offsetField: FieldPath;
  readonly offset: bigint;
  readonly size: bigint;
  readonly notes: readonly Note[];
}

export function noteSections(elf: ElfFile): SectionHeader[] {
  return elf.sectionHeaders.filter((section) => section.sh_type === SHT_NOTE && section.sh_size > 0n);
}

/** The note sections whose bytes lie inside a segment's file image. */
export function sectionsInSegment(elf: ElfFile, phdr: ProgramHeader): SectionHeader[] {
  return noteSections(elf).filter((section) => section.sh_offset >= phdr.p_offset && section.sh_offset + section.sh_size <= phdr.p_offset + phdr.p_filesz);
}

/**
 * PT_NOTE segments whose bytes are notes in this file: a separate debug file
 * keeps the stripped file's program headers over bytes it does not hold, and
 * a truncated core dump has lost the notes past its end.
 */
export function noteSegments(elf: ElfFile): ProgramHeader[] {
  if (isSeparateDebugFile(elf)) return [];
  // A core dump cut short is one finding (core-truncated), not a parse failure per lost note.
  const inFile = (phdr: ProgramHeader) => elf.header?.e_type !== ET_CORE || phdr.p_offset + phdr.p_filesz <= BigInt(elf.size);
  return elf.programHeaders.filter((phdr) => phdr.p_type === PT_NOTE && phdr.p_filesz > 0n && inFile(phdr));
}

export function sectionContainer(elf: ElfFile, section: SectionHeader): NoteContainer {
  return {
    owner: `sec[${section.index}]`, label: sectionLabel(section), align: section.sh_addralign, alignField: shdrField(section, 'sh_addralign'), offsetField: shdrField(section, 'sh_offset'),
    offset: section.sh_offset, size: section.sh_size, notes: elf.contents.sectionNotes(section.index),
  };
}

export function segmentContainer(elf: ElfFile, phdr: ProgramHeader): NoteContainer {
  return {
    owner: `phdr[${phdr.index}]`, label: `PT_NOTE segment ${phdr.index}`, align: phdr.p_align, alignField: phdrField(phdr, 'p_align'), offsetField: phdrField(phdr, 'p_offset'),
    offset: phdr.p_offset, size: phdr.p_filesz, notes: elf.contents.segmentNotes(phdr.index),
  };
}

/** Every note of the file once: the note sections, then the PT_NOTE segments that hold no note section (found once per file, for the eight note rules). */
export const noteContainers: (elf: ElfFile) => readonly NoteContainer[] = perFile((elf) => {
  const sections = noteSections(elf).map((section) => sectionContainer(elf, section));
  const segments = noteSegments(elf).filter((phdr) => sectionsInSegment(elf, phdr).length === 0).map((phdr) => segmentContainer(elf, phdr));
  return [...sections, ...segments];
});

/** A note's field path: `sec[7].note[0].n_descsz`. */
export function noteField(container: NoteContainer, note: Note, field: 'n_namesz' | 'n_descsz' | 'n_type' | 'name' | 'desc'): FieldPath {
  return `${container.owner}.note[${note.index}].${field}`;
}

/** "note 2 (owner GNU, type 3)". */
export function noteLabel(container: NoteContainer, note: Note): string {
  return `note ${note.index} of ${container.label} (owner ${note.name === undefined ? '?' : JSON.stringify(note.name)}, type 0x${note.n_type.toString(16)})`;
}

/** The notes of one owner and type, with where they are. */
export function* notesOf(elf: ElfFile, owner: string, type: number): Generator<{ container: NoteContainer; note: Note }> {
  for (const container of noteContainers(elf)) {
    // A note cut off by the end of its area has no descriptor: note-bounds reports it.
    for (const note of container.notes) if (note.name === owner && note.n_type === type && note.problem === undefined) yield { container, note };
  }
}

/** An unsigned word of the file's class and byte order at `offset` in `bytes`. */
export function readWord(elf: ElfFile, bytes: Uint8Array, offset: number): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = elf.byteOrder === 'LSB';
  return elf.layout.wordSize === 8 ? view.getBigUint64(offset, little) : BigInt(view.getUint32(offset, little));
}

export function readU32(elf: ElfFile, bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, elf.byteOrder === 'LSB');
}
