import type { Rule } from '../rule.js';
import { noteOwner, noteTypeName } from '../../model/note-owners.js';
import { noteContainers, noteField, noteLabel } from '../notes.js';

export const noteUnknownType: Rule = {
  id: 'note-unknown-type',
  category: 'portability',
  severity: 'info',
  summary: 'A note of an owner or type that no known toolchain or system defines',
  explanation: `Note types are defined per owner (the note's name): type 3 is a build id for "GNU", a probe for
"stapsdt" and a dependency list for "Go". elf-lint knows the owners real files carry: GNU,
CORE, LINUX and GDB (core dumps), Linux and Xen (kernels), stapsdt (SystemTap probes), Go, FDO
(systemd's package and dlopen metadata), annobin's "GA" notes, Crashpad (Chromium), Android,
the BSDs and LLVMOFFLOAD. A note of another owner, or an unknown type of a known owner, is not wrong (any
vendor may define notes) but nothing here can check it, so it is reported as information.

eu-elflint calls such notes "unknown object file note type" even for owners every Linux system
carries (stapsdt, Go, FDO); elf-lint does not.

Fix: nothing, if the note is yours; otherwise find out which tool wrote it (objdump -s -j
SECTION) and remove it with objcopy --remove-section if it should not be there.`,
  *check(elf) {
    for (const container of noteContainers(elf)) {
      for (const note of container.notes) {
        // A note whose name does not fit is note-bounds' finding.
        if (note.name === undefined || note.problem !== undefined || noteTypeName(note.name, note.n_type) !== undefined) continue;
        const owner = noteOwner(note.name);
        yield {
          field: noteField(container, note, owner ? 'n_type' : 'name'),
          message: owner
            ? `${noteLabel(container, note)}: ${owner.description} (owner ${JSON.stringify(note.name)}) define no note type 0x${note.n_type.toString(16)}; check which tool wrote it`
            : `${noteLabel(container, note)}: no known toolchain or system uses the owner name ${JSON.stringify(note.name)}; check which tool wrote it`,
          actual: owner ? note.n_type : note.name,
          expected: owner ? 'a type its owner defines' : 'a known owner',
        };
      }
    }
  },
};
