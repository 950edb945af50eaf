import type { Rule } from '../rule.js';
import { STB_LOCAL } from '../../model/constants.js';
import { plural } from '../../model/hex.js';
import { sectionLabel } from '../facts.js';
import { declaredEntries, flaggedSymbols, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

export const symbolOrder: Rule = {
  id: 'symbol-order',
  category: 'gabi',
  severity: 'warning',
  summary: 'Local symbols must come before the global and weak ones, and sh_info must be the first non-local',
  explanation: `The gABI requires a symbol table to hold its STB_LOCAL symbols first, then the
global, weak and other non-local ones, and its sh_info to be the index of the first
non-local symbol. Linkers rely on this: they read only the symbols from sh_info on to
resolve references between objects, so a global symbol below sh_info is never seen (an
"undefined reference" although the object defines it), and a local symbol above it is
treated as a definition that can clash with other objects' symbols. Tools that list
exported symbols (nm -g, the dynamic symbol tables) skip or misreport them too.

(An sh_info outside the table, 0 or more than the symbol count, is section-link's finding.)

Fix: relink, or rebuild the symbol table (objcopy or strip sorts it and sets sh_info).`,
  *check(elf) {
    for (const table of symbolTables(elf)) {
      const count = declaredEntries(table, elf.layout.contents.sym.size);
      if (table.sh_info < 1 || BigInt(table.sh_info) > count) continue;
      const misplaced = [...flaggedSymbols(elf.contents.symbols(table.index), (run, rows) => {
        for (let row = 0; row < run.count; row += 1) {
          const index = run.first + row;
          if (index > 0 && (index < table.sh_info) !== (run.info[row]! >> 4 === STB_LOCAL)) rows.push(row);
        }
      })];
      const first = misplaced[0];
      if (!first) continue;
      const others = misplaced.length > 1 ? ` (and ${plural(misplaced.length - 1, 'other symbol')} on the wrong side)` : '';
      const local = first.bind === STB_LOCAL;
      yield {
        field: symField(table, first, 'st_info'),
        message: `${symbolLabel(first)} of ${sectionLabel(table)} is ${local ? 'STB_LOCAL but comes at or after' : 'not STB_LOCAL but comes before'} sh_info ${table.sh_info}, the index of the first non-local symbol${others}; rebuild the symbol table so that local symbols come first and sh_info follows them`,
        actual: `binding ${first.bind} at index ${first.index}`,
        expected: local ? `STB_LOCAL symbols below index ${table.sh_info}` : `non-local symbols at index ${table.sh_info} and above`,
      };
    }
  },
};
