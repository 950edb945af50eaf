import type { Rule, Report } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import { ET_REL, GRP_COMDAT, SHF_GROUP, SHT_DYNSYM, SHT_GROUP, SHT_SYMTAB } from '../../model/constants.js';
import { sectionLabel, shdrField } from '../facts.js';

/** GRP_MASKOS and GRP_MASKPROC: flag bits the OS and the processor define. */
const GRP_MASK_OS_PROC = 0xfff00000;

function* signature(elf: ElfFile, group: SectionHeader): Generator<Report> {
  const symtab = elf.sectionHeaders.at(group.sh_link);
  // A link to anything but a symbol table is section-link's finding.
  if (!symtab || (symtab.sh_type !== SHT_SYMTAB && symtab.sh_type !== SHT_DYNSYM)) return;
  const count = elf.contents.symbols(symtab.index).length;
  if (group.sh_info === 0 || group.sh_info >= count) {
    yield {
      field: shdrField(group, 'sh_info'),
      message: `group ${sectionLabel(group)} has sh_info ${group.sh_info}, which is ${group.sh_info === 0 ? 'the null symbol' : `past the ${count} symbols of ${sectionLabel(symtab)}`}; sh_info names the symbol whose name is the group's signature: the linker cannot deduplicate the group, rebuild the object`,
      actual: group.sh_info,
      expected: `1 to ${count - 1}`,
    };
  }
}

function* members(elf: ElfFile, group: SectionHeader, owner: Map<number, SectionHeader>): Generator<Report> {
  const contents = elf.contents.group(group.index);
  if (!contents) return;
  const unknown = contents.flags & ~GRP_COMDAT & ~GRP_MASK_OS_PROC;
  if (unknown !== 0) {
    yield {
      field: `sec[${group.index}].group[0]`,
      message: `group ${sectionLabel(group)} has flag word 0x${contents.flags.toString(16)}; the only flag the gABI defines is GRP_COMDAT (1): clear the others`,
      actual: contents.flags,
      expected: 'GRP_COMDAT or 0',
    };
  }
  for (const [position, member] of contents.members.entries()) {
    const field = `sec[${group.index}].group[${position + 1}]` as const;
    const section = member > 0 && member !== group.index ? elf.sectionHeaders.at(member) : undefined;
    const problem = !section ? (member === group.index ? 'the group itself' : `index ${member}, which is not a section`)
      : section.sh_type === SHT_GROUP ? `${sectionLabel(section)}, another group`
        : (section.sh_flags & SHF_GROUP) === 0n ? `${sectionLabel(section)}, which lacks SHF_GROUP`
          : owner.has(member) ? `${sectionLabel(section)}, already a member of ${sectionLabel(owner.get(member)!)}`
            : member < group.index ? `${sectionLabel(section)}, which comes before the group in the section table` : undefined;
    if (section && !owner.has(member)) owner.set(member, group);
    if (problem === undefined) continue;
    yield {
      field,
      message: `group ${sectionLabel(group)} lists ${problem}; a group's members are sections after it with SHF_GROUP set, each in one group only: rebuild the object`,
      actual: member,
      expected: 'the index of a later SHF_GROUP section in no other group',
    };
  }
}

export const groupSection: Rule = {
  id: 'group-section',
  category: 'gabi',
  severity: 'warning',
  summary: 'Section groups (SHT_GROUP) belong in objects, name their signature and list SHF_GROUP sections once',
  explanation: `A section group (SHT_GROUP, e.g. a COMDAT group for an inline function or a template
instance) tells the linker which sections to keep or drop together. The gABI defines it for
relocatable objects: sh_link is the symbol table, sh_info the index of the symbol whose name is
the group's signature, the contents a flag word (only GRP_COMDAT, plus OS- and
processor-specific bits) followed by the section indexes of the members. The group's section
header comes before its members' in the table, every member has SHF_GROUP set and is in one
group only, and every SHF_GROUP section is in a group. A group in a
linked file, a signature that is not a symbol, or a member list that disagrees with the
SHF_GROUP flags makes linkers keep duplicates, drop the wrong sections or refuse the object
(ld: "no group info for section").

Fix: rebuild the object with the compiler and assembler (a hand-written .section ...,"axG",
@progbits,signature,comdat gets all of this right); strip groups from linked files.`,
  *check(elf) {
    const groups = elf.sectionHeaders.filter((section) => section.sh_type === SHT_GROUP);
    const owner = new Map<number, SectionHeader>();
    for (const group of groups) {
      if (elf.header?.e_type !== ET_REL) {
        yield {
          field: shdrField(group, 'sh_type'),
          message: `${sectionLabel(group)} is a section group in a file that is not a relocatable object; groups guide the static linker only: remove it (objcopy --remove-section)`,
          actual: group.sh_type,
          expected: 'SHT_GROUP only in ET_REL files',
        };
        continue;
      }
      yield* signature(elf, group);
      yield* members(elf, group, owner);
    }
    if (elf.header?.e_type !== ET_REL) return;
    for (const section of elf.sectionHeaders) {
      if ((section.sh_flags & SHF_GROUP) === 0n || owner.has(section.index) || section.sh_type === SHT_GROUP) continue;
      yield {
        field: shdrField(section, 'sh_flags'),
        message: `${sectionLabel(section)} has SHF_GROUP set but no section group lists it; add it to its group or clear the flag`,
        actual: `0x${section.sh_flags.toString(16)}`,
        expected: 'SHF_GROUP only on group members',
      };
    }
  },
};
