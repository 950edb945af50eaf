// The relocation tables the relocation rules walk, with their entries: the
// SHT_REL and SHT_RELA sections, or, in a linked file without section headers,
// the tables its dynamic table gives the dynamic linker (DT_RELA, DT_REL,
// DT_JMPREL), so that the rules read both the same way.
import type { DynamicTable, Relocation, RelocationRun, Relocations, RelrTable } from '../model/contents.js';
import type { ElfFile, SectionHeader } from '../model/elf.js';
import {
  DT_JMPREL, DT_PLTREL, DT_PLTRELSZ, DT_REL, DT_RELA, DT_RELASZ, DT_RELR, DT_RELRSZ, DT_RELSZ, SHT_REL, SHT_RELA, SHT_RELR,
} from '../model/constants.js';
import { dynamicValue } from '../model/dynamic.js';
import { dynamicSymbolCount, dynamicTable, linkedSymbolTable, readsDynamicTables, type Located } from './dynamic-facts.js';
import { flaggedEntries, isAllocated, sectionLabel } from './facts.js';

export interface RelocationTable {
  /** The section, when the table is one. */
  readonly section: SectionHeader | undefined;
  /** "section 5 (.rela.dyn)" or "the DT_RELA table". */
  readonly label: string;
  /** Whether the dynamic linker reads it: an allocated section, or a table of the dynamic table. */
  readonly allocated: boolean;
  /** Read on call (cached by the contents reader); a rule that reads every entry walks its runs. */
  entries(): Relocations;
  /** `sec[5].rela[3].r_info` and the like; for a table without a section, its dynamic entry and the entry's bytes. */
  locate(relocation: Relocation, field: 'r_offset' | 'r_info'): Located;
  /** The symbol table r_info's symbol indexes refer to, and how many symbols it holds; undefined when unknown. */
  symbolTable(): { readonly label: string; readonly count: bigint } | undefined;
}

/** The relocations of a table that `flag` picks from their columns (flaggedEntries): it must pick every relocation the rule could report. */
export function flaggedRelocations(table: RelocationTable, flag: (run: RelocationRun, rows: number[]) => void): Generator<Relocation> {
  return flaggedEntries(table.entries(), flag);
}

function* sectionTables(elf: ElfFile): Generator<RelocationTable> {
  for (const section of elf.sectionHeaders) {
    if (section.sh_type !== SHT_REL && section.sh_type !== SHT_RELA) continue;
    const kind = section.sh_type === SHT_RELA ? 'rela' : 'rel';
    yield {
      section,
      label: sectionLabel(section),
      allocated: isAllocated(section),
      entries: () => elf.contents.relocations(section.index),
      locate: (relocation, field) => ({ field: `sec[${section.index}].${kind}[${relocation.index}].${field}` }),
      symbolTable: () => {
        const symbols = linkedSymbolTable(elf, section);
        return symbols && { label: sectionLabel(symbols), count: symbols.sh_size / BigInt(elf.layout.contents.sym.size) };
      },
    };
  }
}

function dynamicRelocations(elf: ElfFile, table: DynamicTable, rela: boolean, label: string): RelocationTable {
  const struct = rela ? elf.layout.contents.rela : elf.layout.contents.rel;
  return {
    section: undefined,
    label,
    allocated: true,
    entries: () => elf.contents.relocationsAt(table, rela),
    locate: (relocation, field) => {
      const slot = struct.fields[field];
      const entry = table.offset + relocation.index * struct.size;
      return { field: `dyn[${table.entry}].d_val`, range: { offset: entry + (slot?.offset ?? 0), length: slot?.size ?? struct.size } };
    },
    symbolTable: () => {
      const count = dynamicSymbolCount(elf);
      return count === undefined ? undefined : { label: 'the DT_SYMTAB table', count: BigInt(count) };
    },
  };
}

/**
 * DT_RELA, DT_REL and DT_JMPREL (of DT_PLTREL's kind) of a file without
 * section headers. GNU ld may count the PLT relocations in DT_RELASZ too when
 * they follow the others; as ld.so does, they are read once, as DT_JMPREL's.
 */
function* dynamicTables(elf: ElfFile): Generator<RelocationTable> {
  if (!readsDynamicTables(elf)) return;
  const pltSize = dynamicValue(elf, DT_PLTRELSZ);
  const pltAddress = dynamicValue(elf, DT_JMPREL);
  const pltRela = dynamicValue(elf, DT_PLTREL) === DT_RELA;
  for (const [tag, sizeTag, rela] of [[DT_RELA, DT_RELASZ, true], [DT_REL, DT_RELSZ, false]] as const) {
    const address = dynamicValue(elf, tag);
    let size = dynamicValue(elf, sizeTag);
    if (address === undefined || size === undefined) continue;
    if (pltAddress !== undefined && pltSize !== undefined && pltRela === rela && pltAddress > address && pltAddress + pltSize === address + size) size -= pltSize;
    const table = dynamicTable(elf, tag, size);
    if (table) yield dynamicRelocations(elf, table, rela, `the ${rela ? 'DT_RELA' : 'DT_REL'} table`);
  }
  const plt = pltSize === undefined ? undefined : dynamicTable(elf, DT_JMPREL, pltSize);
  if (plt) yield dynamicRelocations(elf, plt, pltRela, 'the DT_JMPREL table');
}

export function* relocationTables(elf: ElfFile): Generator<RelocationTable> {
  yield* sectionTables(elf);
  yield* dynamicTables(elf);
}

/** An SHT_RELR table (.relr.dyn), or DT_RELR (DT_RELRSZ bytes) in a file without section headers. */
export interface RelrSource {
  /** "section 8 (.relr.dyn)" or "the DT_RELR table". */
  readonly label: string;
  readonly table: RelrTable;
  /** Where word `index` of the table is. */
  locate(index: number): Located;
}

export function* relrTables(elf: ElfFile): Generator<RelrSource> {
  for (const section of elf.sectionHeaders) {
    const table = section.sh_type === SHT_RELR ? elf.contents.relr(section.index) : undefined;
    if (table) yield { label: sectionLabel(section), table, locate: (index) => ({ field: `sec[${section.index}].relr[${index}]` }) };
  }
  if (!readsDynamicTables(elf)) return;
  const size = dynamicValue(elf, DT_RELRSZ);
  const located = size === undefined ? undefined : dynamicTable(elf, DT_RELR, size);
  const table = located && elf.contents.relrAt(located);
  if (!located || !table) return;
  const word = elf.layout.wordSize;
  yield { label: 'the DT_RELR table', table, locate: (index) => ({ field: `dyn[${located.entry}].d_val`, range: { offset: located.offset + index * word, length: word } }) };
}
