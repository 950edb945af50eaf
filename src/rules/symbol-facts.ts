// Facts about symbol tables and the GNU symbol-versioning sections that the
// symbol-* and version-* rules share.
import type { ElfFile, SectionHeader } from '../model/elf.js';
import type { ElfSymbol, SymbolRun, Symbols, TableString, VersionDefinition, VersionList, VersionNeed } from '../model/contents.js';
import type { FieldPath, SymField } from '../model/layout.js';
import type { Report } from './rule.js';
import { flaggedEntries, sectionLabel, shdrField } from './facts.js';
import {
  ET_DYN, ET_EXEC, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX, SHT_DYNSYM, SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_NOBITS, SHT_SYMTAB, SHT_SYMTAB_SHNDX, VERSYM_HIDDEN,
} from '../model/constants.js';
import { elfHash } from '../model/elf-hash.js';

/** The symbol tables (SHT_SYMTAB and SHT_DYNSYM) whose entries are in the file. */
export function symbolTables(elf: ElfFile): SectionHeader[] {
  return elf.sectionHeaders.filter((section) => section.sh_type === SHT_SYMTAB || section.sh_type === SHT_DYNSYM);
}

/** The symbols of a table that `flag` picks from their columns (flaggedEntries): it must pick every symbol the rule could report. */
export function flaggedSymbols(symbols: Symbols, flag: (run: SymbolRun, rows: number[]) => void): Generator<ElfSymbol> {
  return flaggedEntries(symbols, flag);
}

/** How many entries of `entrySize` bytes sh_size declares (the count readers use). */
export function declaredEntries(section: SectionHeader, entrySize: number): bigint {
  return section.sh_size / BigInt(entrySize);
}

export function symField(table: SectionHeader, symbol: ElfSymbol, field: SymField): FieldPath {
  return `sec[${table.index}].sym[${symbol.index}].${field}`;
}

/** "symbol 5 (printf)", or "symbol 5" when it has no readable name. */
export function symbolLabel(symbol: ElfSymbol): string {
  return `symbol ${symbol.index}${symbol.name ? ` (${symbol.name})` : ''}`;
}

/** The section index of each symbol whose st_shndx is SHN_XINDEX: the SHT_SYMTAB_SHNDX section linked to the table. */
export function extendedIndexes(elf: ElfFile, table: SectionHeader): readonly number[] | undefined {
  const shndx = elf.sectionHeaders.find((section) => section.sh_type === SHT_SYMTAB_SHNDX && section.sh_link === table.index);
  return shndx && elf.contents.symbolSectionIndexes(shndx.index);
}

/**
 * The section a symbol is defined in (through SHT_SYMTAB_SHNDX for
 * SHN_XINDEX); undefined for SHN_UNDEF, the other reserved indexes and
 * indexes that name no section.
 */
export function definingSection(elf: ElfFile, table: SectionHeader, symbol: ElfSymbol): SectionHeader | undefined {
  const index = symbol.st_shndx === SHN_XINDEX ? extendedIndexes(elf, table)?.[symbol.index] : symbol.st_shndx;
  if (index === undefined || index === SHN_UNDEF || (symbol.st_shndx !== SHN_XINDEX && index >= SHN_LORESERVE)) return undefined;
  return elf.sectionHeaders.at(index);
}

/** ET_EXEC and ET_DYN: st_value is an address, not an offset in a section. */
export function isLinkedFile(elf: ElfFile): boolean {
  const type = elf.header?.e_type;
  return type === ET_EXEC || type === ET_DYN;
}

/** The first section of `type` whose bytes are in the file (the GNU version sections come one of a kind). */
export function firstSectionOfType(elf: ElfFile, type: number): SectionHeader | undefined {
  return elf.sectionHeaders.find((section) => section.sh_type === type);
}

export interface VersionSections {
  readonly versym: SectionHeader | undefined;
  readonly verdef: SectionHeader | undefined;
  readonly verneed: SectionHeader | undefined;
}

/** .gnu.version, .gnu.version_d and .gnu.version_r, when they hold bytes (objcopy --only-keep-debug empties them). */
export function versionSections(elf: ElfFile): VersionSections {
  const held = (type: number) => {
    const section = firstSectionOfType(elf, type);
    return section && section.sh_type !== SHT_NOBITS ? section : undefined;
  };
  return { versym: held(SHT_GNU_VERSYM), verdef: held(SHT_GNU_VERDEF), verneed: held(SHT_GNU_VERNEED) };
}

export function verdefList(elf: ElfFile, sections: VersionSections): VersionList<VersionDefinition> {
  return sections.verdef ? elf.contents.verdef(sections.verdef.index) : { entries: [] };
}

export function verneedList(elf: ElfFile, sections: VersionSections): VersionList<VersionNeed> {
  return sections.verneed ? elf.contents.verneed(sections.verneed.index) : { entries: [] };
}

/** A versym value without its hidden bit: the version index. */
export function versionIndex(value: number): number {
  return value & ~VERSYM_HIDDEN;
}

/**
 * The ELF hash of a name read from a string table, or undefined when the
 * name's bytes were not valid UTF-8 (the decoded text no longer has them).
 */
export function nameHash(name: string): number | undefined {
  return name.includes('\uFFFD') ? undefined : elfHash(name);
}

/** The string at `offset` of the string table a section's sh_link names; undefined when it is not there. */
export function linkedString(elf: ElfFile, section: SectionHeader, offset: number): TableString | undefined {
  const strings = elf.sectionHeaders.at(section.sh_link);
  if (!strings || section.sh_link === 0 || strings.sh_type === SHT_NOBITS) return undefined;
  return elf.contents.stringTable(strings.index)?.stringAt(offset);
}

/** Why a name read through `linkedString` cannot be used, or undefined when it is a NUL-terminated name. */
export function unreadableName(name: TableString | undefined): string | undefined {
  if (name === undefined) return 'points past the end of the string table';
  return name.terminated ? undefined : 'has no NUL before the end of the string table';
}

/**
 * How a chain of `length` auxiliary entries disagrees with the count that
 * announces it (vd_cnt, vn_cnt), or undefined when they agree. `lastNext` is
 * the link of the last entry read: 0 ends the chain. A link that leaves the
 * section is a parse issue (parse-damage's finding), not a count problem.
 */
export function chainCountProblem(count: number, length: number, lastNext: number | undefined): string | undefined {
  const ends = lastNext === undefined || lastNext === 0;
  if (ends && length !== count) return `holds ${length}`;
  if (!ends && length === count) return 'goes on past that count';
  return undefined;
}

/**
 * The report for a version list (.gnu.version_d or .gnu.version_r) that
 * cannot be walked, or whose sh_info is not its number of entries (GNU's
 * convention, which readelf reads).
 */
export function versionListReport<Entry extends { readonly index: number }>(
  section: SectionHeader, list: VersionList<Entry>, kind: 'verdef' | 'verneed', nextOf: (entry: Entry) => number,
): Report | undefined {
  const what = kind === 'verdef' ? 'version definitions' : 'version needs';
  if (list.problem !== undefined) {
    const last = list.entries.at(-1);
    const field: FieldPath = !last ? `sec[${section.index}].contents`
      : kind === 'verdef' ? `sec[${section.index}].verdef[${last.index}].vd_next` : `sec[${section.index}].verneed[${last.index}].vn_next`;
    return { field, message: `the ${what} of ${sectionLabel(section)} cannot be walked: ${list.problem}; relink`, ...(last ? { actual: nextOf(last) } : {}) };
  }
  if (section.sh_info === list.entries.length) return undefined;
  return {
    field: shdrField(section, 'sh_info'),
    message: `${sectionLabel(section)} has sh_info ${section.sh_info}, but holds ${list.entries.length} ${what}; sh_info must be their number: relink`,
    actual: section.sh_info,
    expected: String(list.entries.length),
  };
}
