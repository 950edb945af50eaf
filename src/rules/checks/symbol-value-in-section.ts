import type { Rule } from '../rule.js';
import type { ElfFile, ProgramHeader, SectionHeader } from '../../model/elf.js';
import type { ElfSymbol, SymbolRun } from '../../model/contents.js';
import { exactBound, exactNumber } from '../../model/word-halves.js';
import { ET_REL, PT_TLS, SHF_TLS, SHN_LORESERVE, SHN_UNDEF, SHN_XINDEX, STT_FILE, STT_NOTYPE, STT_OBJECT, STT_SECTION, STT_TLS } from '../../model/constants.js';
import { hex, isPowerOfTwo, U64_MAX } from '../../model/hex.js';
import { isAllocated, loadSegments, memoryEnd, sectionLabel } from '../facts.js';
import { definingSection, isLinkedFile, flaggedSymbols, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

/**
 * Symbols a linker script defines (__ehdr_start, __executable_start, _end,
 * __global_pointer$, ...): no type, no size, at an address of the image that
 * ld attaches to a nearby section; and markers of empty input sections that
 * alignment padding moved past their output section's end (crtend.o's
 * __TMC_END__, an OBJECT of size 0). Such a value may lie outside that section
 * but inside the image: from the first PT_LOAD to the end of the last one
 * rounded up to its alignment (_end is aligned past the last byte).
 */
function isLinkerDefinedInImage(elf: ElfFile, symbol: ElfSymbol): boolean {
  if ((symbol.type !== STT_NOTYPE && symbol.type !== STT_OBJECT) || symbol.st_size !== 0n) return false;
  const loads = loadSegments(elf);
  const start = loads.reduce((low, load) => (load.p_vaddr < low ? load.p_vaddr : low), U64_MAX);
  const end = loads.reduce((high, load) => {
    const align = isPowerOfTwo(load.p_align) ? load.p_align : 1n;
    const aligned = (memoryEnd(load) + align - 1n) & ~(align - 1n);
    return aligned > high ? aligned : high;
  }, 0n);
  return symbol.st_value >= start && symbol.st_value <= end;
}

/** Where the value of a symbol of `section` must lie, from `start` to `end` (the end itself allowed), and what the values are. */
interface ValueRange {
  readonly start: bigint;
  readonly end: bigint;
  readonly kind: 'offsets' | 'addresses' | 'tls';
}

/** How a report names a range: only a finding needs the text, and a table has hundreds of thousands of symbols. */
function rangeLabel(range: ValueRange): string {
  switch (range.kind) {
    case 'offsets': return `offsets 0-${hex(range.end)}`;
    case 'addresses': return `${hex(range.start)}-${hex(range.end)}`;
    case 'tls': return `TLS offsets ${hex(range.start)}-${hex(range.end)}, its place in PT_TLS`;
  }
}

/**
 * The range of a symbol's value: offsets in the section (ET_REL), addresses
 * in it (linked files), or for a TLS symbol of a linked file the section's
 * offsets inside the PT_TLS image, which is what st_value holds there.
 * Undefined when it cannot be judged (a TLS symbol outside a TLS section or
 * without PT_TLS).
 */
function valueRange(linked: boolean, tls: ProgramHeader | undefined, symbol: ElfSymbol, section: SectionHeader): ValueRange | undefined {
  if (!linked) return { start: 0n, end: section.sh_size, kind: 'offsets' };
  if (symbol.type !== STT_TLS) return { start: section.sh_addr, end: section.sh_addr + section.sh_size, kind: 'addresses' };
  if (!tls || (section.sh_flags & SHF_TLS) === 0n || section.sh_addr < tls.p_vaddr) return undefined;
  const start = section.sh_addr - tls.p_vaddr;
  return { start, end: start + section.sh_size, kind: 'tls' };
}

export const symbolValueInSection: Rule = {
  id: 'symbol-value-in-section',
  category: 'gabi',
  severity: 'warning',
  summary: 'A defined symbol (its value, and its size from there) must lie inside the section st_shndx names',
  explanation: `A symbol defined in a section (st_shndx a section index) has its value inside that
section: in a relocatable object st_value is an offset from the section's start (at most
sh_size), in executables and shared objects it is an address between sh_addr and
sh_addr + sh_size. The end itself is allowed: _edata, __bss_start, __init_array_end and
__stop_SECTION point just past their section, and symbols of empty sections sit at their
start. The symbol's bytes, st_size of them from st_value, must fit in the section too.
An STT_TLS symbol of a linked file holds an offset in the TLS image (PT_TLS), not an
address: its value and size must lie within the offsets its .tdata or .tbss section
covers in that image (eu-elflint compares them with the section's size alone, and wrongly
reports the last symbols of a .tbss that follows a .tdata). Not checked, as the gABI and
the linkers define them otherwise: STT_SECTION and STT_FILE entries, SHN_ABS
and the other reserved indexes, symbols in non-allocated sections of linked files, and
the symbols a linker script defines (no type, no size: __ehdr_start at the ELF header,
_end at the end of the image, aligned past its last byte) and size-0 objects that mark
an empty input section (crtend.o's __TMC_END__, which alignment padding can leave past
the end of .data) when they lie inside the image, up to the end of the last PT_LOAD
rounded up to its alignment.

A value or a size outside its section makes debuggers, profilers and symbolizers
attribute the address to the wrong section or none, and a relocatable object's symbol
outside its section makes the linker compute wrong addresses. A typical cause is a tool
that moved a section and left .symtab stale (patchelf moving .dynamic leaves _DYNAMIC
behind).

Fix: relink, or rebuild the symbol table after moving sections (or strip the stale .symtab);
give a symbol the size of the object or function it names.`,
  *check(elf) {
    const type = elf.header?.e_type;
    const linked = isLinkedFile(elf);
    if (!linked && type !== ET_REL) return;
    const tls = linked ? elf.programHeaders.find((phdr) => phdr.p_type === PT_TLS) : undefined;
    // The range of each section's values as numbers, when exact; undefined when its symbols are not checked.
    const numericRanges = new Map<number, { start: number | undefined; end: number | undefined } | undefined>();
    const numericRange = (index: number) => {
      if (numericRanges.has(index)) return numericRanges.get(index);
      const section = elf.sectionHeaders.at(index);
      // As below: no section, or a non-allocated one of a linked file, is not checked; the range is offsets or addresses.
      const start = linked ? section?.sh_addr : 0n;
      const range = !section || start === undefined || (linked && !isAllocated(section))
        ? undefined : { start: exactBound(start), end: exactBound(start + section.sh_size) };
      numericRanges.set(index, range);
      return range;
    };
    // A symbol is decoded only when its columns do not show it inside its section (exactly, in numbers below 2^53).
    // It mirrors the check below (definingSection, valueRange): a symbol it clears is one the check would pass.
    const suspect = (run: SymbolRun, row: number) => {
      const symbolType = run.info[row]! & 0xf;
      const shndx = run.shndx[row]!;
      if (run.first + row === 0 || symbolType === STT_SECTION || symbolType === STT_FILE) return false;
      if (shndx === SHN_XINDEX || (linked && symbolType === STT_TLS)) return true;
      if (shndx === SHN_UNDEF || shndx >= SHN_LORESERVE) return false;
      const range = numericRange(shndx);
      if (!range) return false;
      const value = exactNumber(run.valueHigh[row]!, run.valueLow[row]!);
      const size = exactNumber(run.sizeHigh[row]!, run.sizeLow[row]!);
      if (value === undefined || size === undefined || range.start === undefined || range.end === undefined) return true;
      return value < range.start || value > range.end || size > range.end - value;
    };
    for (const table of symbolTables(elf)) {
      for (const symbol of flaggedSymbols(elf.contents.symbols(table.index), (run, rows) => {
        for (let row = 0; row < run.count; row += 1) if (suspect(run, row)) rows.push(row);
      })) {
        if (symbol.index === 0 || symbol.type === STT_SECTION || symbol.type === STT_FILE) continue;
        const section = definingSection(elf, table, symbol);
        if (!section) continue;
        if (linked && !isAllocated(section)) continue;
        const range = valueRange(linked, tls, symbol, section);
        if (!range) continue;
        if (symbol.st_value < range.start || symbol.st_value > range.end) {
          if (linked && symbol.type !== STT_TLS && isLinkerDefinedInImage(elf, symbol)) continue;
          yield {
            field: symField(table, symbol, 'st_value'),
            message: `${symbolLabel(symbol)} of ${sectionLabel(table)} has st_value ${hex(symbol.st_value)}, outside ${sectionLabel(section)} (${rangeLabel(range)}) that st_shndx names; relink or rebuild the symbol table`,
            actual: symbol.st_value,
            expected: rangeLabel(range),
          };
        } else if (symbol.st_size > range.end - symbol.st_value) {
          yield {
            field: symField(table, symbol, 'st_size'),
            message: `${symbolLabel(symbol)} of ${sectionLabel(table)} spans ${hex(symbol.st_value)}-${hex(symbol.st_value + symbol.st_size)} (st_size ${symbol.st_size}), past the end of ${sectionLabel(section)} (${rangeLabel(range)}) that st_shndx names; give it its real size or relink`,
            actual: symbol.st_size,
            expected: `at most ${range.end - symbol.st_value}`,
          };
        }
      }
    }
  },
};
