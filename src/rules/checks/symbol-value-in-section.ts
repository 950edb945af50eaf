import type { Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import type { ElfSymbol } from '../../model/contents.js';
import { ET_REL, STT_FILE, STT_NOTYPE, STT_OBJECT, STT_SECTION, STT_TLS } from '../../model/constants.js';
import { hex, isPowerOfTwo, U64_MAX } from '../../model/hex.js';
import { isAllocated, loadSegments, memoryEnd, sectionLabel } from '../facts.js';
import { definingSection, isLinkedFile, symbolLabel, symbolTables, symField } from '../symbol-facts.js';

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

export const symbolValueInSection: Rule = {
  id: 'symbol-value-in-section',
  category: 'gabi',
  severity: 'warning',
  summary: 'A defined symbol\'s value must lie inside the section st_shndx names',
  explanation: `A symbol defined in a section (st_shndx a section index) has its value inside that
section: in a relocatable object st_value is an offset from the section's start (at most
sh_size), in executables and shared objects it is an address between sh_addr and
sh_addr + sh_size. The end itself is allowed: _edata, __bss_start, __init_array_end and
__stop_SECTION point just past their section, and symbols of empty sections sit at their
start. Not checked, as the gABI and the linkers define them otherwise: STT_SECTION and
STT_FILE entries, STT_TLS symbols of linked files (offsets in the TLS segment), SHN_ABS
and the other reserved indexes, symbols in non-allocated sections of linked files, and
the symbols a linker script defines (no type, no size: __ehdr_start at the ELF header,
_end at the end of the image, aligned past its last byte) and size-0 objects that mark
an empty input section (crtend.o's __TMC_END__, which alignment padding can leave past
the end of .data) when they lie inside the image, up to the end of the last PT_LOAD
rounded up to its alignment.

A value outside its section makes debuggers, profilers and symbolizers attribute the
address to the wrong section or none, and a relocatable object's symbol outside its
section makes the linker compute wrong addresses. A typical cause is a tool that moved a
section and left .symtab stale (patchelf moving .dynamic leaves _DYNAMIC behind).

Fix: relink, or rebuild the symbol table after moving sections (or strip the stale .symtab).`,
  *check(elf) {
    const type = elf.header?.e_type;
    const linked = isLinkedFile(elf);
    if (!linked && type !== ET_REL) return;
    for (const table of symbolTables(elf)) {
      for (const symbol of elf.contents.symbols(table.index)) {
        if (symbol.index === 0 || symbol.type === STT_SECTION || symbol.type === STT_FILE) continue;
        if (linked && symbol.type === STT_TLS) continue;
        const section = definingSection(elf, table, symbol);
        if (!section) continue;
        if (linked && !isAllocated(section)) continue;
        const start = linked ? section.sh_addr : 0n;
        const end = start + section.sh_size;
        if (symbol.st_value >= start && symbol.st_value <= end) continue;
        if (linked && isLinkerDefinedInImage(elf, symbol)) continue;
        const range = linked ? `${hex(start)}-${hex(end)}` : `offsets 0-${hex(end)}`;
        yield {
          field: symField(table, symbol, 'st_value'),
          message: `${symbolLabel(symbol)} of ${sectionLabel(table)} has st_value ${hex(symbol.st_value)}, outside ${sectionLabel(section)} (${range}) that st_shndx names; relink or rebuild the symbol table`,
          actual: symbol.st_value,
          expected: range,
        };
      }
    }
  },
};
