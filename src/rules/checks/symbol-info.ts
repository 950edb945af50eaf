import type { Rule, Report } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { ElfSymbol, SymbolRun } from '../../model/contents.js';
import {
  SHN_ABS, SHN_UNDEF, SHT_DYNSYM, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FILE, STT_SECTION, STT_TLS, STV_HIDDEN, STV_INTERNAL,
} from '../../model/constants.js';
import { sectionLabel } from '../facts.js';
import { isLinkedFile, flaggedSymbols, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

/** STB_LOOS/STT_LOOS (10, where GNU puts STB_GNU_UNIQUE and STT_GNU_IFUNC) to STB_HIPROC/STT_HIPROC (15). */
const SPECIFIC_FIRST = 10;
const SPECIFIC_LAST = 15;
const known = (value: number, last: number) => value <= last || (value >= SPECIFIC_FIRST && value <= SPECIFIC_LAST);

function nullSymbolReport(table: SectionHeader, symbol: ElfSymbol): Report | undefined {
  const fields = (['st_name', 'st_value', 'st_size', 'st_info', 'st_other', 'st_shndx'] as const)
    .filter((field) => symbol[field] !== 0 && symbol[field] !== 0n);
  const field = fields[0];
  return field && {
    field: symField(table, symbol, field),
    message: `the null symbol (index 0) of ${sectionLabel(table)} has ${fields.join(', ')} not zero; the gABI reserves entry 0 as all zeros: rebuild the symbol table`,
    actual: `${field} ${symbol[field]}`,
    expected: 'every field 0',
  };
}

function entryProblem(elf: ElfFile, table: SectionHeader, symbol: ElfSymbol): string | undefined {
  if (!known(symbol.bind, STB_WEAK)) return `an unknown binding ${symbol.bind} (ELF_ST_BIND of st_info; STB_LOCAL, STB_GLOBAL and STB_WEAK are 0-2, 10-15 are OS- and processor-specific)`;
  if (!known(symbol.type, STT_TLS)) return `an unknown type ${symbol.type} (ELF_ST_TYPE of st_info; the gABI's types are 0-6, 10-15 are OS- and processor-specific)`;
  if (symbol.type === STT_SECTION && symbol.bind !== STB_LOCAL) return `type STT_SECTION with binding ${symbol.bind}, but section symbols are STB_LOCAL`;
  if (symbol.type === STT_FILE && (symbol.bind !== STB_LOCAL || symbol.st_shndx !== SHN_ABS)) {
    return `type STT_FILE with binding ${symbol.bind} and st_shndx ${symbol.st_shndx}, but file symbols are STB_LOCAL with st_shndx SHN_ABS`;
  }
  // A hidden or internal symbol is local to its component: the link editor makes it STB_LOCAL, never exports it.
  const exported = symbol.bind === STB_GLOBAL || symbol.bind === STB_WEAK || symbol.bind >= SPECIFIC_FIRST;
  if (table.sh_type === SHT_DYNSYM && isLinkedFile(elf) && exported && symbol.st_shndx !== SHN_UNDEF
    && (symbol.visibility === STV_HIDDEN || symbol.visibility === STV_INTERNAL)) {
    return `${symbol.visibility === STV_HIDDEN ? 'STV_HIDDEN' : 'STV_INTERNAL'} visibility but is exported from the dynamic symbol table (the linker makes such symbols local)`;
  }
  return undefined;
}

export const symbolInfo: Rule = {
  id: 'symbol-info',
  category: 'gabi',
  severity: 'warning',
  summary: 'Symbol bindings, types and visibilities must be known values used as the gABI says; symbol 0 must be all zeros',
  explanation: `st_info packs a binding (STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2; 10-12 are OS-specific,
where GNU puts STB_GNU_UNIQUE, 13-15 processor-specific) and a type (STT_NOTYPE to STT_TLS,
0-6; 10-12 OS-specific, where GNU puts STT_GNU_IFUNC, 13-15 processor-specific). Other
values mean nothing: linkers reject the object or treat the symbol as something it is
not. The gABI also fixes some combinations: STT_SECTION symbols are STB_LOCAL, STT_FILE
symbols are STB_LOCAL with st_shndx SHN_ABS, and a symbol with STV_HIDDEN or STV_INTERNAL
visibility (the low bits of st_other) is local to its component, so the linker never
exports it from .dynsym (STV_PROTECTED symbols are exported; the upper bits of st_other
belong to the processor supplements and are not checked). Entry 0 of every symbol table
is the undefined null symbol, all zeros.

STB_GNU_UNIQUE symbols of any type are accepted: g++ makes thread_local members of
inline templates unique STT_TLS symbols.

Fix: relink, or rebuild the symbol table with the binding, type and visibility the
symbol needs (objcopy can change bindings and visibility: --localize-symbol,
--globalize-symbol, --weaken-symbol).`,
  *check(elf) {
    for (const table of symbolTables(elf)) {
      // Only a symbol whose columns could show one of entryProblem's problems is decoded (and symbol 0, which must be all zeros).
      const dynamicExports = table.sh_type === SHT_DYNSYM && isLinkedFile(elf);
      const suspect = (run: SymbolRun, row: number) => {
        const bind = run.info[row]! >> 4;
        const type = run.info[row]! & 0xf;
        const visibility = run.other[row]! & 0x3;
        return run.first + row === 0 || !known(bind, STB_WEAK) || !known(type, STT_TLS) || type === STT_SECTION || type === STT_FILE
          || (dynamicExports && (visibility === STV_HIDDEN || visibility === STV_INTERNAL));
      };
      for (const symbol of flaggedSymbols(elf.contents.symbols(table.index), (run, rows) => {
        for (let row = 0; row < run.count; row += 1) if (suspect(run, row)) rows.push(row);
      })) {
        if (symbol.index === 0) {
          const report = nullSymbolReport(table, symbol);
          if (report) yield report;
          continue;
        }
        const what = entryProblem(elf, table, symbol);
        if (what === undefined) continue;
        const visibility = what.startsWith('STV_');
        yield {
          field: symField(table, symbol, visibility ? 'st_other' : 'st_info'),
          message: `${symbolLabel(symbol)} of ${sectionLabel(table)} has ${what}; relink or rebuild the symbol table`,
          actual: visibility ? symbol.st_other : symbol.st_info,
        };
      }
    }
  },
};
