import type { Report, Rule } from '../rule.js';
import type { ElfFile } from '../../model/elf.js';
import { ELF_MACHINE_NAMES, nameOr } from '../../model/constants.js';
import { relocationTypesFor } from '../../model/arch/index.js';
import { capped } from '../dynamic-facts.js';
import type { RelocationRun } from '../../model/contents.js';
import { flaggedRelocations, relocationTables } from '../reloc-sections.js';

const LIMIT = 3;

function* typeReports(elf: ElfFile): Generator<Report> {
  const machine = elf.header?.e_machine;
  const types = machine === undefined ? undefined : relocationTypesFor(machine, elf.layout.elfClass);
  if (machine === undefined || !types) return;
  // Types are small numbers: the last answer is kept, as a table repeats a few types in runs.
  let lastType = -1;
  let lastKnown = false;
  const known = (type: number) => {
    if (type !== lastType) {
      lastType = type;
      lastKnown = types.known.some(([low, high]) => type >= low && type <= high);
    }
    return lastKnown;
  };
  for (const table of relocationTables(elf)) {
    yield* capped(function* () {
      const unknown = (run: RelocationRun, rows: number[]) => {
        for (let row = 0; row < run.count; row += 1) if (!known(run.type[row]!)) rows.push(row);
      };
      for (const relocation of flaggedRelocations(table, unknown)) {
        yield {
          ...table.locate(relocation, 'r_info'),
          message: `relocation ${relocation.index} of ${table.label} has type ${relocation.type}, which the EM_${nameOr(ELF_MACHINE_NAMES, machine)} psABI does not define; linkers refuse it and the dynamic linker stops with "unexpected reloc type". Rebuild the object`,
          actual: relocation.type,
          expected: types.known.map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`)).join(', '),
        };
      }
    }(), LIMIT);
  }
}

export const relocType: Rule = {
  id: 'reloc-type',
  category: 'gabi',
  severity: 'warning',
  summary: 'Relocation types must be ones the machine\'s psABI defines',
  explanation: `The type part of r_info (ELF32_R_TYPE, ELF64_R_TYPE) selects how a relocation is computed, and
each processor supplement numbers its own. A type the machine does not define cannot be
applied: ld refuses the object ("unsupported relocation type"), and glibc's dynamic linker
stops the program at load time ("unexpected reloc type"). It usually means a corrupted
r_info, a relocation written for another machine, or a byte-order mix-up.

The known types come from the architecture profiles (x86-64, i386, AArch64, Arm, RISC-V);
files of other machines are not checked.

A file without section headers is checked through DT_RELA, DT_REL and DT_JMPREL.

Fix: rebuild the object with a toolchain for its machine; a tool that writes relocations
must use the machine's R_* numbers.`,
  *check(elf) {
    yield* typeReports(elf);
  },
};
