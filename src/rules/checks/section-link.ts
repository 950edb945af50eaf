import type { Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import {
  nameOr, SHF_INFO_LINK, SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_HASH, SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_GROUP,
  SHT_HASH, SHT_NAMES, SHT_NOBITS, SHT_REL, SHT_RELA, SHT_STRTAB, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
} from '../../model/constants.js';
import type { Report } from '../rule.js';
import { isAllocated, sectionLabel, shdrField } from '../facts.js';

/** The gABI's sh_link for each table type: the types of section it may name. */
const LINK_TARGETS: ReadonlyMap<number, readonly number[]> = new Map([
  [SHT_SYMTAB, [SHT_STRTAB]],
  [SHT_DYNSYM, [SHT_STRTAB]],
  [SHT_DYNAMIC, [SHT_STRTAB]],
  [SHT_GNU_VERDEF, [SHT_STRTAB]],
  [SHT_GNU_VERNEED, [SHT_STRTAB]],
  [SHT_REL, [SHT_SYMTAB, SHT_DYNSYM]],
  [SHT_RELA, [SHT_SYMTAB, SHT_DYNSYM]],
  [SHT_HASH, [SHT_DYNSYM, SHT_SYMTAB]],
  [SHT_GNU_HASH, [SHT_DYNSYM]],
  [SHT_GNU_VERSYM, [SHT_DYNSYM]],
  [SHT_GROUP, [SHT_SYMTAB]],
  [SHT_SYMTAB_SHNDX, [SHT_SYMTAB]],
]);

const typeNames = (types: readonly number[]) => types.map((type) => `SHT_${nameOr(SHT_NAMES, type)}`).join(' or ');

function entryCount(table: SectionHeader): bigint | undefined {
  return table.sh_entsize > 0n ? table.sh_size / table.sh_entsize : undefined;
}

function* linkReports(elf: ElfFile, section: SectionHeader, targets: readonly number[]): Generator<Report> {
  // A static executable's IRELATIVE relocations (.rela.iplt) name no symbol, and ld writes sh_link 0 there.
  const relocations = section.sh_type === SHT_REL || section.sh_type === SHT_RELA;
  if (relocations && section.sh_link === 0 && isAllocated(section) && !elf.sectionHeaders.some((other) => other.sh_type === SHT_DYNSYM)) return;
  const target = section.sh_link < elf.shnum ? elf.sectionHeaders.at(section.sh_link) : undefined;
  // A table that objcopy --only-keep-debug emptied keeps its links but becomes SHT_NOBITS.
  if (target && (targets.includes(target.sh_type) || target.sh_type === SHT_NOBITS) && section.sh_link !== 0) return;
  // An entry the parser could not read is parse-damage's finding.
  if (!target && section.sh_link < elf.shnum) return;
  const what = target ? `${sectionLabel(target)}, an SHT_${nameOr(SHT_NAMES, target.sh_type)}` : `index ${section.sh_link}, which is not a section`;
  yield {
    field: shdrField(section, 'sh_link'),
    message: `${sectionLabel(section)} (SHT_${nameOr(SHT_NAMES, section.sh_type)}) has sh_link ${section.sh_link} naming ${section.sh_link === 0 ? 'no section' : what}; it must name its ${typeNames(targets)} section`,
    actual: section.sh_link,
    expected: `the index of an ${typeNames(targets)} section`,
  };
}

function* infoReports(elf: ElfFile, section: SectionHeader): Generator<Report> {
  const type = section.sh_type;
  if (type === SHT_SYMTAB || type === SHT_DYNSYM) {
    // sh_info is one past the last local symbol: at least the null symbol, at most every symbol.
    const count = entryCount(section);
    if (count !== undefined && count > 0n && (section.sh_info < 1 || BigInt(section.sh_info) > count)) {
      yield {
        field: shdrField(section, 'sh_info'),
        message: `${sectionLabel(section)} has sh_info ${section.sh_info}, but it must be one past the last local symbol, between 1 and its ${count} symbols; rebuild the symbol table`,
        actual: section.sh_info,
        expected: `1 to ${count}`,
      };
    }
  } else if (type === SHT_REL || type === SHT_RELA) {
    // Dynamic relocation sections apply to the whole image: sh_info 0, unless SHF_INFO_LINK says it names a section.
    const infoLink = (section.sh_flags & SHF_INFO_LINK) !== 0n;
    if (section.sh_info >= elf.shnum || (infoLink && section.sh_info === 0)) {
      yield {
        field: shdrField(section, 'sh_info'),
        message: `${sectionLabel(section)} has sh_info ${section.sh_info}, which names no section${infoLink ? ' although SHF_INFO_LINK is set' : ''}; it must be the index of the section the relocations apply to${infoLink ? '' : ', or 0'}`,
        actual: section.sh_info,
        expected: infoLink ? `1 to ${elf.shnum - 1}` : `0 to ${elf.shnum - 1}`,
      };
    }
  }
}

export const sectionLink: Rule = {
  id: 'section-link',
  category: 'gabi',
  severity: 'warning',
  summary: 'sh_link and sh_info must name the sections the section type requires',
  explanation: `For tables, sh_link and sh_info are section indexes (or counts) whose meaning the gABI
fixes per section type:

- SHT_SYMTAB and SHT_DYNSYM: sh_link is the string table of the symbol names, sh_info
  is one past the last local symbol (at least 1, for the null symbol, at most the count).
- SHT_REL and SHT_RELA: sh_link is the symbol table (0 for the allocated relocations
  of a file without .dynsym: static executables' IRELATIVE relocations name no symbol), sh_info the section they apply to, or 0 for
  dynamic relocations; with SHF_INFO_LINK it must name a section.
- SHT_HASH, SHT_GNU_HASH and SHT_GNU_versym: sh_link is the dynamic symbol table.
- SHT_DYNAMIC, SHT_GNU_verdef and SHT_GNU_verneed: sh_link is their string table.
- SHT_GROUP and SHT_SYMTAB_SHNDX: sh_link is the symbol table.

A link to the wrong section makes readelf, objdump, debuggers and linkers read names from
the wrong table or symbols out of bounds. Linux does not read sections; the dynamic linker
reads the dynamic table instead, so a running program is not affected. A link to an
SHT_NOBITS section is accepted: objcopy --only-keep-debug turns tables into SHT_NOBITS.

Fix: relink, or set sh_link/sh_info to the index of the section the type requires.`,
  *check(elf) {
    for (const section of elf.sectionHeaders) {
      const targets = LINK_TARGETS.get(section.sh_type);
      if (targets) yield* linkReports(elf, section, targets);
      yield* infoReports(elf, section);
    }
  },
};
