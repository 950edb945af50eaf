import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import { capped } from '../dynamic-facts.js';
import type { RelocationRun } from '../../model/contents.js';
import { flaggedRelocations, relocationTables } from '../reloc-sections.js';

const LIMIT = 3;

function* sectionReports(elf: ElfFile): Generator<Report> {
  for (const table of relocationTables(elf)) {
    const symbols = table.symbolTable();
    if (!symbols) continue;
    const count = symbols.count;
    // A symbol index is a 32-bit number; a count past 2^53 (a corrupt sh_size) holds every one.
    const limit = count > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(count);
    yield* capped(function* () {
      const pastTable = (run: RelocationRun, rows: number[]) => {
        for (let row = 0; row < run.count; row += 1) if (run.symbol[row]! >= limit) rows.push(row);
      };
      for (const relocation of flaggedRelocations(table, pastTable)) {
        yield {
          ...table.locate(relocation, 'r_info'),
          message: `relocation ${relocation.index} of ${table.label} names symbol ${relocation.symbol}, but ${symbols.label} holds ${count} symbols; the linker or dynamic linker reads a symbol past the table. Relink, or fix r_info`,
          actual: relocation.symbol,
          expected: `below ${count}`,
        };
      }
    }(), LIMIT);
  }
}

export const relocSymbol: Rule = {
  id: 'reloc-symbol',
  category: 'gabi',
  severity: 'warning',
  summary: 'A relocation\'s symbol index must lie inside its symbol table',
  explanation: `The symbol part of r_info (ELF32_R_SYM, ELF64_R_SYM) indexes the symbol table that the
relocation section's sh_link names: .symtab for an object's relocations, .dynsym for the
dynamic relocations of executables and shared objects. An index at or past the number of
symbols makes the linker or the dynamic linker read a symbol from whatever follows the table
(ld refuses the object; ld.so resolves a name made of unrelated bytes).

Relocation sections whose sh_link names no symbol table are section-link's finding.

A file without section headers is checked through DT_RELA, DT_REL and DT_JMPREL against
the dynamic symbols DT_HASH (nchain) or DT_GNU_HASH count, as the dynamic linker reads them.

Fix: rebuild the object or relink; a tool that removes symbols must renumber the
relocations that refer to the symbols after them.`,
  *check(elf) {
    yield* sectionReports(elf);
  },
};
