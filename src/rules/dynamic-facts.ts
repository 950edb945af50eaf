// Facts the dynamic-table, hash-table and relocation rules share.
import type { DynamicEntry, ElfFile, SectionHeader } from '../model/elf.js';
import type { FieldPath } from '../model/layout.js';
import type { Report } from './rule.js';
import type { ElfSymbol } from '../model/contents.js';
import { PF_W, SHN_UNDEF, SHT_DYNSYM, SHT_SYMTAB, STB_LOCAL } from '../model/constants.js';
import { textRelocationEntry } from '../model/dynamic.js';
import { hasLinkedImage, loadSegments, memoryEnd, sectionLabel, type ElfWithHeader } from './facts.js';

/** The first PT_DYNAMIC's entries, for a linked image (not a debug file) that has one. */
export function linkedDynamic(elf: ElfFile): { elf: ElfWithHeader; entries: readonly DynamicEntry[] } | undefined {
  if (!hasLinkedImage(elf) || elf.dynamic === undefined) return undefined;
  return { elf, entries: elf.dynamic };
}

export function dynField(entry: DynamicEntry, field: 'd_tag' | 'd_val'): FieldPath {
  return `dyn[${entry.index}].${field}`;
}

/** DT_TEXTREL or DF_TEXTREL: ld.so makes the text writable while it relocates. */
export function hasTextRelocations(elf: ElfFile): boolean {
  return textRelocationEntry(elf) !== undefined;
}

/** Where the PT_LOADs put memory, read once for the many addresses of a relocation table. */
export interface LoadedMemory {
  /** Whether a PT_LOAD holds [address, address + size) in memory. */
  mapped(address: bigint, size: bigint): boolean;
  /** Whether a writable PT_LOAD holds it. */
  writable(address: bigint, size: bigint): boolean;
}

export function loadedMemory(elf: ElfFile): LoadedMemory {
  const loads = loadSegments(elf).map((load) => ({ start: load.p_vaddr, end: memoryEnd(load), writable: (load.p_flags & PF_W) !== 0 }));
  const holds = (address: bigint, size: bigint, writableOnly: boolean) => loads.some((load) => (!writableOnly || load.writable) && address >= load.start && address + size <= load.end);
  return { mapped: (address, size) => holds(address, size, false), writable: (address, size) => holds(address, size, true) };
}

/** The symbol table a section's sh_link names, when it is one (SHT_SYMTAB or SHT_DYNSYM). */
export function linkedSymbolTable(elf: ElfFile, section: SectionHeader): SectionHeader | undefined {
  const table = section.sh_link > 0 ? elf.sectionHeaders[section.sh_link] : undefined;
  return table && (table.sh_type === SHT_SYMTAB || table.sh_type === SHT_DYNSYM) ? table : undefined;
}

/** The bytes of the name at `offset` of a string table, without its NUL; undefined when it does not end inside. */
function nameBytes(strings: Uint8Array | undefined, offset: number): Uint8Array | undefined {
  if (!strings || offset >= strings.length) return undefined;
  const end = strings.indexOf(0, offset);
  return end < 0 ? undefined : strings.subarray(offset, end);
}

/**
 * At most `limit` reports of one table; the last one says how many more
 * there are, so a table broken throughout gives a handful of findings.
 */
export function* capped(reports: Iterable<Report>, limit: number): Generator<Report> {
  let count = 0;
  let held: Report | undefined;
  for (const report of reports) {
    count++;
    if (count <= limit) {
      if (held) yield held;
      held = report;
    }
  }
  if (!held) return;
  yield count > limit ? { ...held, message: `${held.message} (and ${count - limit} more like it in this table)` } : held;
}

/** The sections of `type` (SHT_HASH, SHT_GNU_HASH) whose sh_link names a symbol table, with it. */
export function* hashSections(elf: ElfFile, type: number): Generator<{ readonly section: SectionHeader; readonly symbols: SectionHeader }> {
  for (const section of elf.sectionHeaders) {
    const symbols = section.sh_type === type ? linkedSymbolTable(elf, section) : undefined;
    if (symbols) yield { section, symbols };
  }
}

/** The symbols a hash table must lead to: defined, global or weak, with a name (as bytes, for the hash). */
export function* lookedUpSymbols(elf: ElfFile, symbolTable: SectionHeader): Generator<{ readonly symbol: ElfSymbol; readonly name: Uint8Array }> {
  const strings = elf.contents.sectionBytes(symbolTable.sh_link);
  for (const symbol of elf.contents.symbols(symbolTable.index)) {
    if (symbol.index === 0 || symbol.st_shndx === SHN_UNDEF || symbol.bind === STB_LOCAL) continue;
    const name = nameBytes(strings, symbol.st_name);
    if (name && name.length > 0) yield { symbol, name };
  }
}

/** A hash table the parser could not read whole. */
export function cutShort(section: SectionHeader, problem: string, expected: string): Report {
  return { field: `shdr[${section.index}].sh_size`, message: `${sectionLabel(section)} is cut short: ${problem}; relink`, actual: section.sh_size.toString(), expected };
}
