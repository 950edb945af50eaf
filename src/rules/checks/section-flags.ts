import type { Rule } from '../rule.js';
import {
  ET_REL, SHF_ALLOC, SHF_COMPRESSED, SHF_EXECINSTR, SHF_GROUP, SHF_INFO_LINK, SHF_LINK_ORDER, SHF_MASKOS, SHF_MASKPROC,
  SHF_MERGE, SHF_OS_NONCONFORMING, SHF_STRINGS, SHF_TLS, SHF_WRITE,
} from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { sectionLabel, shdrField } from '../facts.js';

/** Every flag the gABI defines; the OS and processor ranges are their owners' to define. */
const GABI_FLAGS = SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_MERGE | SHF_STRINGS | SHF_INFO_LINK | SHF_LINK_ORDER
  | SHF_OS_NONCONFORMING | SHF_GROUP | SHF_TLS | SHF_COMPRESSED;
const UNDEFINED_FLAGS = ~(GABI_FLAGS | SHF_MASKOS | SHF_MASKPROC);

export const sectionFlags: Rule = {
  id: 'section-flags',
  category: 'gabi',
  severity: 'warning',
  summary: 'sh_flags must use defined flags, and a mergeable section of an object needs its element size',
  explanation: `sh_flags bits outside the ones the gABI defines (SHF_WRITE up to SHF_COMPRESSED, 0x1 to
0x800) and outside the ranges it leaves to operating systems (SHF_MASKOS, 0x0ff00000) and
processors (SHF_MASKPROC, 0xf0000000) mean nothing to any reader: a tool that sets them has
a bug, and a later gABI may give them a meaning.

In a relocatable object, SHF_MERGE tells the linker it may merge identical elements of the
section, and sh_entsize gives their size (the character size with SHF_STRINGS); with
sh_entsize 0 there are no elements to merge and linkers reject or mis-merge the section. In a
linked file SHF_MERGE has no consumer left, and lld writes merged string sections such as
.rodata with sh_entsize 0: elf-lint does not report that (eu-elflint does).

Fix: clear the undefined bits; give a mergeable section in an object its element size in
sh_entsize (1 for byte strings), or drop SHF_MERGE.`,
  *check(elf) {
    const object = elf.header?.e_type === ET_REL;
    for (const section of elf.sectionHeaders) {
      const unknownBits = section.sh_flags & UNDEFINED_FLAGS;
      if (unknownBits !== 0n) {
        yield {
          field: shdrField(section, 'sh_flags'),
          message: `${sectionLabel(section)} sets sh_flags bits ${hex(unknownBits)}, which no standard defines; clear them`,
          actual: hex(section.sh_flags),
          expected: 'gABI flags, or bits in SHF_MASKOS / SHF_MASKPROC',
        };
      }
      if (object && (section.sh_flags & SHF_MERGE) !== 0n && section.sh_entsize === 0n && section.sh_size > 0n) {
        yield {
          field: shdrField(section, 'sh_entsize'),
          message: `${sectionLabel(section)} is SHF_MERGE with sh_entsize 0: the linker cannot tell its elements apart; set the element size (1 for byte strings) or clear SHF_MERGE`,
          actual: 0n,
          expected: 'the size of one element',
        };
      }
    }
  },
};
