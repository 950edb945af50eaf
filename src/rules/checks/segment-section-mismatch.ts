import type { Rule, Report } from '../rule.js';
import type { ElfFile, ProgramHeader, SectionHeader } from '../../model/elf.js';
import {
  nameOr, PT_DYNAMIC, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, PT_INTERP, PT_NAMES, PT_TLS, SHF_TLS, SHT_DYNAMIC, SHT_NOBITS,
} from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import type { PhdrField } from '../../model/layout.js';
import { hasLinkedImage, isAllocated, phdrField, sectionLabel } from '../facts.js';

/** What a segment should say when it describes exactly one section's bytes. */
interface Expected {
  readonly what: string;
  readonly p_offset: bigint;
  readonly p_vaddr: bigint;
  readonly p_filesz: bigint;
  readonly p_memsz: bigint;
}

function ofSection(section: SectionHeader): Expected {
  const fileSize = section.sh_type === SHT_NOBITS ? 0n : section.sh_size;
  return { what: sectionLabel(section), p_offset: section.sh_offset, p_vaddr: section.sh_addr, p_filesz: fileSize, p_memsz: section.sh_size };
}

function named(elf: ElfFile, name: string, accept: (section: SectionHeader) => boolean = () => true): Expected | undefined {
  const section = elf.sectionHeaders.find((candidate) => candidate.name === name && accept(candidate));
  return section && ofSection(section);
}

/**
 * The TLS template: the SHF_TLS sections from the lowest address to the
 * highest end, .tdata's bytes then .tbss's zeros. p_memsz may be rounded up to p_align, which some
 * linkers do, so only its lower bound is exact.
 */
function tlsTemplate(elf: ElfFile): Expected | undefined {
  const tls = elf.sectionHeaders.filter((section) => (section.sh_flags & SHF_TLS) !== 0n && isAllocated(section) && section.sh_size > 0n);
  const first = tls.reduce<SectionHeader | undefined>((low, section) => (!low || section.sh_addr < low.sh_addr ? section : low), undefined);
  if (!first) return undefined;
  const end = (section: SectionHeader) => section.sh_addr + section.sh_size;
  const data = tls.filter((section) => section.sh_type !== SHT_NOBITS);
  const dataEnd = data.length > 0 ? data.reduce((max, section) => (end(section) > max ? end(section) : max), first.sh_addr) : first.sh_addr;
  const memoryEnd = tls.reduce((max, section) => (end(section) > max ? end(section) : max), first.sh_addr);
  return {
    what: `the SHF_TLS sections ${tls.map((section) => section.name ?? section.index).join(', ')}`,
    p_offset: first.sh_offset, p_vaddr: first.sh_addr, p_filesz: dataEnd - first.sh_addr, p_memsz: memoryEnd - first.sh_addr,
  };
}

function expectedFor(elf: ElfFile, phdr: ProgramHeader): Expected | undefined {
  switch (phdr.p_type) {
    case PT_DYNAMIC: return named(elf, '.dynamic', (section) => section.sh_type === SHT_DYNAMIC);
    case PT_INTERP: return named(elf, '.interp');
    case PT_GNU_EH_FRAME: return named(elf, '.eh_frame_hdr');
    case PT_GNU_PROPERTY: return named(elf, '.note.gnu.property');
    case PT_TLS: return tlsTemplate(elf);
    default: return undefined;
  }
}

const FIELDS = ['p_offset', 'p_vaddr', 'p_filesz', 'p_memsz'] as const satisfies readonly PhdrField[];

function mismatch(phdr: ProgramHeader, expected: Expected): Report | undefined {
  for (const field of FIELDS) {
    const actual = phdr[field];
    const wanted = expected[field];
    // A file image with no bytes has no meaningful offset; a TLS p_memsz may be rounded up.
    if (field === 'p_offset' && expected.p_filesz === 0n) continue;
    const agrees = field === 'p_memsz' && phdr.p_type === PT_TLS ? actual >= wanted : actual === wanted;
    if (agrees) continue;
    return {
      field: phdrField(phdr, field),
      message: `PT_${nameOr(PT_NAMES, phdr.p_type)} ${phdr.index} has ${field} ${hex(actual)}, but ${expected.what} ${field === 'p_offset' ? 'starts at offset' : field === 'p_vaddr' ? 'starts at' : 'spans'} ${hex(wanted)}; relink, or make the segment describe the section`,
      actual: hex(actual),
      expected: phdr.p_type === PT_TLS && field === 'p_memsz' ? `>= ${hex(wanted)}` : hex(wanted),
    };
  }
  return undefined;
}

export const segmentSectionMismatch: Rule = {
  id: 'segment-section-mismatch',
  category: 'gabi',
  severity: 'warning',
  summary: 'PT_DYNAMIC, PT_INTERP, PT_TLS, PT_GNU_EH_FRAME and PT_GNU_PROPERTY must describe the same bytes as their sections',
  explanation: `Some segments exist to point at one section, and linkers make them describe exactly its bytes:
PT_DYNAMIC is .dynamic, PT_INTERP is .interp, PT_GNU_EH_FRAME is .eh_frame_hdr,
PT_GNU_PROPERTY is .note.gnu.property, and PT_TLS is the TLS template, the SHF_TLS sections
(.tdata then .tbss) from the first to the last. At run time only the segment counts (the
dynamic linker, the kernel and unwinders read the program headers), while debuggers,
readelf, strip and binary rewriters read the sections; when the two disagree, one of them
shows bytes the program does not use, and rewriting tools update one and leave the other
stale.

The check compares p_offset, p_vaddr, p_filesz and p_memsz with the section's sh_offset,
sh_addr and sh_size (a PT_TLS p_memsz may be larger: some linkers round it up to
p_align). Files without the section (stripped of section headers), relocatable objects,
core dumps and separate debug files are not checked.

Fix: relink; when you move a section by hand, move the segment that describes it with it.`,
  *check(elf) {
    if (!hasLinkedImage(elf)) return;
    for (const phdr of elf.programHeaders) {
      const expected = expectedFor(elf, phdr);
      const report = expected && mismatch(phdr, expected);
      if (report) yield report;
    }
  },
};
