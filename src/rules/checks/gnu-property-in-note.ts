import type { Rule } from '../rule.js';
import type { ProgramHeader } from '../../model/elf.js';
import { PT_GNU_PROPERTY, PT_NOTE } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { phdrField } from '../facts.js';

/** `outer` holds `inner`'s bytes both in the file and in memory. */
function holds(outer: ProgramHeader, inner: ProgramHeader): boolean {
  return outer.p_offset <= inner.p_offset && inner.p_offset + inner.p_filesz <= outer.p_offset + outer.p_filesz
    && outer.p_vaddr <= inner.p_vaddr && inner.p_vaddr + inner.p_memsz <= outer.p_vaddr + outer.p_memsz;
}

export const gnuPropertyInNote: Rule = {
  id: 'gnu-property-in-note',
  category: 'portability',
  severity: 'warning',
  summary: 'PT_GNU_PROPERTY should lie inside a PT_NOTE segment',
  explanation: `PT_GNU_PROPERTY points at the .note.gnu.property note (the x86 IBT/SHSTK and AArch64 BTI/PAC
feature bits), and the linker extensions that define it say the note is also covered by a
PT_NOTE, as GNU ld and lld both emit it. Only newer readers (Linux 5.8 and later, glibc 2.32
and later) look for PT_GNU_PROPERTY; older dynamic linkers (glibc 2.28 to 2.31 enable CET
from it), readelf -n and other note readers scan the PT_NOTE segments instead. A property
note outside every PT_NOTE is invisible to them: features the program was built with
(or without) are not enabled (or refused) there.

Fix: relink; a file edited by hand needs its PT_NOTE extended over the property note.`,
  *check(elf) {
    const notes = elf.programHeaders.filter((phdr) => phdr.p_type === PT_NOTE);
    for (const phdr of elf.programHeaders) {
      if (phdr.p_type !== PT_GNU_PROPERTY || phdr.p_filesz === 0n || notes.some((note) => holds(note, phdr))) continue;
      yield {
        field: phdrField(phdr, 'p_offset'),
        message: `PT_GNU_PROPERTY ${phdr.index} [${hex(phdr.p_offset)}, ${hex(phdr.p_offset + phdr.p_filesz)}) in the file lies in no PT_NOTE; readers that scan PT_NOTE miss the properties. Extend a PT_NOTE over it`,
        actual: hex(phdr.p_offset),
        expected: 'inside a PT_NOTE',
      };
    }
  },
};
