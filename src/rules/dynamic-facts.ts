// Facts the dynamic-table, hash-table and relocation rules share.
import type { DynamicEntry, ElfFile, SectionHeader } from '../model/elf.js';
import type { ByteRange, FieldPath, GnuHashField, HashField } from '../model/layout.js';
import type { Report } from './rule.js';
import type { DynamicTable, GnuHashTable, HashTable, Symbols } from '../model/contents.js';
import {
  DT_GNU_HASH, DT_HASH, DT_STRSZ, DT_STRTAB, DT_SYMTAB, PF_W, SHN_UNDEF, SHT_DYNSYM, SHT_GNU_HASH, SHT_HASH, SHT_SYMTAB, STB_LOCAL,
} from '../model/constants.js';
import { dynamicValue, textRelocationEntry } from '../model/dynamic.js';
import { offsetOfAddress } from '../model/segments.js';
import { halvesInRange } from '../model/word-halves.js';
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
  /** The byte at the address given as 32-bit halves (a relocation run's r_offset): in a writable PT_LOAD, only in read-only ones, or in none. */
  byteAt(high: number, low: number): 'writable' | 'read-only' | undefined;
}

export function loadedMemory(elf: ElfFile): LoadedMemory {
  const loads = loadSegments(elf).map((load) => ({ start: load.p_vaddr, end: memoryEnd(load), writable: (load.p_flags & PF_W) !== 0 }));
  const holds = (address: bigint, size: bigint, writableOnly: boolean) => {
    const end = address + size;
    return loads.some((load) => (!writableOnly || load.writable) && address >= load.start && end <= load.end);
  };
  const byteTests = loads.map((load) => ({ holds: halvesInRange(load.start, load.end), writable: load.writable }));
  return {
    mapped: (address, size) => holds(address, size, false),
    writable: (address, size) => holds(address, size, true),
    byteAt: (high, low) => {
      let mapped = false;
      for (const load of byteTests) {
        if (!load.holds(high, low)) continue;
        if (load.writable) return 'writable';
        mapped = true;
      }
      return mapped ? 'read-only' : undefined;
    },
  };
}

/** The symbol table a section's sh_link names, when it is one (SHT_SYMTAB or SHT_DYNSYM). */
export function linkedSymbolTable(elf: ElfFile, section: SectionHeader): SectionHeader | undefined {
  const table = section.sh_link > 0 ? elf.sectionHeaders.at(section.sh_link) : undefined;
  return table && (table.sh_type === SHT_SYMTAB || table.sh_type === SHT_DYNSYM) ? table : undefined;
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

/** Where a report points: a field path, and the bytes themselves when the path cannot name them (a table without a section). */
export interface Located {
  readonly field: FieldPath;
  readonly range?: ByteRange;
}

/**
 * Whether the rules read a file's tables through its dynamic table: a linked
 * image (not a debug file, whose PT_DYNAMIC has no bytes) without section headers.
 */
export function readsDynamicTables(elf: ElfFile): boolean {
  return elf.sectionHeaders.length === 0 && hasLinkedImage(elf);
}

/**
 * A table of a linked file without section headers, found as the dynamic
 * linker finds it: the first entry with `tag` gives its address, a PT_LOAD
 * maps it from the file, `size` bytes (undefined: up to the end of that
 * PT_LOAD's file image). Undefined for a file with sections (whose tables
 * the rules read from their sections), or when no PT_LOAD maps the table
 * (dynamic-address reports that).
 */
export function dynamicTable(elf: ElfFile, tag: bigint, size: bigint | undefined): DynamicTable | undefined {
  if (!readsDynamicTables(elf)) return undefined;
  const entry = elf.dynamic?.find((each) => each.d_tag === tag);
  if (!entry) return undefined;
  if (size !== undefined) {
    const offset = offsetOfAddress(elf, entry.d_val, size > 0n ? size : 1n);
    return offset === undefined ? undefined : { entry: entry.index, offset, size: Number(size) };
  }
  const load = loadSegments(elf).find((each) => entry.d_val >= each.p_vaddr && entry.d_val < each.p_vaddr + each.p_filesz);
  const offset = load && offsetOfAddress(elf, entry.d_val, 1n);
  if (!load || offset === undefined) return undefined;
  const mapped = load.p_vaddr + load.p_filesz - entry.d_val;
  return { entry: entry.index, offset, size: Math.min(Number(mapped), elf.size - offset) };
}

/**
 * How many dynamic symbols a file without section headers has: nothing gives
 * DT_SYMTAB's size, so, as ld.so and readelf do, DT_HASH's nchain, else one
 * past the last symbol DT_GNU_HASH's chains reach.
 */
export function dynamicSymbolCount(elf: ElfFile): number | undefined {
  const hash = dynamicTable(elf, DT_HASH, undefined);
  const sysv = hash && elf.contents.hashTableAt(hash);
  if (sysv) return sysv.nchain;
  const gnuTable = dynamicTable(elf, DT_GNU_HASH, undefined);
  const gnu = gnuTable && elf.contents.gnuHashAt(gnuTable);
  return gnu && gnu.symoffset + gnu.chains.length;
}

/** The symbols a hash table indexes, with their names' bytes. */
export interface SymbolSource {
  /** "section 4 (.dynsym)" or "the DT_SYMTAB table". */
  readonly label: string;
  symbols(): Symbols;
  /** The string table's bytes, for hashing names. */
  names(): Uint8Array | undefined;
}

function sectionSymbols(elf: ElfFile, symbols: SectionHeader): SymbolSource {
  return { label: sectionLabel(symbols), symbols: () => elf.contents.symbols(symbols.index), names: () => elf.contents.sectionBytes(symbols.sh_link) };
}

/** DT_SYMTAB with `count` symbols, named through DT_STRTAB (DT_STRSZ bytes), in a file without section headers. */
export function dynamicSymbols(elf: ElfFile, count: number): SymbolSource | undefined {
  const symtab = dynamicTable(elf, DT_SYMTAB, BigInt(count) * BigInt(elf.layout.contents.sym.size));
  if (!symtab) return undefined;
  const size = dynamicValue(elf, DT_STRSZ);
  const strings = size === undefined ? undefined : dynamicTable(elf, DT_STRTAB, size);
  return { label: 'the DT_SYMTAB table', symbols: () => elf.contents.symbolsAt(symtab, strings), names: () => strings && elf.contents.stringBytesAt(strings) };
}

type HashMember = HashField | `${'bucket' | 'chain'}[${number}]`;
type GnuHashMember = GnuHashField | `${'bloom' | 'bucket' | 'chain'}[${number}]`;

/** A hash table to check, from its section or (without section headers) from the dynamic table: the one shape both rules read. */
interface HashSource<Table, Member> {
  /** "section 6 (.hash)" or "the DT_HASH table". */
  readonly label: string;
  readonly table: Table;
  readonly symbols: SymbolSource;
  /** Where a member of the table is (`nchain`, `bucket[3]`). */
  locate(member: Member): Located;
  /** The report for a table the parser could not read whole. */
  cutShort(problem: string, expected: string): Report;
}

export type SysvHashSource = HashSource<HashTable, HashMember>;
export type GnuHashSource = HashSource<GnuHashTable, GnuHashMember>;

/** The hash tables of `type` in sections whose sh_link names a symbol table, read by `read`, with members located by `field`. */
function* sectionHashSources<Table, Member>(
  elf: ElfFile, type: number, read: (index: number) => Table | undefined, field: (section: SectionHeader, member: Member) => FieldPath,
): Generator<HashSource<Table, Member>> {
  for (const section of elf.sectionHeaders) {
    const symbols = section.sh_type === type ? linkedSymbolTable(elf, section) : undefined;
    const table = symbols && read(section.index);
    if (!symbols || !table) continue;
    yield {
      label: sectionLabel(section), table, symbols: sectionSymbols(elf, symbols),
      locate: (member) => ({ field: field(section, member) }),
      cutShort: (problem, expected) => cutShort(section, problem, expected),
    };
  }
}

/** A hash table found through the dynamic table: every member is reported at the entry that locates it, over the table's `length` bytes. */
function dynamicHashSource<Table, Member>(tag: string, located: DynamicTable, table: Table, symbols: SymbolSource, length: number): HashSource<Table, Member> {
  const whole: Located = { field: `dyn[${located.entry}].d_val`, range: { offset: located.offset, length } };
  const label = `the ${tag} table`;
  return { label, table, symbols, locate: () => whole, cutShort: (problem, expected) => ({ ...whole, message: `${label} is cut short: ${problem}; relink`, expected }) };
}

/** The SysV hash tables: SHT_HASH sections with their linked symbol table, or DT_HASH in a file without section headers. */
export function* sysvHashTables(elf: ElfFile): Generator<SysvHashSource> {
  yield* sectionHashSources(elf, SHT_HASH, (index) => elf.contents.hashTable(index), (section, member: HashMember) => `sec[${section.index}].hash.${member}` as const);
  const located = dynamicTable(elf, DT_HASH, undefined);
  const table = located && elf.contents.hashTableAt(located);
  const symbols = table && dynamicSymbols(elf, table.nchain);
  if (located && table && symbols) yield dynamicHashSource('DT_HASH', located, table, symbols, table.entrySize * (2 + table.nbucket + table.nchain));
}

/** The GNU hash tables: SHT_GNU_HASH sections with their linked symbol table, or DT_GNU_HASH in a file without section headers. */
export function* gnuHashTables(elf: ElfFile): Generator<GnuHashSource> {
  yield* sectionHashSources(elf, SHT_GNU_HASH, (index) => elf.contents.gnuHash(index), (section, member: GnuHashMember) => `sec[${section.index}].gnu_hash.${member}` as const);
  const located = dynamicTable(elf, DT_GNU_HASH, undefined);
  const table = located && elf.contents.gnuHashAt(located);
  const count = table && dynamicSymbolCount(elf);
  const symbols = count !== undefined && dynamicSymbols(elf, count);
  if (!located || !table || !symbols) return;
  const { layout } = elf;
  yield dynamicHashSource('DT_GNU_HASH', located, table, symbols, layout.contents.gnuHash.size + table.bloomSize * layout.wordSize + 4 * (table.nbuckets + table.chains.length));
}

/**
 * The symbols a hash table must lead to: defined, global or weak, with a
 * non-empty name in `strings` (the table's names, where the hash is taken;
 * whether a NUL ends the name inside, the hash functions tell). `visit` gets
 * each one's index and st_name, read from the table's columns.
 */
export function forEachLookedUpSymbol(symbolTable: SymbolSource, strings: Uint8Array, visit: (index: number, nameOffset: number) => void): void {
  for (const run of symbolTable.symbols().runs()) {
    for (let row = 0; row < run.count; row += 1) {
      const index = run.first + row;
      const name = run.name[row]!;
      if (index === 0 || run.shndx[row] === SHN_UNDEF || run.info[row]! >> 4 === STB_LOCAL) continue;
      if (name < strings.length && strings[name] !== 0) visit(index, name);
    }
  }
}

/** A hash table the parser could not read whole. */
export function cutShort(section: SectionHeader, problem: string, expected: string): Report {
  return { field: `shdr[${section.index}].sh_size`, message: `${sectionLabel(section)} is cut short: ${problem}; relink`, actual: section.sh_size.toString(), expected };
}
