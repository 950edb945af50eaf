import type { Report, Rule } from '../rule.js';
import { elfHashAt } from '../../model/elf-hash.js';
import { capped, forEachLookedUpSymbol, sysvHashTables, type SysvHashSource } from '../dynamic-facts.js';

/** Reports per table, so a table broken throughout gives a handful of findings. */
const LIMIT = 5;

function* tableReports(source: SysvHashSource): Generator<Report> {
  const { table, label, symbols } = source;
  const count = symbols.symbols().length;
  if (table.problem !== undefined) yield source.cutShort(table.problem, `${2 + table.nbucket + table.nchain} entries`);
  if (table.nchain !== count) {
    yield {
      ...source.locate('nchain'),
      message: `${label} has nchain ${table.nchain}, but its symbol table ${symbols.label} holds ${count} symbols; the gABI makes them equal. Relink`,
      actual: table.nchain,
      expected: `${count}`,
    };
  }
  if (table.nbucket === 0) {
    if (count > 1) yield { ...source.locate('nbucket'), message: `${label} has nbucket 0: the dynamic linker divides by it for every lookup; relink`, actual: 0, expected: 'at least 1' };
    return;
  }
  // Indexed loops: .entries() would make a pair per word of tables of tens of thousands.
  for (let index = 0; index < table.buckets.length; index += 1) {
    const value = table.buckets[index]!;
    if (value >= table.nchain) yield { ...source.locate(`bucket[${index}]`), message: `${label} bucket ${index} is ${value}, past its ${table.nchain} chain entries; relink`, actual: value, expected: `below ${table.nchain}` };
  }
  for (let index = 0; index < table.chains.length; index += 1) {
    const value = table.chains[index]!;
    if (value >= table.nchain) yield { ...source.locate(`chain[${index}]`), message: `${label} chain entry ${index} is ${value}, past its ${table.nchain} chain entries; relink`, actual: value, expected: `below ${table.nchain}` };
  }
  const strings = symbols.names();
  if (!strings) return;
  // The lookups run in one loop over the symbols' columns; only the symbols a lookup misses are decoded, for their reports.
  const missed: { index: number; bucket: number }[] = [];
  forEachLookedUpSymbol(symbols, strings, (symbolIndex, nameOffset) => {
    const hash = elfHashAt(strings, nameOffset);
    if (hash === undefined) return;
    const bucket = hash % table.nbucket;
    let index = table.buckets[bucket] ?? 0;
    for (let steps = 0; index !== 0 && index !== symbolIndex && steps < table.chains.length; steps++) index = table.chains[index] ?? 0;
    if (index !== symbolIndex) missed.push({ index: symbolIndex, bucket });
  });
  const symbolEntries = symbols.symbols();
  for (const { index, bucket } of missed) {
    yield {
      ...source.locate(`bucket[${bucket}]`),
      message: `${label} does not lead to symbol ${index} (${symbolEntries.at(index)?.name ?? '?'}): its hash selects bucket ${bucket}, whose chain does not reach it, so the dynamic linker cannot find it; relink`,
      actual: bucket,
      expected: `a chain through symbol ${index}`,
    };
  }
}

export const hashTable: Rule = {
  id: 'hash-table',
  category: 'gabi',
  severity: 'warning',
  summary: 'An SHT_HASH table must have one chain entry per symbol and lead to every defined symbol',
  explanation: `The SysV hash table (.hash, DT_HASH) is how the dynamic linker finds a symbol by name: the
ELF hash of the name selects one of nbucket buckets, and the bucket's chain (chain[i] is the
next symbol after symbol i, 0 ends it) must pass through the symbol. The gABI makes nchain
the number of symbols in the linked symbol table, and every bucket and chain value a symbol
index below it. The check rebuilds the lookup of every global or weak defined symbol with a
name; a symbol the table does not lead to is invisible to other objects (undefined symbol
errors at load time, or a different definition interposed), and nbucket 0 makes the lookup
divide by zero.

A file without section headers (sstrip, hand-made) is checked through DT_HASH, DT_SYMTAB
and DT_STRTAB, as the dynamic linker reads it; there nchain is the number of symbols.

Fix: relink (ld --hash-style=sysv or both); a tool that edits .dynsym must rebuild the hash
table with it.`,
  *check(elf) {
    for (const source of sysvHashTables(elf)) yield* capped(tableReports(source), LIMIT);
  },
};
