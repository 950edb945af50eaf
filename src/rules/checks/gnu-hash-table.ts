import type { Report, Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { GnuHashTable } from '../../model/contents.js';
import { SHT_GNU_HASH } from '../../model/constants.js';
import { gnuHash } from '../../model/elf-hash.js';
import { capped, cutShort, hashSections, lookedUpSymbols } from '../dynamic-facts.js';
import { sectionLabel } from '../facts.js';

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

/** Whether both bits of the Bloom filter word that `hash` selects are set. */
function bloomHas(table: GnuHashTable, hash: number, bits: number): { word: number; set: boolean } {
  const word = Math.floor(hash / bits) % table.bloomSize;
  const value = table.bloom[word] ?? 0n;
  const bit = (shift: number) => ((value >> BigInt(shift % bits)) & 1n) === 1n;
  return { word, set: bit(hash) && bit(Number(BigInt(hash) >> BigInt(table.bloomShift))) };
}

function* tableReports(elf: ElfFile, section: SectionHeader, symbolTable: SectionHeader): Generator<Report> {
  const table = elf.contents.gnuHash(section.index);
  if (!table) return;
  const label = sectionLabel(section);
  const at = `sec[${section.index}].gnu_hash` as const;
  const count = elf.contents.symbols(symbolTable.index).length;
  if (table.problem !== undefined) {
    yield cutShort(section, table.problem, 'the whole table');
    return;
  }
  const bloomValid = table.bloomSize > 0 && (table.bloomSize & (table.bloomSize - 1)) === 0;
  if (!bloomValid) {
    yield { field: `${at}.bloom_size`, message: `${label} has a Bloom filter of ${table.bloomSize} words; the dynamic linker masks with bloom_size - 1, so it must be a power of two. Relink`, actual: table.bloomSize, expected: 'a power of two' };
  }
  if (table.symoffset > count) {
    yield { field: `${at}.symoffset`, message: `${label} has symoffset ${table.symoffset}, past the ${count} symbols of ${sectionLabel(symbolTable)}; relink`, actual: table.symoffset, expected: `at most ${count}` };
    return;
  }
  if (table.nbuckets === 0) {
    if (count > table.symoffset) yield { field: `${at}.nbuckets`, message: `${label} has no buckets for its ${count - table.symoffset} hashed symbols: the dynamic linker divides by nbuckets; relink`, actual: 0, expected: 'at least 1' };
    return;
  }
  for (const [index, value] of table.buckets.entries()) {
    if (value !== 0 && (value < table.symoffset || value >= count)) {
      yield { field: `${at}.bucket[${index}]`, message: `${label} bucket ${index} is ${value}, outside the hashed symbols ${table.symoffset} to ${count - 1}; relink`, actual: value, expected: `0, or ${table.symoffset} to ${count - 1}` };
    }
  }
  const bits = elf.layout.wordSize * 8;
  // Only defined symbols are looked up: GNU ld leaves undefined ones past symoffset out of the chains.
  for (const { symbol, name } of lookedUpSymbols(elf, symbolTable)) {
    if (symbol.index < table.symoffset) {
      yield { field: `${at}.symoffset`, message: `${label} starts hashing at symbol ${table.symoffset}, so defined symbol ${symbol.index} (${symbol.name ?? '?'}) below it is never found; relink`, actual: table.symoffset, expected: `at most ${symbol.index}` };
      continue;
    }
    const hash = gnuHash(name);
    if (!reaches(table, hash, symbol.index)) {
      yield {
        field: `${at}.bucket[${hash % table.nbuckets}]`,
        message: `${label} does not lead to symbol ${symbol.index} (${symbol.name ?? '?'}): bucket ${hash % table.nbuckets} and the chain after it miss it or its hash, so the dynamic linker cannot find it; relink`,
        actual: hash % table.nbuckets,
        expected: `a chain through symbol ${symbol.index}`,
      };
      continue;
    }
    const bloom = bloomValid ? bloomHas(table, hash, bits) : undefined;
    if (bloom && !bloom.set) {
      yield {
        field: `${at}.bloom[${bloom.word}]`,
        message: `${label}'s Bloom filter word ${bloom.word} lacks the bits of symbol ${symbol.index} (${symbol.name ?? '?'}), so the dynamic linker stops looking before the buckets; relink`,
        actual: bloom.word,
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

Fix: relink (ld --hash-style=gnu); a tool that edits .dynsym must rebuild the hash table
with it.`,
  *check(elf) {
    for (const { section, symbols } of hashSections(elf, SHT_GNU_HASH)) yield* capped(tableReports(elf, section, symbols), LIMIT);
  },
};
