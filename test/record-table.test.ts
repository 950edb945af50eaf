// How the parser's tables hold their entries (src/parse/records.ts): a small
// table keeps each entry once decoded, a larger one decodes on every use (so
// memory does not grow with the table), and the symbols of a large table read
// whole decode their fields from its bytes when asked. Whatever the path, every
// field must read what the file holds: the tables here are written from the
// class layout with known values, for both classes and byte orders, and parsed
// both from memory and on demand, through a ByteSource.
import { describe, expect, it } from 'vitest';
import { parseElf } from '../src/parse/parse.js';
import { KEEP_BYTES, KEEP_ENTRIES, RecordTable, RunTable, type RunColumns, type TableRun, type WindowRead } from '../src/parse/records.js';
import { buildElf } from '../src/gen/build.js';
import { encodeStructs } from '../src/gen/contents.js';
import { layoutOf, type Container } from '../src/model/layout.js';
import type { ByteSource, ElfFile } from '../src/model/elf.js';
import type { Symbols } from '../src/model/contents.js';
import { joinHalves } from '../src/model/word-halves.js';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_386, EM_PPC, EM_S390, EM_X86_64, ET_REL, SHT_STRTAB, SHT_SYMTAB } from '../src/model/constants.js';
import { elfHash, elfHashAt, gnuHash, gnuHashAt } from '../src/model/elf-hash.js';

/** A table of `length` 4-byte records (each its index) over an in-memory buffer, counting decodes and noting whether each window was stable. */
function countingTable(length: number) {
  const bytes = new Uint8Array(length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < length; i += 1) view.setUint32(i * 4, i, true);
  const read: WindowRead = (offset, size) => bytes.subarray(offset, offset + size);
  const seen = { decodes: 0, stable: new Set<boolean>() };
  const table = new RecordTable(length, 0, 4, 'LSB', read, (window, at, index, stable) => {
    seen.decodes += 1;
    seen.stable.add(stable);
    return { index, value: window.number(at, { offset: 0, size: 4 }) };
  });
  return { table, seen };
}

describe('RecordTable', () => {
  it('keeps the entries of a table of at most KEEP_ENTRIES entries: a second walk decodes nothing', () => {
    const { table, seen } = countingTable(KEEP_ENTRIES);
    const first = [...table];
    expect(seen.decodes).toBe(KEEP_ENTRIES);
    expect([...table]).toEqual(first);
    expect(table.at(17)).toBe(first[17]);
    expect(seen.decodes).toBe(KEEP_ENTRIES);
    // Kept entries do not read the bytes later: their windows are not handed out as stable.
    expect([...seen.stable]).toEqual([false]);
  });

  it('decodes the entries of a larger table on every use, and hands out its whole window as stable', () => {
    const length = KEEP_ENTRIES + 1;
    const { table, seen } = countingTable(length);
    expect([...table].map((entry) => entry.value)).toEqual(Array.from({ length }, (_, i) => i));
    expect(table.at(-1)).toEqual({ index: length - 1, value: length - 1 });
    expect(table.at(-1)).not.toBe(table.at(-1));
    expect(seen.decodes).toBe(length + 3);
    expect([...seen.stable]).toEqual([true]);
  });

  it('reads a table of more than KEEP_BYTES a window at a time, whose windows are not stable', () => {
    const unit = 64;
    const length = KEEP_BYTES / unit + 1;
    const reads: number[] = [];
    let scratch: Uint8Array | undefined;
    const read: WindowRead = (offset, size, scratchOf) => {
      reads.push(size);
      scratch = scratchOf();
      const target = scratch.subarray(0, size);
      new DataView(target.buffer, target.byteOffset).setUint32(0, offset / unit, true);
      for (let at = unit; at < size; at += unit) new DataView(target.buffer, target.byteOffset + at).setUint32(0, offset / unit + at / unit, true);
      return target;
    };
    const stable = new Set<boolean>();
    const table = new RecordTable(length, 0, unit, 'LSB', read, (window, at, index, isStable) => {
      stable.add(isStable);
      return { index, value: window.number(at, { offset: 0, size: 4 }) };
    });
    let count = 0;
    let wrong = 0;
    for (const entry of table) {
      if (entry.value !== entry.index) wrong += 1;
      count += 1;
    }
    expect([count, wrong]).toEqual([length, 0]);
    expect(Math.max(...reads)).toBeLessThan(KEEP_BYTES);
    expect([...stable]).toEqual([false]);
  });
});

describe('RunTable', () => {
  interface ValueRun extends TableRun {
    readonly value: Uint32Array;
  }
  const columns: RunColumns<ValueRun> = {
    create: (capacity) => ({ first: 0, count: 0, value: new Uint32Array(capacity) }),
    fill: (run, row, rows, window, at, stride) => {
      for (let end = row + rows; row < end; row += 1, at += stride) run.value[row] = window.u32(at);
    },
  };
  /** A table of `length` records of `unit` bytes, each starting with its index (readable up to entry `readable`). */
  function valueTable(length: number, unit: number, readable = length) {
    const bytes = new Uint8Array(length * unit);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < length; i += 1) view.setUint32(i * unit, i, true);
    const reads: number[] = [];
    const read: WindowRead = (offset, size) => {
      reads.push(size);
      return offset + size > readable * unit ? undefined : bytes.subarray(offset, offset + size);
    };
    const table = new RunTable(length, 0, unit, 'LSB', read, (window, at, index) => ({ index, value: window.u32(at) }), columns);
    // A walk reuses one run's arrays: each run is read as it comes.
    const rows = () => {
      const all: number[][] = [];
      for (const run of table.runs()) for (let row = 0; row < run.count; row += 1) all.push([run.first + row, run.value[row]!]);
      return all;
    };
    return { table, rows, reads };
  }

  it('gives every entry of a table read whole, in runs that cover it in order', () => {
    const { table, rows, reads } = valueTable(10_000, 8);
    expect(rows()).toEqual([...table].map((entry) => [entry.index, entry.value]));
    expect(reads[0]).toBe(80_000);
  });

  it('gives every entry of a table read a window at a time, runs spanning windows', () => {
    const unit = 64;
    const length = KEEP_BYTES / unit + 5_000;
    const { rows, reads } = valueTable(length, unit);
    const all = rows();
    expect(all.length).toBe(length);
    expect(all.every(([index, value]) => index === value)).toBe(true);
    expect(Math.max(...reads)).toBeLessThan(KEEP_BYTES);
  });

  it('stops where the bytes cannot be read, as a walk of the entries does', () => {
    const unit = 64;
    const length = KEEP_BYTES / unit + 5_000;
    const readable = KEEP_BYTES / unit + 1_000;
    const { rows } = valueTable(length, unit, readable);
    // A window is read whole or not at all: the walk ends within a window of the first unreadable entry.
    const all = rows();
    expect(all.length).toBeLessThanOrEqual(readable);
    expect(all.length).toBeGreaterThan(readable - 16 * 1024 / unit);
    expect(all.every(([index, value], row) => index === row && value === row)).toBe(true);
  });

  it('gives no run for an empty table', () => {
    expect([...valueTable(0, 8).table.runs()]).toEqual([]);
  });
});

const CONTAINERS: readonly { container: Container; machine: number }[] = [
  { container: { elfClass: 'ELF64', byteOrder: 'LSB' }, machine: EM_X86_64 },
  { container: { elfClass: 'ELF64', byteOrder: 'MSB' }, machine: EM_S390 },
  { container: { elfClass: 'ELF32', byteOrder: 'LSB' }, machine: EM_386 },
  { container: { elfClass: 'ELF32', byteOrder: 'MSB' }, machine: EM_PPC },
];

/** Symbol i: a value with high bits set where the class allows, every st_info and st_other, a name per symbol. */
function symbolValues(i: number, is64: boolean, nameOffset: number) {
  return {
    st_name: nameOffset,
    st_value: is64 ? (0xfedc_0000_0000_0000n | BigInt(i) * 0x1001n) : BigInt((0xf000_0000 + i * 0x11) >>> 0),
    st_size: BigInt(i % 97),
    st_info: i % 256,
    st_other: i % 4,
    st_shndx: i % 5,
  };
}

/** An object whose .symtab holds `count` symbols (more than a table keeps), all named. */
function manySymbols(container: Container, machine: number, count: number): { bytes: Uint8Array; expected: ReturnType<typeof symbolValues>[]; names: string[] } {
  const layout = layoutOf(container.elfClass);
  const is64 = container.elfClass === 'ELF64';
  const names = Array.from({ length: count }, (_, i) => (i === 0 ? '' : `symbol_${i}`));
  const offsets: number[] = [];
  let text = '\0';
  for (const name of names) {
    offsets.push(name === '' ? 0 : text.length);
    if (name !== '') text += `${name}\0`;
  }
  const expected = names.map((_, i) => (i === 0 ? { st_name: 0, st_value: 0n, st_size: 0n, st_info: 0, st_other: 0, st_shndx: 0 } : symbolValues(i, is64, offsets[i]!)));
  const bytes = buildElf({
    ident: { class: is64 ? ELFCLASS64 : ELFCLASS32, data: container.byteOrder === 'LSB' ? ELFDATA2LSB : ELFDATA2MSB },
    header: { e_type: ET_REL, e_machine: machine },
    sections: [
      {},
      { name: '.strtab', sh_type: SHT_STRTAB, data: new TextEncoder().encode(text) },
      { name: '.symtab', sh_type: SHT_SYMTAB, sh_link: 1, sh_info: 1, sh_entsize: BigInt(layout.contents.sym.size), sh_addralign: 8n, data: encodeStructs(layout.contents.sym, container.byteOrder, expected) },
      { name: '.shstrtab' },
    ],
  });
  return { bytes, expected, names };
}

/** A ByteSource over `bytes`, as the CLI reads a file on demand. */
function onDemand(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (target, position) => target.set(bytes.subarray(position, position + target.length)) };
}

describe.each(CONTAINERS)('a symbol table larger than KEEP_ENTRIES, $container.elfClass $container.byteOrder', ({ container, machine }) => {
  const count = KEEP_ENTRIES + 500;
  const { bytes, expected, names } = manySymbols(container, machine, count);

  it.each([['in memory', bytes], ['on demand', onDemand(bytes)]] as const)('reads every field of every symbol, %s', (_how, source) => {
    const elf = parseElf(source) as ElfFile;
    expect(elf.kind).toBe('elf');
    const symbols = elf.contents.symbols(2);
    expect(symbols.length).toBe(count);
    let checked = 0;
    for (const symbol of symbols) {
      const want = expected[symbol.index]!;
      // Twice over: a field read from the table's bytes must read the same each time.
      for (let pass = 0; pass < 2; pass += 1) {
        expect([symbol.st_name, symbol.st_value, symbol.st_size, symbol.st_info, symbol.st_other, symbol.st_shndx])
          .toEqual([want.st_name, want.st_value, want.st_size, want.st_info, want.st_other, want.st_shndx]);
      }
      expect([symbol.bind, symbol.type, symbol.visibility]).toEqual([want.st_info >> 4, want.st_info & 0xf, want.st_other & 3]);
      expect(symbol.name).toBe(names[symbol.index] === '' ? '' : names[symbol.index]);
      checked += 1;
    }
    expect(checked).toBe(count);
    // A lookup off the walk reads the same entry.
    expect(symbols.at(-1)?.st_value).toBe(expected.at(-1)!.st_value);
  });

  it('gives the same fields in its runs of columns, 64-bit values as their halves', () => {
    const elf = parseElf(onDemand(bytes)) as ElfFile;
    expectRunsToMatch(elf.contents.symbols(2), expected);
  });
});

/** Every row of `symbols`' runs holds `expected`'s fields; a lookup elsewhere in the table between rows (which moves its window) changes nothing. */
function expectRunsToMatch(symbols: Symbols, expected: readonly ReturnType<typeof symbolValues>[]): void {
  let rows = 0;
  let wrong = 0;
  for (const run of symbols.runs()) {
    for (let row = 0; row < run.count; row += 1) {
      const index = run.first + row;
      const want = expected[index]!;
      const same = run.name[row] === want.st_name && run.info[row] === want.st_info && run.other[row] === want.st_other && run.shndx[row] === want.st_shndx
        && joinHalves(run.valueHigh[row]!, run.valueLow[row]!) === want.st_value && joinHalves(run.sizeHigh[row]!, run.sizeLow[row]!) === want.st_size;
      if (!same) wrong += 1;
      if (index % 9973 === 0) expect(symbols.at(expected.length - 1 - index)?.st_name).toBe(expected[expected.length - 1 - index]!.st_name);
      rows += 1;
    }
  }
  expect([rows, wrong]).toEqual([expected.length, 0]);
}

describe('a symbol table of more than KEEP_BYTES (ELF64 MSB), decoded into runs a window at a time', () => {
  it('gives every symbol\'s fields in its runs, with lookups between rows', () => {
    const container: Container = { elfClass: 'ELF64', byteOrder: 'MSB' };
    const { bytes, expected } = manySymbols(container, EM_S390, Math.ceil(KEEP_BYTES / layoutOf('ELF64').contents.sym.size) + 3_000);
    const elf = parseElf(onDemand(bytes)) as ElfFile;
    expectRunsToMatch(elf.contents.symbols(2), expected);
  });
});

describe('string tables', () => {
  const elf = parseElf(buildElf({
    ident: { class: ELFCLASS64, data: ELFDATA2LSB },
    header: { e_type: ET_REL, e_machine: EM_X86_64 },
    // The last name runs to the end of the table without a NUL.
    sections: [{}, { name: '.strtab', sh_type: SHT_STRTAB, data: new TextEncoder().encode('\0alpha\0\u00e9t\u00e9\0tail') }, { name: '.shstrtab' }],
  })) as ElfFile;
  const strings = elf.contents.stringTable(1)!;

  it('say whether a NUL ends the name at an offset without decoding it, as stringAt does', () => {
    for (let offset = 0; offset < strings.size; offset += 1) expect(strings.terminates(offset), `offset ${offset}`).toBe(strings.stringAt(offset)!.terminated);
    expect(strings.terminates(1)).toBe(true);
    expect(strings.terminates(strings.size - 1)).toBe(false);
    expect(strings.terminates(strings.size)).toBeUndefined();
    expect(strings.terminates(-1)).toBeUndefined();
  });

  it('decode ASCII and UTF-8 names alike', () => {
    expect(strings.stringAt(1)).toEqual({ text: 'alpha', terminated: true });
    expect(strings.stringAt(7)).toEqual({ text: '\u00e9t\u00e9', terminated: true });
    expect(strings.stringAt(strings.size - 4)).toEqual({ text: 'tail', terminated: false });
  });
});

describe('hashes taken in a string table', () => {
  const table = new TextEncoder().encode('\0printf\0_ZN4llvm5Value4dumpEv\0\u00e9\0unterminated');

  it('equal the hashes of the names themselves', () => {
    for (const [offset, name] of [[1, 'printf'], [8, '_ZN4llvm5Value4dumpEv'], [30, '\u00e9'], [0, '']] as const) {
      expect(elfHashAt(table, offset)).toBe(elfHash(name));
      expect(gnuHashAt(table, offset)).toBe(gnuHash(name));
    }
    // Known values: the gABI's example and the GNU hash of "printf".
    expect(gnuHash('printf')).toBe(0x156b2bb8);
    expect(elfHash('printf')).toBe(0x077905a6);
  });

  it('are undefined for a name without a NUL before the end of the table', () => {
    const last = table.lastIndexOf(0) + 1;
    expect(elfHashAt(table, last)).toBeUndefined();
    expect(gnuHashAt(table, last)).toBeUndefined();
  });
});
