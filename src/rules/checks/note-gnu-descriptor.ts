import type { Rule, Report } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import { NT_GNU_ABI_TAG, NT_GNU_GOLD_VERSION, NT_GNU_HWCAP } from '../../model/constants.js';
import { noteField, noteLabel, notesOf, readU32 } from '../notes.js';

/** ELF_NOTE_OS_LINUX, ELF_NOTE_OS_GNU, ELF_NOTE_OS_SOLARIS2, ELF_NOTE_OS_FREEBSD. */
const ABI_TAG_OSES = ['Linux', 'GNU/Hurd', 'Solaris', 'FreeBSD'];

function* abiTags(elf: ElfFile): Generator<Report> {
  for (const { container, note } of notesOf(elf, 'GNU', NT_GNU_ABI_TAG)) {
    if (note.n_descsz !== 16) {
      yield {
        field: noteField(container, note, 'n_descsz'),
        message: `${noteLabel(container, note)} is an NT_GNU_ABI_TAG of ${note.n_descsz} bytes; the tag is four 32-bit words (OS, major, minor, patch): ld.so ignores it, write the 16-byte form`,
        actual: note.n_descsz,
        expected: '16',
      };
      continue;
    }
    const os = readU32(elf, note.desc, 0);
    if (os >= ABI_TAG_OSES.length) {
      yield {
        field: noteField(container, note, 'desc'),
        message: `${noteLabel(container, note)} is an NT_GNU_ABI_TAG for OS ${os}, which is none of 0 (Linux), 1 (GNU/Hurd), 2 (Solaris) or 3 (FreeBSD); ldconfig and ld.so refuse it: write the OS the file is for`,
        actual: os,
        expected: '0 to 3',
      };
    }
  }
}

function* hwcaps(elf: ElfFile): Generator<Report> {
  for (const { container, note } of notesOf(elf, 'GNU', NT_GNU_HWCAP)) {
    // The number of entries and the mask of enabled ones, then the entries (a bit number and a name).
    if (note.n_descsz < 8) {
      yield {
        field: noteField(container, note, 'n_descsz'),
        message: `${noteLabel(container, note)} is an NT_GNU_HWCAP of ${note.n_descsz} bytes, too short for its entry count and mask; rebuild the note`,
        actual: note.n_descsz,
        expected: 'at least 8',
      };
    }
  }
}

function* goldVersions(elf: ElfFile): Generator<Report> {
  for (const { container, note } of notesOf(elf, 'GNU', NT_GNU_GOLD_VERSION)) {
    if (note.desc.length === 0 || note.desc[0] === 0) {
      yield {
        field: noteField(container, note, 'desc'),
        message: `${noteLabel(container, note)} is an NT_GNU_GOLD_VERSION whose version string is empty; it names the gold release that linked the file, as "gold 1.16"`,
        actual: note.n_descsz,
        expected: 'a version string',
      };
    }
  }
}

export const noteGnuDescriptor: Rule = {
  id: 'note-gnu-descriptor',
  category: 'portability',
  severity: 'warning',
  summary: 'GNU ABI tag, hardware capability and gold version notes have the shape their type defines',
  explanation: `Three GNU notes (owner "GNU") have a fixed shape:

- NT_GNU_ABI_TAG (.note.ABI-tag): 16 bytes, four 32-bit words: the OS (0 Linux, 1 GNU/Hurd,
  2 Solaris, 3 FreeBSD) and the oldest kernel version the file runs on. ldconfig and ld.so
  read it to skip libraries built for another system or a newer kernel; a tag of another size
  or OS makes them ignore or refuse the file.
- NT_GNU_HWCAP: at least two words (the number of entries and the mask of enabled ones).
- NT_GNU_GOLD_VERSION: the gold linker's version as a string ("gold 1.16"; gold counts no NUL
  in n_descsz, the padding supplies it).

The build id and the property notes have rules of their own (note-gnu-build-id,
note-gnu-property).

Fix: let the toolchain write these notes (crt1.o carries the ABI tag); a hand-written note
must follow the layout above.`,
  *check(elf) {
    yield* abiTags(elf);
    yield* hwcaps(elf);
    yield* goldVersions(elf);
  },
};
