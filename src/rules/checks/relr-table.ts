import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import { hex } from '../../model/hex.js';
import { capped, hasTextRelocations, loadedMemory } from '../dynamic-facts.js';
import { hasLinkedImage } from '../facts.js';
import { relrTables, type RelrSource } from '../reloc-sections.js';

const LIMIT = 3;

/**
 * The index of the address word that starts the run holding `address`: the
 * last even word at or below it (a linker writes them in ascending order).
 */
function runStarts(words: readonly bigint[]): (address: bigint) => number {
  const starts = [...words.entries()].filter(([, word]) => (word & 1n) === 0n);
  return (address) => {
    let low = 0;
    let high = starts.length - 1;
    let found = 0;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [index, word] = starts[middle]!;
      if (word <= address) {
        found = index;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };
}

function* tableReports(elf: ElfFile, source: RelrSource): Generator<Report> {
  const { table, label } = source;
  if (table.problem !== undefined) {
    yield { ...source.locate(0), message: `${label} starts with a bitmap (an odd word), which has no address to count from; the first word must be an address. Relink`, actual: hex(table.words[0] ?? 0n), expected: 'an even word (an address)' };
  }
  const word = BigInt(elf.layout.wordSize);
  const textrel = hasTextRelocations(elf);
  const runStart = runStarts(table.words);
  const memory = loadedMemory(elf);
  for (const address of table.addresses) {
    const aligned = address % word === 0n;
    if (aligned && (textrel || memory.writable(address, word))) continue;
    yield {
      ...source.locate(runStart(address)),
      message: aligned
        ? `${label} relocates the word at ${hex(address)}, which no writable PT_LOAD holds; the dynamic linker's write faults or lands outside the image. Relink`
        : `${label} relocates ${hex(address)}, which is not aligned to the ${word}-byte word that RELR relocates; relink`,
      actual: hex(address),
      expected: `a ${word}-byte-aligned word in a writable PT_LOAD`,
    };
  }
}

export const relrTable: Rule = {
  id: 'relr-table',
  category: 'gabi',
  severity: 'warning',
  summary: 'An SHT_RELR table must start with an address and relocate aligned words of writable segments',
  explanation: `SHT_RELR (.relr.dyn, DT_RELR; ld -z pack-relative-relocs, glibc 2.36 and later) packs the
relative relocations of an image: an even word is the address of a word to relocate, an odd
word a bitmap of the 63 (or 31) words after the last address. So the first word must be an
address (a bitmap before it has nothing to count from), and every word relocated must be
aligned to the word size and lie in a writable PT_LOAD (unless DT_TEXTREL), since the
dynamic linker adds the load bias to it in place.

Relocatable objects, core dumps and separate debug files are not checked. A file without
section headers is checked through DT_RELR and DT_RELRSZ, as the dynamic linker reads it. DT_RELRENT is
dynamic-size's finding, sh_entsize section-entsize's.

Fix: relink; a tool that moves data must re-encode the RELR table with it.`,
  *check(elf) {
    if (!hasLinkedImage(elf)) return;
    for (const source of relrTables(elf)) yield* capped(tableReports(elf, source), LIMIT);
  },
};
