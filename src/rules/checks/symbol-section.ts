import type { Rule } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { ElfSymbol, SymbolRun } from '../../model/contents.js';
import { ET_REL, SHN_ABS, SHN_COMMON, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX } from '../../model/constants.js';
import { sectionLabel } from '../facts.js';
import { extendedIndexes, flaggedSymbols, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

/** SHN_LOPROC..SHN_HIPROC and SHN_LOOS..SHN_HIOS: indexes a processor or OS supplement defines (SHN_MIPS_SCOMMON, SHN_X86_64_LCOMMON, ...). */
const SPECIFIC_LAST = 0xff3f;

function problem(elf: ElfFile, table: SectionHeader, symbol: ElfSymbol, extended: () => readonly number[] | undefined): string | undefined {
  const shndx = symbol.st_shndx;
  if (shndx === SHN_UNDEF || shndx === SHN_ABS) return undefined;
  if (shndx < SHN_LORESERVE) {
    return shndx < elf.shnum ? undefined : `st_shndx ${shndx}, but the file has ${elf.shnum} sections`;
  }
  if (shndx <= SPECIFIC_LAST) return undefined;
  if (shndx === SHN_COMMON) {
    return elf.header?.e_type === ET_REL ? undefined
      : 'st_shndx SHN_COMMON, which only relocatable objects may use (the linker allocates common symbols in .bss)';
  }
  if (shndx === SHN_XINDEX) {
    const indexes = extended();
    if (indexes === undefined) return `st_shndx SHN_XINDEX, but no SHT_SYMTAB_SHNDX section links to ${sectionLabel(table)}`;
    const real = indexes[symbol.index];
    if (real === undefined) return 'st_shndx SHN_XINDEX, but the SHT_SYMTAB_SHNDX section has no entry for it';
    return real !== SHN_UNDEF && real < elf.shnum ? undefined : `st_shndx SHN_XINDEX, and its SHT_SYMTAB_SHNDX entry ${real} names no section`;
  }
  return `st_shndx 0x${shndx.toString(16)}, a reserved index that has no meaning`;
}

export const symbolSection: Rule = {
  id: 'symbol-section',
  category: 'gabi',
  severity: 'warning',
  summary: 'A symbol\'s st_shndx must name an existing section or a meaningful reserved index',
  explanation: `st_shndx says where a symbol is defined: the index of a section of the file, or a reserved
index: SHN_UNDEF (0, undefined), SHN_ABS (an absolute value), SHN_COMMON (an unallocated
common block, only in relocatable objects: the linker turns it into .bss space),
SHN_XINDEX (the real index is in the SHT_SYMTAB_SHNDX section whose sh_link is the table,
at the symbol's own index), and the processor- and OS-specific ranges 0xff00-0xff3f that
supplements define (SHN_MIPS_SCOMMON, SHN_X86_64_LCOMMON, ...). Any other value names no
section: linkers cannot resolve relocations against the symbol, debuggers and profilers
place it nowhere, and for .dynsym the dynamic linker treats any non-zero index as
"defined" and binds references to a meaningless address.

Fix: relink, or rebuild the symbol table (objcopy or strip rewrites it); for a file with
more than 65,279 sections, add the SHT_SYMTAB_SHNDX section the SHN_XINDEX entries need.`,
  *check(elf) {
    for (const table of symbolTables(elf)) {
      let extended: readonly number[] | undefined | null = null;
      const lookup = () => (extended === null ? (extended = extendedIndexes(elf, table)) : extended);
      // The null symbol is symbol-info's; an index of a section of the file, SHN_UNDEF, SHN_ABS and the specific ranges are sound.
      const suspect = (run: SymbolRun, row: number) => {
        const shndx = run.shndx[row]!;
        return run.first + row !== 0 && shndx !== SHN_UNDEF && shndx !== SHN_ABS && (shndx < SHN_LORESERVE ? shndx >= elf.shnum : shndx > SPECIFIC_LAST);
      };
      for (const symbol of flaggedSymbols(elf.contents.symbols(table.index), (run, rows) => {
        for (let row = 0; row < run.count; row += 1) if (suspect(run, row)) rows.push(row);
      })) {
        const what = problem(elf, table, symbol, lookup);
        if (what === undefined) continue;
        yield {
          field: symField(table, symbol, 'st_shndx'),
          message: `${symbolLabel(symbol)} of ${sectionLabel(table)} has ${what}; rebuild the symbol table so that st_shndx names its section`,
          actual: symbol.st_shndx,
          expected: `a section index below ${elf.shnum}, SHN_UNDEF, SHN_ABS${elf.header?.e_type === ET_REL ? ', SHN_COMMON' : ''} or SHN_XINDEX with an SHT_SYMTAB_SHNDX entry`,
        };
      }
    }
  },
};
