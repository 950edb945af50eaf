// Fixed-size table entries (symbols, relocations, dynamic entries, words)
// decoded straight from the file's bytes, at the field offsets and widths of
// the class layout. The schema describes the same structures, and
// test/records.test.ts checks that both read the same values; going through
// the schema builds a Kaitai object per entry and another per 64-bit field,
// which made the big tables of real libraries most of a run's time.
import type { ByteOrder, FieldSlot } from '../model/layout.js';
import type { Table } from '../model/table.js';

/** Reads the fields of the records in one window of a table's bytes. */
export class RecordWindow {
  private readonly view: DataView;
  private readonly little: boolean;

  constructor(bytes: Uint8Array, byteOrder: ByteOrder) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.little = byteOrder === 'LSB';
  }

  /** A field of 1, 2 or 4 bytes at `at` (the record's start) + its slot's offset, as a number. */
  number(at: number, slot: FieldSlot): number {
    const where = at + slot.offset;
    switch (slot.size) {
      case 1: return this.view.getUint8(where);
      case 2: return this.view.getUint16(where, this.little);
      case 4: return this.view.getUint32(where, this.little);
      case 8: throw new RangeError('an 8-byte field is read with word()');
    }
  }

  /** The unsigned 4 bytes at `where`: a column's fill reads each row's halves with it. */
  u32(where: number): number {
    return this.view.getUint32(where, this.little);
  }

  u8(where: number): number {
    return this.view.getUint8(where);
  }

  u16(where: number): number {
    return this.view.getUint16(where, this.little);
  }

  /** A 4-byte field read as a signed number (the high half of an ELF64 r_addend). */
  int32(at: number, slot: FieldSlot): number {
    return this.view.getInt32(at + slot.offset, this.little);
  }

  /** An address-sized (4- or 8-byte) unsigned field, exact. */
  word(at: number, slot: FieldSlot): bigint {
    const where = at + slot.offset;
    return slot.size === 8 ? this.view.getBigUint64(where, this.little) : BigInt(this.number(at, slot));
  }

  /** The same field read as a signed value (r_addend). */
  signedWord(at: number, slot: FieldSlot): bigint {
    const where = at + slot.offset;
    return slot.size === 8 ? this.view.getBigInt64(where, this.little) : BigInt(this.view.getInt32(where, this.little));
  }
}

/** Bytes read at a time by a walk through a large table (at least one entry, however large e_shentsize is). */
const WINDOW_BYTES = 16 * 1024;
/** A table of at most this many bytes is read once, whole, and keeps its bytes; a larger one is read a window at a time. */
export const KEEP_BYTES = 8 * 1024 * 1024;
/**
 * A table of at most this many entries keeps each entry once decoded: most
 * tables are walked by many rules, and decoding an entry (its 64-bit fields
 * are BigInts) costs more than keeping it. Larger tables (millions of
 * symbols) decode an entry on each use, so memory stays flat.
 */
export const KEEP_ENTRIES = 4096;

/**
 * Reads `length` bytes of the file at `offset` for a moment (into `scratch()`
 * when the file is read on demand), or undefined when they cannot be read
 * (and records why).
 */
export type WindowRead = (offset: number, length: number, scratch: () => Uint8Array) => Uint8Array | undefined;

/**
 * `length` records of `unit` bytes from `offset`, each decoded on use from the
 * window of bytes around it (kept once decoded in a table of at most
 * KEEP_ENTRIES; an entry holds a view of its window only when `decode` is told
 * the window is stable). An entry that cannot be read is undefined and ends an
 * iteration.
 */
export class RecordTable<Entry> implements Table<Entry> {
  #window: RecordWindow | undefined;
  #windowFirst = 0;
  #windowCount = 0;
  #scratch: Uint8Array | undefined;
  readonly #decoded: (Entry | undefined)[] | undefined;

  constructor(
    readonly length: number,
    private readonly offset: number,
    protected readonly unit: number,
    private readonly byteOrder: ByteOrder,
    private readonly read: WindowRead,
    /** `stable`: the window's bytes stay as they are for the table's life (a table read whole), so an entry may read them later. */
    private readonly decode: (window: RecordWindow, at: number, index: number, stable: boolean) => Entry,
  ) {
    // Filled up front: an array written at scattered indexes would fall back to a slow dictionary.
    if (length <= KEEP_ENTRIES) this.#decoded = new Array<Entry | undefined>(length).fill(undefined);
  }

  /** As Array.prototype.at: a negative index counts from the end. */
  at(index: number): Entry | undefined {
    if (index < 0) index += this.length;
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    const kept = this.#decoded?.[index];
    if (kept !== undefined) return kept;
    const entry = this.decodeAt(index);
    if (this.#decoded && entry !== undefined) this.#decoded[index] = entry;
    return entry;
  }

  private decodeAt(index: number): Entry | undefined {
    if (!this.cover(index)) return undefined;
    // A whole table's window is read once and never reused; an entry kept by #decoded gains nothing from reading it later.
    const stable = this.#windowCount === this.length && this.#decoded === undefined;
    return this.decode(this.#window!, (index - this.#windowFirst) * this.unit, index, stable);
  }

  /**
   * Makes the window hold entry `index`: a small table is read whole; in a
   * large one a walk (the entry after the window) reads a window of entries
   * and a lookup elsewhere its one entry. False when the bytes cannot be read.
   */
  private cover(index: number): boolean {
    if (index >= this.#windowFirst && index < this.#windowFirst + this.#windowCount) return true;
    const whole = this.length * this.unit <= KEEP_BYTES;
    const walking = this.#windowCount === 0 || index === this.#windowFirst + this.#windowCount;
    const start = whole ? 0 : index;
    const perWindow = Math.max(1, Math.floor(WINDOW_BYTES / this.unit));
    const count = whole ? this.length : walking ? Math.min(perWindow, this.length - index) : 1;
    const bytes = this.read(this.offset + start * this.unit, count * this.unit, () => (this.#scratch ??= new Uint8Array(Math.max(count, perWindow) * this.unit)));
    if (!bytes || bytes.length < count * this.unit) return false;
    this.#window = new RecordWindow(bytes, this.byteOrder);
    this.#windowFirst = start;
    this.#windowCount = count;
    return true;
  }

  /**
   * The entries from `first` on as they lie in the file: `visit` gets a window
   * and the rows in it (`rows` entries from `first`, at `at`, `at + unit`...)
   * until `visit` returns false or the table ends. Stops at bytes that cannot
   * be read, as an iteration does.
   */
  scan(first: number, visit: (window: RecordWindow, at: number, index: number, rows: number) => boolean): void {
    for (let index = first; index < this.length;) {
      if (!this.cover(index)) return;
      const rows = this.#windowFirst + this.#windowCount - index;
      if (!visit(this.#window!, (index - this.#windowFirst) * this.unit, index, rows)) return;
      index += rows;
    }
  }

  [Symbol.iterator](): Iterator<Entry> {
    let index = 0;
    return {
      next: (): IteratorResult<Entry> => {
        const entry = index < this.length ? this.at(index++) : undefined;
        return entry === undefined ? { done: true, value: undefined } : { done: false, value: entry };
      },
    };
  }

  some(predicate: (entry: Entry) => boolean): boolean {
    return this.find(predicate) !== undefined;
  }

  every(predicate: (entry: Entry) => boolean): boolean {
    return this.find((entry) => !predicate(entry)) === undefined;
  }

  find(predicate: (entry: Entry) => boolean): Entry | undefined {
    for (let index = 0; index < this.length; index += 1) {
      const entry = this.at(index);
      if (entry === undefined) return undefined;
      if (predicate(entry)) return entry;
    }
    return undefined;
  }

  filter(predicate: (entry: Entry) => boolean): Entry[] {
    const kept: Entry[] = [];
    this.find((entry) => {
      if (predicate(entry)) kept.push(entry);
      return false;
    });
    return kept;
  }

  map<Result>(convert: (entry: Entry) => Result): Result[] {
    const results: Result[] = [];
    this.find((entry) => {
      results.push(convert(entry));
      return false;
    });
    return results;
  }
}

/** A run of a table's entries decoded into columns (typed arrays): row `i` is entry `first + i`. */
export interface TableRun {
  first: number;
  count: number;
}

/** Entries in a run's columns: the arrays of a run of `capacity` rows, and `rows` entries (`stride` bytes apart from `at`) decoded into rows from `row` on. */
export interface RunColumns<Run extends TableRun> {
  create(capacity: number): Run;
  fill(run: Run, row: number, rows: number, window: RecordWindow, at: number, stride: number): void;
}

/** Rows per run of a table read a window at a time: a few tens of KiB of columns, reused along a walk. */
const RUN_ROWS = 4096;

/**
 * A RecordTable that also gives its entries a run at a time in columns, for
 * the rules that walk every entry of tables of millions: a column read is a
 * typed-array load, where an entry is an object and its 64-bit fields BigInts.
 * A table read whole (at most KEEP_BYTES) is decoded once into one run that
 * every walk shares, as several rules walk each table; a larger one is decoded
 * on each walk into one run's arrays, so it keeps nothing between runs.
 */
export class RunTable<Entry, Run extends TableRun> extends RecordTable<Entry> {
  #whole: Run | undefined;

  constructor(
    length: number, offset: number, unit: number, byteOrder: ByteOrder, read: WindowRead,
    decode: (window: RecordWindow, at: number, index: number, stable: boolean) => Entry,
    private readonly columns: RunColumns<Run>,
  ) {
    super(length, offset, unit, byteOrder, read, decode);
  }

  *runs(): Generator<Run> {
    if (this.length === 0) return;
    if (this.length * this.unit <= KEEP_BYTES) {
      this.#whole ??= this.fillRun(this.columns.create(this.length), 0, this.length);
      if (this.#whole.count > 0) yield this.#whole;
      return;
    }
    const run = this.columns.create(RUN_ROWS);
    for (let first = 0; first < this.length; first += run.count) {
      // Each run is filled before it is handed out: a reader that looks up an entry meanwhile may move the window.
      if (this.fillRun(run, first, RUN_ROWS).count === 0) return;
      yield run;
    }
  }

  /** Fills `run` (of `capacity` rows) from entry `first` on, as far as it holds, the table goes or the bytes can be read. */
  private fillRun(run: Run, first: number, capacity: number): Run {
    run.first = first;
    run.count = 0;
    this.scan(first, (window, at, index, rows) => {
      const take = Math.min(rows, capacity - run.count);
      this.columns.fill(run, run.count, take, window, at, this.unit);
      run.count += take;
      return run.count < capacity && index + take < this.length;
    });
    return run;
  }
}

/** The entries of `table` in order, up to and including the first that `last` accepts (all of them without `last`). */
export function entriesUntil<Entry>(table: Iterable<Entry>, last?: (entry: Entry) => boolean): Entry[] {
  const entries: Entry[] = [];
  for (const entry of table) {
    entries.push(entry);
    if (last?.(entry)) break;
  }
  return entries;
}
