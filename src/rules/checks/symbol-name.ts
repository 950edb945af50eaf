import type { Rule } from '../rule.js';
import { SHT_STRTAB } from '../../model/constants.js';
import { sectionLabel } from '../facts.js';
import type { SymbolRun } from '../../model/contents.js';
import { flaggedSymbols, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

export const symbolName: Rule = {
  id: 'symbol-name',
  category: 'gabi',
  severity: 'warning',
  summary: 'A symbol\'s st_name must be an offset inside its string table, to a NUL-terminated name',
  explanation: `st_name is a byte offset into the string table the symbol table's sh_link names (.strtab
for .symtab, .dynstr for .dynsym); 0 means the symbol has no name. An offset at or past the
end of the table names nothing, and a name without a NUL before the end of the table runs
into whatever follows the section. readelf prints "<corrupt>", debuggers and linkers look
symbols up under garbage names, and for .dynsym the dynamic linker (which finds the table
through DT_STRTAB and DT_STRSZ) reads the wrong name or past the table.

Fix: relink, or rebuild the symbol and string tables (objcopy or strip rewrites both); if
only the table's size is wrong, fix sh_size of the string table.`,
  *check(elf) {
    for (const table of symbolTables(elf)) {
      const strings = elf.sectionHeaders.at(table.sh_link);
      // A link to something other than a string table is section-link's finding; objcopy --only-keep-debug makes .dynstr SHT_NOBITS.
      if (!strings || strings.sh_type !== SHT_STRTAB || table.sh_link === 0) continue;
      const text = elf.contents.stringTable(strings.index);
      // A string table past the end of the file is section-in-file's finding.
      if (!text || BigInt(text.size) !== strings.sh_size) continue;
      const unnamedOrTerminated = (run: SymbolRun, row: number) => run.name[row] === 0 || text.terminates(run.name[row]!) === true;
      for (const symbol of flaggedSymbols(elf.contents.symbols(table.index), (run, rows) => {
        for (let row = 0; row < run.count; row += 1) if (!unnamedOrTerminated(run, row)) rows.push(row);
      })) {
        const terminated = text.terminates(symbol.st_name);
        yield {
          field: symField(table, symbol, 'st_name'),
          message: terminated === undefined
            ? `${symbolLabel(symbol)} of ${sectionLabel(table)} has st_name ${symbol.st_name}, past the end of the ${text.size}-byte string table ${sectionLabel(strings)}; rebuild the symbol table or fix st_name`
            : `${symbolLabel(symbol)} of ${sectionLabel(table)} has a name at offset ${symbol.st_name} that runs to the end of ${sectionLabel(strings)} without a NUL; rebuild the string table`,
          actual: symbol.st_name,
          expected: terminated === undefined ? `< ${text.size}` : 'a NUL-terminated name inside the table',
        };
      }
    }
  },
};
