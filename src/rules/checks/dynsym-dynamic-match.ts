import type { Rule, Report } from '../rule.js';
import type { DynamicEntry, SectionHeader } from '../../model/elf.js';
import {
  DT_SYMENT, DT_SYMTAB, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED, DT_VERNEEDNUM, DT_VERSYM, SHT_DYNSYM,
} from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { hasLinkedImage, sectionLabel, shdrField } from '../facts.js';
import { firstSectionOfType, verdefList, verneedList, versionSections } from '../symbol-facts.js';

const TAG_NAMES: ReadonlyMap<bigint, string> = new Map([
  [DT_SYMTAB, 'DT_SYMTAB'], [DT_SYMENT, 'DT_SYMENT'], [DT_VERSYM, 'DT_VERSYM'], [DT_VERDEF, 'DT_VERDEF'],
  [DT_VERDEFNUM, 'DT_VERDEFNUM'], [DT_VERNEED, 'DT_VERNEED'], [DT_VERNEEDNUM, 'DT_VERNEEDNUM'],
]);

/** What a table's dynamic tags must say: its address, and for the version lists their number of entries. */
interface Expectation {
  readonly section: SectionHeader | undefined;
  readonly addressTag: bigint;
  readonly countTag?: bigint;
  readonly count?: number;
}

function* tableReports(dynamic: readonly DynamicEntry[], expected: Expectation): Generator<Report> {
  const { section, addressTag, countTag, count } = expected;
  const address = dynamic.find((entry) => entry.d_tag === addressTag);
  const name = TAG_NAMES.get(addressTag)!;
  if (!section) {
    if (address) {
      yield { field: `dyn[${address.index}].d_tag`, message: `the dynamic table has ${name} ${hex(address.d_val)}, but the file has no section of that kind there; the section headers and the dynamic table disagree: relink`, actual: name };
    }
    return;
  }
  if (!address) {
    yield { field: shdrField(section, 'sh_addr'), message: `${sectionLabel(section)} is in the file, but the dynamic table has no ${name}, so the dynamic linker never reads it; relink`, expected: `${name} ${hex(section.sh_addr)}` };
    return;
  }
  if (address.d_val !== section.sh_addr) {
    yield {
      field: `dyn[${address.index}].d_val`,
      message: `the dynamic table's ${name} is ${hex(address.d_val)}, but ${sectionLabel(section)} is at ${hex(section.sh_addr)}: the dynamic linker reads a different table than readelf and the linkers do; relink`,
      actual: address.d_val,
      expected: hex(section.sh_addr),
    };
  }
  if (countTag === undefined || count === undefined) return;
  const number = dynamic.find((entry) => entry.d_tag === countTag);
  if (!number || number.d_val !== BigInt(count)) {
    const countName = TAG_NAMES.get(countTag)!;
    yield {
      field: number ? `dyn[${number.index}].d_val` : `dyn[${address.index}].d_tag`,
      message: number
        ? `the dynamic table's ${countName} is ${number.d_val}, but ${sectionLabel(section)} holds ${count} ${count === 1 ? 'entry' : 'entries'}: the dynamic linker walks a different number of them; relink`
        : `the dynamic table has ${name} but no ${countName}; the dynamic linker needs the count (${count}) to walk the list: relink`,
      ...(number ? { actual: String(number.d_val) } : {}),
      expected: String(count),
    };
  }
}

export const dynsymDynamicMatch: Rule = {
  id: 'dynsym-dynamic-match',
  category: 'gabi',
  severity: 'warning',
  summary: 'DT_SYMTAB, DT_SYMENT and the DT_VER* tags must describe the .dynsym and version sections',
  explanation: `The dynamic linker finds the dynamic symbols and their versions through the dynamic
table, not the section headers: DT_SYMTAB is the address of .dynsym and DT_SYMENT its
entry size (24 in ELF64, 16 in ELF32); DT_VERSYM is the address of .gnu.version;
DT_VERDEF and DT_VERDEFNUM the address and number of entries of .gnu.version_d;
DT_VERNEED and DT_VERNEEDNUM those of .gnu.version_r. readelf, objdump, debuggers and
linking against the file read the sections. When the two disagree, the program runs with
other symbols or versions than every tool shows; a version section with no tag is never
used at run time (symbols are bound without their versions), and a tag with no count
makes ld.so skip the list.

Not checked: files without section headers (sstrip), and separate debug files, whose
sections are emptied.

Fix: relink; a tool that moves these sections must update the dynamic tags too.`,
  *check(elf) {
    // A debug file's PT_DYNAMIC points at bytes it does not hold: read the table only for a linked image.
    if (!hasLinkedImage(elf) || elf.sectionHeaders.length === 0) return;
    const dynamic = elf.dynamic;
    if (!dynamic) return;
    const dynsym = firstSectionOfType(elf, SHT_DYNSYM);
    const sections = versionSections(elf);
    yield* tableReports(dynamic, { section: dynsym, addressTag: DT_SYMTAB });
    const syment = dynamic.find((entry) => entry.d_tag === DT_SYMENT);
    const size = BigInt(elf.layout.contents.sym.size);
    if (syment && syment.d_val !== size) {
      yield { field: `dyn[${syment.index}].d_val`, message: `the dynamic table's DT_SYMENT is ${syment.d_val}, but ${elf.layout.elfClass} symbols are ${size} bytes: the dynamic linker reads symbols at the wrong stride; set DT_SYMENT to ${size}`, actual: String(syment.d_val), expected: String(size) };
    }
    yield* tableReports(dynamic, { section: sections.versym, addressTag: DT_VERSYM });
    const definitions = verdefList(elf, sections);
    yield* tableReports(dynamic, { section: sections.verdef, addressTag: DT_VERDEF, countTag: DT_VERDEFNUM, ...(definitions.problem === undefined ? { count: definitions.entries.length } : {}) });
    const needs = verneedList(elf, sections);
    yield* tableReports(dynamic, { section: sections.verneed, addressTag: DT_VERNEED, countTag: DT_VERNEEDNUM, ...(needs.problem === undefined ? { count: needs.entries.length } : {}) });
  },
};
