// Section and segment contents: a fixed-size table (symbols, relocations,
// dynamic entries, hash words) decoded a window of entries at a time straight
// from the file's bytes (records.ts), a linked or variable-length list (notes,
// versions) one structure at a time, decoded the same way; only a compression
// header is still read through the schema's region instances.
// Every position and size comes from the class layout, the one the finding
// locator uses. Nothing here throws: damage becomes a ParseIssue on the file,
// a malformed list entry a `problem` on the list.
import type { ElfSchema } from './generated/Elf.cjs';
import { describe, exact } from './values.js';
import type {
  CompressionHeader, ContentsOwner, DynamicTable, ElfContents, ElfSymbol, GnuHashTable, HashTable, Note, NoteRange, Relocation, RelocationRun, Relocations, RelrTable, SymbolRun, Symbols,
  SectionGroup, StringTable, TableString, VersionDefinition, VersionDefinitionName, VersionList, VersionNeed, VersionNeedAux,
} from '../model/contents.js';
import type { DynamicEntry, ElfFile, ParseIssue, SectionHeader } from '../model/elf.js';
import { alignUp, hashEntrySize, noteAlignment, noteDescOffset, type ClassLayout, type FieldPath, type FieldSlot, type StructLayout } from '../model/layout.js';
import { entriesUntil, RecordTable, RecordWindow, RunTable, type RunColumns, type WindowRead } from './records.js';
import { DT_NULL, EM_MIPS, SHF_COMPRESSED, SHT_NOBITS, SHT_RELA } from '../model/constants.js';

/** A byte range of the file that a root reads: a table of `unit`-byte entries, or one `unit`-byte structure at `pos`. */
export interface Region {
  readonly pos: number;
  readonly size: number;
  readonly unit: number;
}

/** The header of a fresh root whose region is set: its region instances read the structure there. */
export type RegionReader = (region: Region) => ElfSchema.FileHeader;

/** The largest string table read into one buffer (see FileStringTable). */
const WHOLE_STRING_TABLE = 16 * 1024 * 1024;
/** How far a string is looked for its NUL at a time. */
const STRING_SCAN = 256;

const utf8 = new TextDecoder('utf-8');

/** The slots of fields a structure has in both classes, typed as present. */
function requiredSlots<Field extends string, Wanted extends Field>(
  fields: Readonly<Partial<Record<Field, FieldSlot>>>, names: readonly Wanted[],
): Record<Wanted, FieldSlot> {
  const slots = {} as Record<Wanted, FieldSlot>;
  for (const name of names) {
    const slot = fields[name];
    if (!slot) throw new Error(`the class layout has no ${name}`);
    slots[name] = slot;
  }
  return slots;
}

/** How many more structures the lists of one section may read. */
interface WalkBudget {
  left: number;
}

/** A file range [offset, offset + size) clipped to the file. */
interface FileRange {
  readonly offset: number;
  readonly size: number;
}

/** The range of a table that is not there: it has no entries. */
const NO_RANGE: FileRange = { offset: 0, size: 0 };

type MutableRelocationRun = { -readonly [Field in keyof RelocationRun]: RelocationRun[Field] };
type MutableSymbolRun = { -readonly [Field in keyof SymbolRun]: SymbolRun[Field] };

/** Where a table comes from, for issues: its field path and how messages name it. */
interface TableOrigin {
  readonly where: FieldPath;
  /** The field of the table's first word (nbucket), or the dynamic entry that locates it. */
  readonly header: FieldPath;
  /** "section 5's", "the DT_HASH". */
  readonly owner: string;
  /** What holds the table: "section", or the PT_LOAD image a dynamic entry points into. */
  readonly part: string;
}

/**
 * A string table: read whole on first use when it is at most WHOLE_STRING_TABLE
 * bytes (a symbol table's names are read one after another, and one buffer
 * makes each a search and a decode); a larger one string by string, each name
 * costing its own bytes.
 */
export class FileStringTable implements StringTable {
  #whole: Uint8Array | undefined;
  #lastNul: number | undefined;

  constructor(private readonly elf: ElfFile, private readonly range: FileRange) {}

  private whole(): Uint8Array | undefined {
    if (this.range.size > WHOLE_STRING_TABLE) return undefined;
    this.#whole ??= this.elf.slice(this.range.offset, this.range.size);
    return this.#whole;
  }

  get size(): number {
    return this.range.size;
  }

  get endsWithNul(): boolean {
    return this.range.size > 0 && this.elf.slice(this.range.offset + this.range.size - 1, 1)[0] === 0;
  }

  terminates(offset: number): boolean | undefined {
    const whole = this.inside(offset) ? this.whole() : undefined;
    // A name is terminated when a NUL follows it anywhere: at or before the table's last NUL.
    if (whole) return offset <= (this.#lastNul ??= whole.lastIndexOf(0));
    return this.stringAt(offset)?.terminated;
  }

  private inside(offset: number): boolean {
    return Number.isSafeInteger(offset) && offset >= 0 && offset < this.range.size;
  }

  stringAt(offset: number): TableString | undefined {
    if (!this.inside(offset)) return undefined;
    const whole = this.whole();
    if (whole) {
      const nul = whole.indexOf(0, offset);
      return nul < 0 ? { text: textOf(whole, offset, whole.length), terminated: false } : { text: textOf(whole, offset, nul), terminated: true };
    }
    const start = this.range.offset + offset;
    const end = this.range.offset + this.range.size;
    const parts: Uint8Array[] = [];
    for (let at = start; at < end; at += STRING_SCAN) {
      const bytes = this.elf.slice(at, Math.min(STRING_SCAN, end - at));
      const nul = bytes.indexOf(0);
      parts.push(nul < 0 ? bytes : bytes.subarray(0, nul));
      if (nul >= 0) return { text: decode(parts), terminated: true };
    }
    return { text: decode(parts), terminated: false };
  }
}

const latin1 = Buffer.prototype.latin1Slice;

/** Bytes [start, end) as UTF-8. Most names are ASCII, where each byte is its character and Latin-1 decodes them faster than TextDecoder. */
function textOf(bytes: Uint8Array, start: number, end: number): string {
  for (let at = start; at < end; at += 1) {
    if (bytes[at]! >= 0x80) return utf8.decode(bytes.subarray(start, end));
  }
  return latin1.call(bytes, start, end);
}

function decode(parts: readonly Uint8Array[]): string {
  if (parts.length === 1) return utf8.decode(parts[0]);
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return utf8.decode(joined);
}

/** What every symbol derives from its fields: bind, type, visibility, and the name, read from the string table when first asked for. */
abstract class SymbolFields implements ElfSymbol {
  #name: string | undefined | null = null;

  constructor(readonly index: number, private readonly strings: StringTable | undefined) {}

  abstract get st_name(): number;
  abstract get st_value(): bigint;
  abstract get st_size(): bigint;
  abstract get st_info(): number;
  abstract get st_other(): number;
  abstract get st_shndx(): number;

  get bind(): number {
    return this.st_info >> 4;
  }

  get type(): number {
    return this.st_info & 0xf;
  }

  get visibility(): number {
    return this.st_other & 0x3;
  }

  get name(): string | undefined {
    if (this.#name === null) this.#name = this.strings?.stringAt(this.st_name)?.text;
    return this.#name;
  }
}

/** A symbol decoded from its table's bytes when it is read. */
class SymbolRecord extends SymbolFields {
  constructor(
    index: number,
    readonly st_name: number,
    readonly st_value: bigint,
    readonly st_size: bigint,
    readonly st_info: number,
    readonly st_other: number,
    readonly st_shndx: number,
    strings: StringTable | undefined,
  ) {
    super(index, strings);
  }
}

type SymbolSlots = Record<'st_name' | 'st_value' | 'st_size' | 'st_info' | 'st_other' | 'st_shndx', FieldSlot>;

/**
 * A symbol of a large table read whole: its fields are read from the table's
 * bytes when asked for, so a rule that reads only st_name or st_info makes no
 * BigInt for st_value and st_size, and a walk keeps no object per entry.
 */
class WindowSymbol extends SymbolFields {
  constructor(index: number, private readonly window: RecordWindow, private readonly at: number, private readonly slot: SymbolSlots, strings: StringTable | undefined) {
    super(index, strings);
  }

  get st_name(): number { return this.window.number(this.at, this.slot.st_name); }
  get st_value(): bigint { return this.window.word(this.at, this.slot.st_value); }
  get st_size(): bigint { return this.window.word(this.at, this.slot.st_size); }
  get st_info(): number { return this.window.number(this.at, this.slot.st_info); }
  get st_other(): number { return this.window.number(this.at, this.slot.st_other); }
  get st_shndx(): number { return this.window.number(this.at, this.slot.st_shndx); }
}

/**
 * A relocation of any machine but MIPS64, whose r_info is the symbol above
 * the type (shifted by 32 in ELF64, 8 in ELF32). The addend is kept as its
 * 32-bit halves: BigInts are made only for a reader that asks.
 */
class RelocationRecord implements Relocation {
  constructor(
    readonly index: number,
    readonly r_offset: bigint,
    readonly symbol: number,
    readonly type: number,
    private readonly typeBits: 8 | 32,
    /** Undefined for SHT_REL; the low 32 bits (ELF64, unsigned) or the whole signed value (ELF32). */
    private readonly addendLow: number | undefined,
    /** ELF64's high 32 bits, signed. */
    private readonly addendHigh: number | undefined,
  ) {}

  get r_info(): bigint {
    return (BigInt(this.symbol) << BigInt(this.typeBits)) | BigInt(this.type);
  }

  get r_addend(): bigint | undefined {
    if (this.addendLow === undefined) return undefined;
    return this.addendHigh === undefined ? BigInt(this.addendLow) : (BigInt(this.addendHigh) << 32n) + BigInt(this.addendLow);
  }
}

/** MIPS64's r_info, a byte per relocation type of its own (other machines are split where the table is read). */
function splitMips64Info(info: bigint, mips64Order: 'LSB' | 'MSB'): Pick<Relocation, 'symbol' | 'type' | 'mips64'> {
  // r_sym (a u4 in the file's order) then r_ssym, r_type3, r_type2, r_type, one byte each: read as one
  // little-endian 64-bit value, the u4 lands in the low half and the bytes in reverse in the high half.
  const normal = mips64Order === 'MSB' ? info
    : ((info & 0xffffffffn) << 32n) | ((info >> 56n) & 0xffn) | ((info >> 40n) & 0xff00n)
      | ((info >> 24n) & 0xff0000n) | ((info >> 8n) & 0xff000000n);
  const byte = (shift: bigint) => Number((normal >> shift) & 0xffn);
  return { symbol: Number(normal >> 32n), type: byte(0n), mips64: { type2: byte(8n), type3: byte(16n), ssym: byte(24n) } };
}

/** The addresses an SHT_RELR table relocates: each even word an address, each odd word a bitmap of the words after the last. */
function decodeRelr(words: readonly bigint[], wordSize: number): RelrTable {
  const addresses: bigint[] = [];
  const bits = BigInt(wordSize * 8);
  const step = BigInt(wordSize);
  const wrap = (value: bigint) => BigInt.asUintN(wordSize * 8, value);
  let base: bigint | undefined;
  let problem: string | undefined;
  for (const [index, word] of words.entries()) {
    if ((word & 1n) === 0n) {
      addresses.push(word);
      base = wrap(word + step);
      continue;
    }
    if (base === undefined) {
      problem ??= `word ${index} is a bitmap with no address before it`;
      continue;
    }
    for (let bit = 1n; bit < bits; bit++) {
      if ((word >> bit) & 1n) addresses.push(wrap(base + (bit - 1n) * step));
    }
    base = wrap(base + (bits - 1n) * step);
  }
  return problem === undefined ? { words, addresses } : { words, addresses, problem };
}

/** Decodes an Elf_Dyn of the class layout (a dynamic section's, or PT_DYNAMIC's). */
export function dynamicEntryDecoder(layout: ClassLayout): (window: RecordWindow, at: number, index: number) => DynamicEntry {
  const slot = requiredSlots(layout.contents.dyn.fields, ['d_tag', 'd_val']);
  return (window, at, index) => ({ index, d_tag: window.word(at, slot.d_tag), d_val: window.word(at, slot.d_val) });
}

/** A dynamic table ends at its DT_NULL entry, as ld.so reads it. */
export function endsDynamic(entry: DynamicEntry): boolean {
  return entry.d_tag === DT_NULL;
}

export class ContentsReader implements ElfContents {
  readonly #cache = new Map<string, unknown>();
  /** Issues already recorded, so that two readers of one section report its damage once. */
  readonly #reported = new Set<string>();

  constructor(
    private readonly elf: ElfFile,
    private readonly issues: ParseIssue[],
    private readonly readRegion: RegionReader,
    /** The file's bytes for a moment (FileBytes.transient): tables are decoded from them a window at a time. */
    private readonly readTransient: (offset: number, length: number, scratch: () => Uint8Array) => Uint8Array,
  ) {}

  sectionBytes(index: number): Uint8Array | undefined {
    return this.cached('bytes', index, () => {
      const range = this.sectionRange(index);
      return range && this.guard(() => this.elf.slice(range.offset, range.size), undefined, `sec[${index}].contents`, range.offset, 'contents');
    });
  }

  stringTable(index: number): StringTable | undefined {
    return this.cached('strings', index, () => {
      const range = this.sectionRange(index);
      return range && new FileStringTable(this.elf, range);
    });
  }

  symbols(index: number): Symbols {
    return this.cached('symbols', index, () => {
      const section = this.elf.sectionHeaders.at(index);
      const range = section && this.sectionRange(index);
      return this.readSymbols(range ?? NO_RANGE, section && range && this.linkedStrings(section), `sec[${index}].contents`);
    });
  }

  symbolsAt(table: DynamicTable, strings: DynamicTable | undefined): Symbols {
    return this.cached('symbols@dyn', table.entry, () => {
      const range = this.tableRange(table);
      const stringRange = strings && this.tableRange(strings);
      return this.readSymbols(range ?? NO_RANGE, stringRange && new FileStringTable(this.elf, stringRange), `dyn[${table.entry}].d_val`);
    });
  }

  stringBytesAt(table: DynamicTable): Uint8Array | undefined {
    return this.cached('bytes@dyn', table.entry, () => {
      const range = this.tableRange(table);
      return range && this.guard(() => this.elf.slice(range.offset, range.size), undefined, `dyn[${table.entry}].d_val`, range.offset, 'string table');
    });
  }

  private readSymbols(range: FileRange, strings: StringTable | undefined, where: FieldPath): Symbols {
    const { size: unit, fields } = this.elf.layout.contents.sym;
    const slot = requiredSlots(fields, ['st_name', 'st_value', 'st_size', 'st_info', 'st_other', 'st_shndx']);
    const value = slot.st_value.size === 8 ? this.halves(slot.st_value) : undefined;
    const size = slot.st_size.size === 8 ? this.halves(slot.st_size) : undefined;
    const decode = (window: RecordWindow, at: number, i: number, stable: boolean) => (stable
      ? new WindowSymbol(i, window, at, slot, strings)
      : new SymbolRecord(i, window.number(at, slot.st_name), window.word(at, slot.st_value), window.word(at, slot.st_size),
        window.number(at, slot.st_info), window.number(at, slot.st_other), window.number(at, slot.st_shndx), strings));
    const columns: RunColumns<MutableSymbolRun> = {
      create: (capacity) => ({
        first: 0, count: 0, name: new Uint32Array(capacity), info: new Uint8Array(capacity), other: new Uint8Array(capacity), shndx: new Uint16Array(capacity),
        valueHigh: new Uint32Array(capacity), valueLow: new Uint32Array(capacity), sizeHigh: new Uint32Array(capacity), sizeLow: new Uint32Array(capacity),
      }),
      fill: (run, row, rows, window, at, stride) => {
        for (let end = row + rows; row < end; row += 1, at += stride) {
          run.name[row] = window.u32(at + slot.st_name.offset);
          run.info[row] = window.u8(at + slot.st_info.offset);
          run.other[row] = window.u8(at + slot.st_other.offset);
          run.shndx[row] = window.u16(at + slot.st_shndx.offset);
          if (value && size) {
            run.valueHigh[row] = window.u32(at + value.high.offset);
            run.valueLow[row] = window.u32(at + value.low.offset);
            run.sizeHigh[row] = window.u32(at + size.high.offset);
            run.sizeLow[row] = window.u32(at + size.low.offset);
          } else {
            run.valueLow[row] = window.u32(at + slot.st_value.offset);
            run.sizeLow[row] = window.u32(at + slot.st_size.offset);
          }
        }
      },
    };
    return new RunTable(Math.floor(range.size / unit), range.offset, unit, this.elf.byteOrder, this.windowReader(where, 'symbol table'), decode, columns);
  }

  symbolSectionIndexes(index: number): readonly number[] {
    return this.cached('shndx', index, () => this.u4Array(index, 'extended section index table'));
  }

  relocations(index: number): Relocations {
    return this.cached('relocations', index, () => {
      const section = this.elf.sectionHeaders.at(index);
      const range = this.sectionRange(index);
      return this.readRelocations(section && range ? range : NO_RANGE, section?.sh_type === SHT_RELA, `sec[${index}].contents`);
    });
  }

  relocationsAt(table: DynamicTable, rela: boolean): Relocations {
    return this.cached('relocations@dyn', table.entry, () => this.readRelocations(this.tableRange(table) ?? NO_RANGE, rela, `dyn[${table.entry}].d_val`));
  }

  private readRelocations(range: FileRange, rela: boolean, where: FieldPath): Relocations {
    const { layout, header } = this.elf;
    const is64 = layout.elfClass === 'ELF64';
    const mips64Order = is64 && header?.e_machine === EM_MIPS ? this.elf.byteOrder : undefined;
    const struct = rela ? layout.contents.rela : layout.contents.rel;
    const slot = requiredSlots(struct.fields, ['r_offset', 'r_info']);
    const addend = rela ? layout.contents.rela.fields.r_addend : undefined;
    // ELF64's 64-bit fields are read as 32-bit halves, numbers that need no BigInt: r_info is the symbol above the type.
    const info = this.halves(slot.r_info);
    const offset = this.halves(slot.r_offset);
    // r_info and r_addend are rebuilt from numbers only when asked for: the rules read r_offset, the symbol and the type.
    const addendHalves = addend && is64 ? this.halves(addend) : undefined;
    const addendLow = addendHalves ? addendHalves.low : addend;
    const addendHigh = addendHalves?.high;
    const decode = (window: RecordWindow, at: number, index: number): Relocation => {
      const r_offset = window.word(at, slot.r_offset);
      if (mips64Order) {
        const r_info = window.word(at, slot.r_info);
        return { index, r_offset, r_info, r_addend: addend && window.signedWord(at, addend), ...splitMips64Info(r_info, mips64Order) };
      }
      const low = addendLow === undefined ? undefined : window.number(at, addendLow);
      const high = addendHigh === undefined ? undefined : window.int32(at, addendHigh);
      if (is64) return new RelocationRecord(index, r_offset, window.number(at, info.high), window.number(at, info.low), 32, low, high);
      const word = window.number(at, slot.r_info);
      return new RelocationRecord(index, r_offset, word >>> 8, word & 0xff, 8, low === undefined ? undefined : low | 0, undefined);
    };
    const columns: RunColumns<MutableRelocationRun> = {
      create: (capacity) => ({
        first: 0, count: 0, offsetHigh: new Uint32Array(capacity), offsetLow: new Uint32Array(capacity), symbol: new Uint32Array(capacity), type: new Uint32Array(capacity),
      }),
      fill: (run, row, rows, window, at, stride) => {
        for (let end = row + rows; row < end; row += 1, at += stride) {
          if (is64) {
            run.offsetHigh[row] = window.u32(at + offset.high.offset);
            run.offsetLow[row] = window.u32(at + offset.low.offset);
          } else {
            run.offsetLow[row] = window.u32(at + slot.r_offset.offset);
          }
          if (mips64Order) {
            const split = splitMips64Info(window.word(at, slot.r_info), mips64Order);
            run.symbol[row] = split.symbol;
            run.type[row] = split.type;
          } else if (is64) {
            run.symbol[row] = window.u32(at + info.high.offset);
            run.type[row] = window.u32(at + info.low.offset);
          } else {
            const word = window.u32(at + slot.r_info.offset);
            run.symbol[row] = word >>> 8;
            run.type[row] = word & 0xff;
          }
        }
      },
    };
    return new RunTable(Math.floor(range.size / struct.size), range.offset, struct.size, this.elf.byteOrder, this.windowReader(where, 'relocation table'), decode, columns);
  }

  relr(index: number): RelrTable | undefined {
    return this.cached('relr', index, () => {
      const range = this.sectionRange(index);
      return range && this.readRelr(range, `sec[${index}].contents`);
    });
  }

  relrAt(table: DynamicTable): RelrTable | undefined {
    return this.cached('relr@dyn', table.entry, () => {
      const range = this.tableRange(table);
      return range && this.readRelr(range, `dyn[${table.entry}].d_val`);
    });
  }

  private readRelr(range: FileRange, where: FieldPath): RelrTable {
    return decodeRelr(this.wordArray(range, where, 'relative relocation table'), this.elf.layout.wordSize);
  }

  dynamicSection(index: number): readonly DynamicEntry[] {
    return this.cached('dynamic', index, () => {
      const range = this.sectionRange(index);
      if (!range) return [];
      return this.readRecords(range, this.elf.layout.contents.dyn.size, `sec[${index}].contents`, 'dynamic section', dynamicEntryDecoder(this.elf.layout), endsDynamic);
    });
  }

  notes(range: NoteRange, where: ContentsOwner): readonly Note[] {
    const clipped = this.clip(BigInt(range.offset), BigInt(range.size), `${where}.note[0].n_namesz`);
    return clipped ? this.readNotes(clipped, range.align, where) : [];
  }

  sectionNotes(index: number): readonly Note[] {
    return this.cached('notes', index, () => {
      const section = this.elf.sectionHeaders.at(index);
      const range = this.sectionRange(index);
      return section && range ? this.readNotes(range, noteAlignment(section.sh_addralign), `sec[${index}]`) : [];
    });
  }

  segmentNotes(index: number): readonly Note[] {
    return this.cached('segment-notes', index, () => {
      const phdr = this.elf.programHeaders[index];
      const range = phdr && this.clip(phdr.p_offset, phdr.p_filesz, `phdr[${index}].contents`);
      return phdr && range ? this.readNotes(range, noteAlignment(phdr.p_align), `phdr[${index}]`) : [];
    });
  }

  hashTable(index: number): HashTable | undefined {
    return this.cached('hash', index, () => {
      const range = this.sectionRange(index);
      return range && this.readHashTable(range, { where: `sec[${index}].contents`, header: `sec[${index}].hash.nbucket`, owner: `section ${index}'s`, part: 'section' });
    });
  }

  hashTableAt(table: DynamicTable): HashTable | undefined {
    return this.cached('hash@dyn', table.entry, () => {
      const range = this.tableRange(table);
      const where = `dyn[${table.entry}].d_val` as const;
      return range && this.readHashTable(range, { where, header: where, owner: 'the DT_HASH', part: 'mapped file image' });
    });
  }

  private readHashTable(range: FileRange, origin: TableOrigin): HashTable | undefined {
    const entrySize = hashEntrySize(this.elf.layout, this.elf.header?.e_machine);
    const entries = (entriesRange: FileRange) => (entrySize === 4
      ? this.numbers(entriesRange, 4, origin.where, 'hash table')
      : this.wordArray(entriesRange, origin.where, 'hash table').map((word) => Number(word)));
    const [nbucket, nchain] = entries({ offset: range.offset, size: Math.min(range.size, 2 * entrySize) });
    if (nbucket === undefined || nchain === undefined) {
      this.issue(`${origin.owner} hash table ends before nbucket and nchain`, range.offset, origin.header);
      return undefined;
    }
    // Only the entries the counts name: a section longer than its table costs nothing more.
    const values = entries({ offset: range.offset, size: Math.min(range.size, (2 + nbucket + nchain) * entrySize) });
    const buckets = values.slice(2, 2 + nbucket);
    const chains = values.slice(2 + nbucket, 2 + nbucket + nchain);
    const table: HashTable = { entrySize, nbucket, nchain, buckets, chains };
    return buckets.length + chains.length < nbucket + nchain
      ? { ...table, problem: `the ${origin.part} holds ${values.length - 2} of the ${nbucket + nchain} bucket and chain entries` }
      : table;
  }

  gnuHash(index: number): GnuHashTable | undefined {
    return this.cached('gnu-hash', index, () => {
      const range = this.sectionRange(index);
      return range && this.readGnuHash(range, { where: `sec[${index}].contents`, header: `sec[${index}].gnu_hash.nbuckets`, owner: `section ${index}'s`, part: 'section' }, false);
    });
  }

  gnuHashAt(table: DynamicTable): GnuHashTable | undefined {
    return this.cached('gnu-hash@dyn', table.entry, () => {
      const range = this.tableRange(table);
      const where = `dyn[${table.entry}].d_val` as const;
      return range && this.readGnuHash(range, { where, header: where, owner: 'the DT_GNU_HASH', part: 'mapped file image' }, true);
    });
  }

  /**
   * `chainsToLastSymbol`: the table's end is not known (no section gives its
   * size), so the chains are read up to the end of the chain of the highest
   * bucket, as ld.so and readelf find the number of dynamic symbols.
   */
  private readGnuHash(range: FileRange, origin: TableOrigin, chainsToLastSymbol: boolean): GnuHashTable | undefined {
    const layout = this.elf.layout;
    const where = origin.where;
    const header = layout.contents.gnuHash;
    const [nbuckets, symoffset, bloomSize, bloomShift] = this.numbers({ offset: range.offset, size: Math.min(range.size, header.size) }, 4, where, 'GNU hash table');
    if (nbuckets === undefined || symoffset === undefined || bloomSize === undefined || bloomShift === undefined) {
      this.issue(`${origin.owner} GNU hash table ends inside its header`, range.offset, origin.header);
      return undefined;
    }
    // Each part is read from what is left of the range after the one before.
    const end = range.offset + range.size;
    const part = (start: number, bytes: number): FileRange => ({ offset: Math.min(start, end), size: Math.max(0, Math.min(bytes, end - start)) });
    const bloomRange = part(range.offset + header.size, bloomSize * layout.wordSize);
    const bucketRange = part(bloomRange.offset + bloomSize * layout.wordSize, nbuckets * 4);
    const chainRange = part(bucketRange.offset + nbuckets * 4, end);
    const bloom = this.wordArray(bloomRange, where, 'GNU hash Bloom filter');
    const buckets = this.numbers(bucketRange, 4, where, 'GNU hash buckets');
    const highest = buckets.reduce((high, value) => (value > high ? value : high), 0);
    const lastStart = highest === 0 ? -1 : highest - symoffset;
    let chainIndex = -1;
    const lastOfTable = (value: number) => {
      chainIndex++;
      return chainIndex >= lastStart && (value & 1) === 1;
    };
    const chains = !chainsToLastSymbol ? this.numbers(chainRange, 4, where, 'GNU hash chains')
      : lastStart < 0 ? [] : this.numbers(chainRange, 4, where, 'GNU hash chains', lastOfTable);
    const table: GnuHashTable = { nbuckets, symoffset, bloomSize, bloomShift, bloom, buckets, chains };
    return bloom.length < bloomSize || buckets.length < nbuckets
      ? { ...table, problem: `the ${origin.part} ends inside the ${bloom.length < bloomSize ? 'Bloom filter' : 'buckets'}` }
      : table;
  }

  versym(index: number): readonly number[] {
    return this.cached('versym', index, () => {
      const range = this.sectionRange(index);
      return range ? this.numbers(range, 2, `sec[${index}].contents`, 'version symbol table') : [];
    });
  }

  verdef(index: number): VersionList<VersionDefinition> {
    const structs = this.elf.layout.contents;
    return this.versionSection('verdef', index, (range, strings, budget) =>
      this.walk(range, budget, structs.verdef, (raw) => raw.vd_next, 'vd_next', `sec[${index}].contents`,
        (raw, entryIndex, offset): VersionDefinition => ({
          index: entryIndex, offset, vd_version: raw.vd_version, vd_flags: raw.vd_flags, vd_ndx: raw.vd_ndx, vd_cnt: raw.vd_cnt,
          vd_hash: raw.vd_hash, vd_aux: raw.vd_aux, vd_next: raw.vd_next,
          names: this.auxList(range, budget, offset + raw.vd_aux, structs.verdaux, (aux) => aux.vda_next,
            'vda_next', `sec[${index}].verdef[${entryIndex}].vd_aux`, raw.vd_cnt,
            (aux, auxOffset): VersionDefinitionName => ({
              offset: auxOffset, vda_name: aux.vda_name, vda_next: aux.vda_next, name: strings?.stringAt(aux.vda_name)?.text,
            })),
        })));
  }

  verneed(index: number): VersionList<VersionNeed> {
    const structs = this.elf.layout.contents;
    return this.versionSection('verneed', index, (range, strings, budget) =>
      this.walk(range, budget, structs.verneed, (raw) => raw.vn_next, 'vn_next', `sec[${index}].contents`,
        (raw, entryIndex, offset): VersionNeed => ({
          index: entryIndex, offset, vn_version: raw.vn_version, vn_cnt: raw.vn_cnt, vn_file: raw.vn_file, vn_aux: raw.vn_aux,
          vn_next: raw.vn_next, file: strings?.stringAt(raw.vn_file)?.text,
          aux: this.auxList(range, budget, offset + raw.vn_aux, structs.vernaux, (aux) => aux.vna_next,
            'vna_next', `sec[${index}].verneed[${entryIndex}].vn_aux`, raw.vn_cnt,
            (aux, auxOffset): VersionNeedAux => ({
              offset: auxOffset, vna_hash: aux.vna_hash, vna_flags: aux.vna_flags, vna_other: aux.vna_other, vna_name: aux.vna_name,
              vna_next: aux.vna_next, name: strings?.stringAt(aux.vna_name)?.text,
            })),
        })));
  }

  /**
   * A version definition or need section: its bytes and the string table its
   * names are in, walked by `read` within a budget of as many structures as
   * fit in the section, so that lists that overlap cost no more than lists that do not.
   */
  private versionSection<Entry>(
    kind: string, index: number, read: (range: FileRange, strings: StringTable | undefined, budget: WalkBudget) => VersionList<Entry>,
  ): VersionList<Entry> {
    return this.cached(kind, index, () => {
      const section = this.elf.sectionHeaders.at(index);
      const range = this.sectionRange(index);
      const { verdef, verdaux, verneed, vernaux } = this.elf.layout.contents;
      const smallest = Math.min(verdef.size, verdaux.size, verneed.size, vernaux.size);
      return section && range ? read(range, this.linkedStrings(section), { left: Math.floor(range.size / smallest) }) : { entries: [] };
    });
  }

  group(index: number): SectionGroup | undefined {
    return this.cached('group', index, () => {
      const [flags, ...members] = this.u4Array(index, 'section group');
      return flags === undefined ? undefined : { flags, members };
    });
  }

  compressionHeader(index: number): CompressionHeader | undefined {
    return this.cached('chdr', index, () => {
      const section = this.elf.sectionHeaders.at(index);
      const range = this.sectionRange(index);
      if (!section || !range || (section.sh_flags & SHF_COMPRESSED) === 0n) return undefined;
      const size = this.elf.layout.contents.chdr.size;
      if (range.size < size) {
        this.issue(`section ${index} is compressed but holds ${range.size} bytes, less than a ${size}-byte compression header`,
          range.offset, `sec[${index}].chdr.ch_type`);
        return undefined;
      }
      const raw = this.guard(() => this.readRegion({ pos: range.offset, size, unit: size }).compressionHeader, undefined,
        `sec[${index}].chdr.ch_type`, range.offset, 'compression header');
      return raw && { ch_type: raw.chType, ch_size: exact(raw.chSize), ch_addralign: exact(raw.chAddralign) };
    });
  }

  private cached<T>(kind: string, index: number, read: () => T): T {
    const key = `${kind}:${index}`;
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = read();
    this.#cache.set(key, value);
    return value;
  }

  private issue(message: string, offset: number, field: FieldPath): void {
    const key = `${field}:${message}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.issues.push({ message, offset, field });
  }

  private guard<T>(read: () => T, fallback: T, field: FieldPath, offset: number, what: string): T {
    try {
      return read();
    } catch (error) {
      this.issue(`cannot read the ${what}: ${describe(error)}`, offset, field);
      return fallback;
    }
  }

  /** [offset, offset + size) clipped to the file; undefined (and an issue) when it starts past the end. */
  private clip(offset: bigint, size: bigint, field: FieldPath): FileRange | undefined {
    const fileSize = BigInt(this.elf.size);
    if (offset > fileSize) {
      this.issue(`the contents at ${offset} start past the end of the file (${fileSize} bytes)`, this.elf.size, field);
      return undefined;
    }
    if (size > fileSize - offset) {
      this.issue(`the contents at ${offset} run past the end of the file: ${fileSize - offset} of ${size} bytes are there`, Number(offset), field);
      return { offset: Number(offset), size: Number(fileSize - offset) };
    }
    return { offset: Number(offset), size: Number(size) };
  }

  /** A table the dynamic table locates, clipped to the file like a section. */
  private tableRange(table: DynamicTable): FileRange | undefined {
    return this.clip(BigInt(table.offset), BigInt(table.size), `dyn[${table.entry}].d_val`);
  }

  /** A section's bytes in the file; undefined for a missing section, SHT_NOBITS or a range outside the file. */
  private sectionRange(index: number): FileRange | undefined {
    const section = this.elf.sectionHeaders.at(index);
    if (!section || section.sh_type === SHT_NOBITS) return undefined;
    return this.clip(section.sh_offset, section.sh_size, `sec[${index}].contents`);
  }

  /** The string table a section's sh_link names; undefined (and an issue) when sh_link names no readable section. */
  private linkedStrings(section: SectionHeader): StringTable | undefined {
    const linked = this.elf.sectionHeaders.at(section.sh_link);
    const strings = section.sh_link === 0 || !linked ? undefined : this.stringTable(section.sh_link);
    if (!strings) {
      this.issue(`section ${section.index}'s sh_link ${section.sh_link} names no string table in the file`,
        Number(this.elf.header?.e_shoff ?? 0n) + section.index * (this.elf.header?.e_shentsize ?? 0) + this.elf.layout.shdr.sh_link.offset,
        `shdr[${section.index}].sh_link`);
    }
    return strings;
  }

  private u4Array(index: number, what: string): number[] {
    const range = this.sectionRange(index);
    return range ? this.numbers(range, 4, `sec[${index}].contents`, what) : [];
  }

  private wordArray(range: FileRange, field: FieldPath, what: string): bigint[] {
    const slot: FieldSlot = { offset: 0, size: this.elf.layout.wordSize };
    return this.readRecords(range, slot.size, field, what, (window, at) => window.word(at, slot));
  }

  /** A table of unsigned 2- or 4-byte numbers (hash tables, version indexes, section indexes), up to and including the first that `last` accepts. */
  private numbers(range: FileRange, size: 2 | 4, field: FieldPath, what: string, last?: (value: number) => boolean): number[] {
    const word = (window: RecordWindow, at: number) => (size === 4 ? window.u32(at) : window.u16(at));
    const table = this.recordTable(range, size, field, what, word);
    // Sized up front when every word is read (no copies as it grows); filled a window at a time in one
    // loop: these tables have a word per symbol, and an entry object per word cost more than the words.
    const values: number[] = last ? [] : new Array<number>(table.length).fill(0);
    let filled = 0;
    table.scan(0, (window, at, _index, rows) => {
      for (let row = 0; row < rows; row += 1, at += size) {
        const value = word(window, at);
        values[filled++] = value;
        if (last?.(value)) return false;
      }
      return true;
    });
    values.length = filled;
    return values;
  }

  /** The whole entries of a table of `unit`-byte records, each decoded from the file's bytes when used. */
  private recordTable<Entry>(
    range: FileRange, unit: number, field: FieldPath, what: string, decode: (window: RecordWindow, at: number, index: number, stable: boolean) => Entry,
  ): RecordTable<Entry> {
    return new RecordTable(Math.floor(range.size / unit), range.offset, unit, this.elf.byteOrder, this.windowReader(field, what), decode);
  }

  /** The 32-bit halves of an 8-byte field, in the file's byte order. */
  private halves(field: FieldSlot): { high: FieldSlot; low: FieldSlot } {
    const little = this.elf.byteOrder === 'LSB';
    return { high: { offset: field.offset + (little ? 4 : 0), size: 4 }, low: { offset: field.offset + (little ? 0 : 4), size: 4 } };
  }

  /** Reads a window of a table's bytes; damage is recorded as an issue of `field`. */
  private windowReader(field: FieldPath, what: string): WindowRead {
    return (offset, length, scratch) => this.guard(() => this.readTransient(offset, length, scratch), undefined, field, offset, what);
  }

  /**
   * The whole entries of a table of `unit`-byte records, in an array, up to
   * the first entry `last` accepts; bytes that cannot be read end the table
   * (the entries before them are kept).
   */
  private readRecords<Entry>(
    range: FileRange, unit: number, field: FieldPath, what: string,
    decode: (window: RecordWindow, at: number, index: number) => Entry, last?: (entry: Entry) => boolean,
  ): Entry[] {
    return entriesUntil(this.recordTable(range, unit, field, what, decode), last);
  }

  /**
   * A linked list of `unit`-byte structures from the start of `range`, each
   * `next` bytes after the one before, up to a `next` of 0 (or `limit`
   * entries): a link that leaves the range or returns to an entry ends it
   * with a problem, so no list is walked forever.
   */
  private walk<Field extends string, Entry>(
    range: FileRange, budget: WalkBudget, struct: StructLayout<Field>, next: (raw: Record<Field, number>) => number, link: string,
    field: FieldPath, convert: (raw: Record<Field, number>, index: number, offset: number) => Entry, limit = Number.POSITIVE_INFINITY,
  ): VersionList<Entry> {
    const entries: Entry[] = [];
    const unit = struct.size;
    const end = range.offset + range.size;
    const seen = new Set<number>();
    let offset = range.offset;
    while (entries.length < limit) {
      if (seen.has(offset)) return { entries, problem: `${link} of entry ${entries.length - 1} returns to the entry at ${offset}` };
      if (offset < range.offset || offset + unit > end) {
        const before = entries.length === 0 ? 'the list starts' : `${link} of entry ${entries.length - 1} points`;
        return { entries, problem: `${before} at ${offset}, outside the section's bytes [${range.offset}, ${end})` };
      }
      if (budget.left <= 0) return { entries, problem: `the section's lists hold more entries than fit in it (at ${offset})` };
      budget.left--;
      seen.add(offset);
      const at = offset;
      const raw = this.guard(() => this.structAt(at, struct), undefined, field, at, link);
      if (raw === undefined) return { entries, problem: `cannot read the entry at ${at}` };
      entries.push(convert(raw, entries.length, at));
      const step = next(raw);
      if (step === 0) return { entries };
      offset = at + step;
    }
    return { entries };
  }

  /** The fields of one structure of at most 4-byte fields at `offset`, decoded from the file's bytes at the class layout's offsets. */
  private structAt<Field extends string>(offset: number, struct: StructLayout<Field>): Record<Field, number> {
    const bytes = this.elf.slice(offset, struct.size);
    if (bytes.length < struct.size) throw new RangeError(`the ${struct.size}-byte structure at ${offset} runs past the end of the file`);
    const window = new RecordWindow(bytes, this.elf.byteOrder);
    const raw = {} as Record<Field, number>;
    for (const [name, slot] of Object.entries(struct.fields) as [Field, FieldSlot][]) raw[name] = window.number(0, slot);
    return raw;
  }

  /** The auxiliary entries of a version definition or need, from `start` to the end of the section; a bad link is an issue. */
  private auxList<Field extends string, Entry>(
    section: FileRange, budget: WalkBudget, start: number, struct: StructLayout<Field>, next: (raw: Record<Field, number>) => number,
    link: string, field: FieldPath, count: number, convert: (raw: Record<Field, number>, offset: number) => Entry,
  ): Entry[] {
    const end = section.offset + section.size;
    const list = this.walk({ offset: start, size: end - start }, budget, struct, next, link, field, (raw, _, offset) => convert(raw, offset), count);
    if (list.problem !== undefined) this.issue(list.problem, start, field);
    return [...list.entries];
  }

  private readNotes(range: FileRange, align: 4 | 8, where: ContentsOwner): Note[] {
    const notes: Note[] = [];
    const layout = this.elf.layout;
    const headerSize = layout.contents.nhdr.size;
    const end = range.offset + range.size;
    for (let offset = range.offset; offset < end;) {
      const index = notes.length;
      if (end - offset < headerSize) {
        this.issue(`${end - offset} bytes after the last note are too few for a note header`, offset, `${where}.note[${index}].n_namesz`);
        break;
      }
      const at = offset;
      const header = this.guard(() => this.structAt(at, layout.contents.nhdr), undefined, `${where}.note[${index}].n_namesz`, at, 'note header');
      if (!header) break;
      const entry = { index, offset: at, n_namesz: header.n_namesz, n_descsz: header.n_descsz, n_type: header.n_type };
      const left = end - at;
      const descOffset = noteDescOffset(layout, header.n_namesz, align);
      if (headerSize + header.n_namesz > left) {
        notes.push({ ...entry, name: undefined, desc: new Uint8Array(0), problem: `n_namesz ${header.n_namesz} runs past the end of the notes (${left - headerSize} bytes left)` });
        break;
      }
      const nameBytes = this.elf.slice(at + headerSize, header.n_namesz);
      const nul = nameBytes.indexOf(0);
      const name = utf8.decode(nul < 0 ? nameBytes : nameBytes.subarray(0, nul));
      if (descOffset + header.n_descsz > left) {
        notes.push({ ...entry, name, desc: new Uint8Array(0), problem: `n_descsz ${header.n_descsz} runs past the end of the notes (${Math.max(0, left - descOffset)} bytes left)` });
        break;
      }
      const desc = this.guard(() => this.elf.slice(at + descOffset, header.n_descsz), undefined, `${where}.note[${index}].desc`, at + descOffset, 'note descriptor');
      if (!desc) break;
      notes.push({ ...entry, name, desc });
      offset = at + alignUp(descOffset + header.n_descsz, align);
    }
    return notes;
  }
}
