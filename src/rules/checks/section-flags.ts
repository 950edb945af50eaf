import type { Rule } from '../rule.js';
import {
  ET_REL, SHF_ALLOC, SHF_COMPRESSED, SHF_EXECINSTR, SHF_GROUP, SHF_INFO_LINK, SHF_LINK_ORDER, SHF_MASKOS, SHF_MASKPROC,
  SHF_MERGE, SHF_OS_NONCONFORMING, SHF_STRINGS, SHF_TLS, SHF_WRITE,
} from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { processorSectionFlagsFor } from '../../model/arch/index.js';
import { sectionLabel, shdrField } from '../facts.js';

/** Every flag the gABI defines; the OS and processor ranges are their owners' to define. */
const GABI_FLAGS = SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR | SHF_MERGE | SHF_STRINGS | SHF_INFO_LINK | SHF_LINK_ORDER
  | SHF_OS_NONCONFORMING | SHF_GROUP | SHF_TLS | SHF_COMPRESSED;
const UNDEFINED_FLAGS = ~(GABI_FLAGS | SHF_MASKOS | SHF_MASKPROC);
/**
 * SHF_EXCLUDE: GNU's "leave this section out of the link" (binutils
 * include/elf/common.h), which assemblers and linkers of every processor
 * write (.llvm_addrsig, .gnu.debuglto_*), inside SHF_MASKPROC.
 */
const SHF_EXCLUDE = 0x80000000n;

/** The SHF_MASKPROC bits `machine` defines (with SHF_EXCLUDE), and their names; undefined when no profile knows the machine. */
function processorFlags(machine: number): { readonly bits: bigint; readonly names: string; readonly source: string } | undefined {
  const flags = processorSectionFlagsFor(machine);
  if (!flags) return undefined;
  const bits = flags.known.reduce((all, [bit]) => all | bit, SHF_EXCLUDE);
  const names = [...flags.known.map(([, name]) => name), 'SHF_EXCLUDE'].join(', ');
  return { bits, names, source: flags.source };
}

export const sectionFlags: Rule = {
  id: 'section-flags',
  category: 'gabi',
  severity: 'warning',
  summary: 'sh_flags must use defined flags (processor bits the machine defines), and a mergeable section of an object needs its element size',
  explanation: `sh_flags bits outside the ones the gABI defines (SHF_WRITE up to SHF_COMPRESSED, 0x1 to
0x800) and outside the ranges it leaves to operating systems (SHF_MASKOS, 0x0ff00000) and
processors (SHF_MASKPROC, 0xf0000000) mean nothing to any reader: a tool that sets them has
a bug, and a later gABI may give them a meaning. Within SHF_MASKPROC, each processor's
psABI defines its own bits, listed in elf-lint's architecture profiles from binutils'
include/elf/<arch>.h: SHF_X86_64_LARGE (0x10000000) on x86-64, SHF_ARM_PURECODE on ARM,
SHF_AARCH64_PURECODE on AArch64, SHF_MIPS_GPREL, _MERGE, _ADDR and _STRINGS on MIPS,
SHF_PPC_VLE on 32-bit PowerPC, none on i386, RISC-V, s390, 64-bit PowerPC and LoongArch;
SHF_EXCLUDE (0x80000000), which GNU tools write for every processor, is accepted
everywhere. A processor bit the file's machine does not define is reported; the bits of
a machine no profile describes are not checked.

In a relocatable object, SHF_MERGE tells the linker it may merge identical elements of the
section, and sh_entsize gives their size (the character size with SHF_STRINGS); with
sh_entsize 0 there are no elements to merge and linkers reject or mis-merge the section. In a
linked file SHF_MERGE has no consumer left, and lld writes merged string sections such as
.rodata with sh_entsize 0: elf-lint does not report that (eu-elflint does).

Fix: clear the undefined bits (a foreign processor bit usually comes from an assembler
directive or a linker script written for another architecture); give a mergeable section
in an object its element size in sh_entsize (1 for byte strings), or drop SHF_MERGE.`,
  *check(elf) {
    const object = elf.header?.e_type === ET_REL;
    const processor = elf.header && processorFlags(elf.header.e_machine);
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
      const foreignBits = processor ? section.sh_flags & SHF_MASKPROC & ~processor.bits : 0n;
      if (processor && foreignBits !== 0n) {
        yield {
          field: shdrField(section, 'sh_flags'),
          message: `${sectionLabel(section)} sets processor-specific sh_flags bits ${hex(foreignBits)}, which this machine does not define (it defines ${processor.names}); clear them, or build the section for the right architecture`,
          actual: hex(section.sh_flags),
          expected: `processor bits from ${processor.source}`,
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
