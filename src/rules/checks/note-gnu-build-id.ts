import type { Rule } from '../rule.js';
import { NT_GNU_BUILD_ID } from '../../model/constants.js';
import { noteField, noteLabel, notesOf } from '../notes.js';

/** ld's --build-id styles make 8 (xx), 16 (md5, uuid) or 20 (sha1) bytes; a hex string can be any length, debuginfod takes up to 64. */
const MIN_BUILD_ID = 8;
const MAX_BUILD_ID = 64;

export const noteGnuBuildId: Rule = {
  id: 'note-gnu-build-id',
  category: 'portability',
  severity: 'warning',
  summary: 'A file has at most one NT_GNU_BUILD_ID note, of 8 to 64 bytes',
  explanation: `The GNU build id (owner "GNU", type NT_GNU_BUILD_ID, section .note.gnu.build-id) identifies
the exact build of a file: debuggers, debuginfod, systemd-coredump and package tools use it to
find the matching debug information (/usr/lib/debug/.build-id/xx/rest.debug). The linker
writes 20 bytes (SHA-1, the default), 16 (MD5 or a UUID) or 8 (xxhash); debuginfod accepts ids
of up to 64 bytes. An id shorter than 8 bytes is not unique enough to find anything, one
longer than 64 is refused, and a second build-id note makes tools disagree about which one is
the file's.

Fix: link with --build-id (sha1) or --build-id=uuid, and strip any build-id note copied in by
hand (objcopy --remove-section).`,
  *check(elf) {
    let first: string | undefined;
    for (const { container, note } of notesOf(elf, 'GNU', NT_GNU_BUILD_ID)) {
      if (note.n_descsz < MIN_BUILD_ID || note.n_descsz > MAX_BUILD_ID) {
        yield {
          field: noteField(container, note, 'n_descsz'),
          message: `${noteLabel(container, note)} is a ${note.n_descsz}-byte build id; build ids are ${MIN_BUILD_ID} to ${MAX_BUILD_ID} bytes (20 for --build-id=sha1): relink with --build-id`,
          actual: note.n_descsz,
          expected: `${MIN_BUILD_ID} to ${MAX_BUILD_ID}`,
        };
      }
      if (first !== undefined) {
        yield {
          field: noteField(container, note, 'n_type'),
          message: `${noteLabel(container, note)} is a second build id (the first is ${first}); tools take either, so keep one`,
          actual: note.n_type,
          expected: 'one NT_GNU_BUILD_ID note per file',
        };
      }
      first ??= noteLabel(container, note);
    }
  },
};
