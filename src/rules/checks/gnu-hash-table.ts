import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import type { GnuHashTable } from '../../model/contents.js';
import { gnuHashAt } from '../../model/elf-hash.js';
import { capped, forEachLookedUpSymbol, gnuHashTables, type GnuHashSource } from '../dynamic-facts.js';

const LIMIT = 5;

/** Whether the lookup of `hash` walks from its bucket to symbol `index` (as ld.so's do_lookup_x does). */
function reaches(table: GnuHashTable, hash: number, index: number): boolean {
  let symbol = table.buckets[hash % table.nbuckets] ?? 0;
  if (symbol === 0) return false;
  for (;;) {
    const chain = table.chains[symbol - table.symoffset];
    if (chain === undefined) return false;
    if (symbol === index && ((chain ^ hash) >>> 1) === 0) return true;
    if ((chain & 1) !== 0) return false;
    symbol++;
  }
}

/** The Bloom filter's words as 32-bit halves (low, high), so that a bit test needs no BigInt per symbol. */
function bloomHalves(table: GnuHashTable): Uint32Array {
  const halves = new Uint32Array(table.bloom.length * 2);
  table.bloom.forEach((value, index) => {
    halves[2 * index] = Number(value & 0xffffffffn);
    halves[2 * index + 1] = Number((value >> 32n) & 0xffffffffn);
  });
  return halves;
}

/** The Bloom filter word that `hash` selects. */
function bloomWord(table: GnuHashTable, hash: number, bits: number): number {
  return Math.floor(hash / bits) % table.bloomSize;
}

/** Whether bit `value` mod `bits` of Bloom filter word `word` is set. */
function bloomBit(halves: Uint32Array, word: number, value: number, bits: number): boolean {
  const shift = value % bits;
  return ((halves[2 * word + (shift >= 32 ? 1 : 0)]! >>> (shift % 32)) & 1) === 1;
}

/** Whether both bits of the Bloom filter word that `hash` selects are set. */
function bloomHas(table: GnuHashTable, halves: Uint32Array, hash: number, bits: number): boolean {
  const word = bloomWord(table, hash, bits);
  // A shift of 32 or more leaves nothing of a 32-bit hash (JavaScript's >>> would take it modulo 32).
  const second = table.bloomShift >= 32 ? 0 : hash >>> table.bloomShift;
  return word < table.bloom.length && bloomBit(halves, word, hash, bits) && bloomBit(halves, word, second, bits);
}

function* tableReports(elf: ElfFile, source: GnuHashSource): Generator<Report> {
  const { table, label, symbols: symbolTable } = source;
  const count = symbolTable.symbols().length;
  if (table.problem !== undefined) {
    yield source.cutShort(table.problem, 'the whole table');
    return;
  }
  const bloomValid = table.bloomSize > 0 && (table.bloomSize & (table.bloomSize - 1)) === 0;
  if (!bloomValid) {
    yield { ...source.locate('bloom_size'), message: `${label} has a Bloom filter of ${table.bloomSize} words; the dynamic linker masks with bloom_size - 1, so it must be a power of two. Relink`, actual: table.bloomSize, expected: 'a power of two' };
  }
  if (table.symoffset > count) {
    yield { ...source.locate('symoffset'), message: `${label} has symoffset ${table.symoffset}, past the ${count} symbols of ${symbolTable.label}; relink`, actual: table.symoffset, expected: `at most ${count}` };
    return;
  }
  if (table.nbuckets === 0) {
    if (count > table.symoffset) yield { ...source.locate('nbuckets'), message: `${label} has no buckets for its ${count - table.symoffset} hashed symbols: the dynamic linker divides by nbuckets; relink`, actual: 0, expected: 'at least 1' };
    return;
  }
  for (let index = 0; index < table.buckets.length; index += 1) {
    const value = table.buckets[index]!;
    if (value !== 0 && (value < table.symoffset || value >= count)) {
      yield { ...source.locate(`bucket[${index}]`), message: `${label} bucket ${index} is ${value}, outside the hashed symbols ${table.symoffset} to ${count - 1}; relink`, actual: value, expected: `0, or ${table.symoffset} to ${count - 1}` };
    }
  }
  const bits = elf.layout.wordSize * 8;
  const halves = bloomHalves(table);
  // Only defined symbols are looked up: GNU ld leaves undefined ones past symoffset out of the chains.
  const strings = symbolTable.names();
  if (!strings) return;
  // The lookups run in one loop over the symbols' columns; only the symbols a lookup misses are decoded, for their reports.
  const missed: { index: number; hash: number; problem: 'below-symoffset' | 'unreachable' | 'bloom' }[] = [];
  forEachLookedUpSymbol(symbolTable, strings, (index, nameOffset) => {
    const hash = gnuHashAt(strings, nameOffset);
    if (hash === undefined) return;
    if (index < table.symoffset) missed.push({ index, hash, problem: 'below-symoffset' });
    else if (!reaches(table, hash, index)) missed.push({ index, hash, problem: 'unreachable' });
    else if (bloomValid && !bloomHas(table, halves, hash, bits)) missed.push({ index, hash, problem: 'bloom' });
  });
  const symbols = symbolTable.symbols();
  for (const { index, hash, problem } of missed) {
    const name = symbols.at(index)?.name ?? '?';
    if (problem === 'below-symoffset') {
      yield { ...source.locate('symoffset'), message: `${label} starts hashing at symbol ${table.symoffset}, so defined symbol ${index} (${name}) below it is never found; relink`, actual: table.symoffset, expected: `at most ${index}` };
    } else if (problem === 'unreachable') {
      yield {
        ...source.locate(`bucket[${hash % table.nbuckets}]`),
        message: `${label} does not lead to symbol ${index} (${name}): bucket ${hash % table.nbuckets} and the chain after it miss it or its hash, so the dynamic linker cannot find it; relink`,
        actual: hash % table.nbuckets,
        expected: `a chain through symbol ${index}`,
      };
    } else {
      const word = bloomWord(table, hash, bits);
      yield {
        ...source.locate(`bloom[${word}]`),
        message: `${label}'s Bloom filter word ${word} lacks the bits of symbol ${index} (${name}), so the dynamic linker stops looking before the buckets; relink`,
        actual: word,
        expected: 'both bits of every hashed name set',
      };
    }
  }
}

export const gnuHashTable: Rule = {
  id: 'gnu-hash-table',
  category: 'gabi',
  severity: 'warning',
  summary: 'An SHT_GNU_HASH table must be well formed and lead to every hashed symbol',
  explanation: `The GNU hash table (.gnu.hash, DT_GNU_HASH) is how glibc's dynamic linker finds a symbol by
name in objects that have one: the symbols from symoffset on are sorted by bucket, a Bloom
filter of bloom_size words (a power of two: ld.so masks with bloom_size - 1) rejects most
names absent from the object, the name's hash (h * 33 + c from 5381) selects a bucket that
gives the bucket's first symbol, and the chain holds each symbol's hash with bit 0 set on
the last one of the bucket.

The check rebuilds every lookup: symoffset must be at most the number of symbols, every
bucket 0 or a hashed symbol, every hashed symbol reachable from its bucket with its hash in
the chain, both of its Bloom bits set, and no defined global symbol below symoffset (never
looked at). A symbol the table misses is invisible to other objects: undefined symbol
errors at load time, or another definition interposed.

A file without section headers (sstrip, hand-made) is checked through DT_GNU_HASH,
DT_SYMTAB and DT_STRTAB, as the dynamic linker reads it: the symbols are DT_HASH's nchain,
or those up to the end of the chain of the highest bucket.

Fix: relink (ld --hash-style=gnu); a tool that edits .dynsym must rebuild the hash table
with it.`,
  *check(elf) {
    for (const source of gnuHashTables(elf)) yield* capped(tableReports(elf, source), LIMIT);
  },
};
