import type { Rule } from '../rule.js';
import type { SectionHeader } from '../../model/elf.js';
import {
  nameOr, SHF_ALLOC, SHF_EXECINSTR, SHF_TLS, SHF_WRITE, SHT_DYNAMIC, SHT_DYNSYM, SHT_FINI_ARRAY, SHT_GNU_HASH, SHT_GNU_VERDEF,
  SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_HASH, SHT_INIT_ARRAY, SHT_NAMES, SHT_NOBITS, SHT_NOTE, SHT_PREINIT_ARRAY, SHT_PROGBITS,
  SHT_REL, SHT_RELA, SHT_STRTAB, SHT_SYMTAB,
} from '../../model/constants.js';
import { isSeparateDebugFile } from '../../model/kind.js';
import { sectionLabel, shdrField } from '../facts.js';

interface Special {
  readonly type: number;
  /** Flags the section must have (others may be added, as processor supplements do). */
  readonly flags: bigint;
}

const A = SHF_ALLOC;
const WA = SHF_WRITE | SHF_ALLOC;
const WAT = WA | SHF_TLS;

/**
 * The gABI's special sections, with the GNU ones every Linux toolchain emits.
 * .got and .plt are left out: their types and flags are processor-specific
 * (.plt is SHT_NOBITS on PowerPC, .got executable on 32-bit PowerPC).
 */
const SPECIAL: ReadonlyMap<string, Special> = new Map([
  ['.bss', { type: SHT_NOBITS, flags: WA }],
  ['.data', { type: SHT_PROGBITS, flags: WA }],
  ['.data1', { type: SHT_PROGBITS, flags: WA }],
  ['.rodata', { type: SHT_PROGBITS, flags: A }],
  ['.rodata1', { type: SHT_PROGBITS, flags: A }],
  ['.text', { type: SHT_PROGBITS, flags: A | SHF_EXECINSTR }],
  ['.init', { type: SHT_PROGBITS, flags: A | SHF_EXECINSTR }],
  ['.fini', { type: SHT_PROGBITS, flags: A | SHF_EXECINSTR }],
  ['.init_array', { type: SHT_INIT_ARRAY, flags: WA }],
  ['.fini_array', { type: SHT_FINI_ARRAY, flags: WA }],
  ['.preinit_array', { type: SHT_PREINIT_ARRAY, flags: WA }],
  ['.tdata', { type: SHT_PROGBITS, flags: WAT }],
  ['.tbss', { type: SHT_NOBITS, flags: WAT }],
  // SHF_WRITE on .dynamic is processor-specific (MIPS maps it read-only).
  ['.dynamic', { type: SHT_DYNAMIC, flags: A }],
  ['.dynsym', { type: SHT_DYNSYM, flags: A }],
  ['.dynstr', { type: SHT_STRTAB, flags: A }],
  ['.hash', { type: SHT_HASH, flags: A }],
  ['.gnu.hash', { type: SHT_GNU_HASH, flags: A }],
  ['.gnu.version', { type: SHT_GNU_VERSYM, flags: A }],
  ['.gnu.version_d', { type: SHT_GNU_VERDEF, flags: A }],
  ['.gnu.version_r', { type: SHT_GNU_VERNEED, flags: A }],
  ['.interp', { type: SHT_PROGBITS, flags: 0n }],
  ['.symtab', { type: SHT_SYMTAB, flags: 0n }],
  ['.strtab', { type: SHT_STRTAB, flags: 0n }],
  ['.shstrtab', { type: SHT_STRTAB, flags: 0n }],
  ['.comment', { type: SHT_PROGBITS, flags: 0n }],
]);

/** OS-specific section types: Android's packed relocations live in .rela.dyn as SHT_ANDROID_RELA. */
const SHT_LOOS = 0x60000000;
const SHT_HIOS = 0x6fffffff;

/** Markers that gcc writes as `.section NAME,"",@progbits` into objects: not notes, though named so. */
const PROGBITS_MARKERS = new Set(['.note.GNU-stack', '.note.GNU-split-stack', '.note.GNU-no-split-stack']);

function specialFor(name: string): Special | undefined {
  const exact = SPECIAL.get(name);
  if (exact) return exact;
  if (name.startsWith('.note.') && !PROGBITS_MARKERS.has(name)) return { type: SHT_NOTE, flags: 0n };
  if (name.startsWith('.rela.')) return { type: SHT_RELA, flags: 0n };
  if (name.startsWith('.rel.')) return { type: SHT_REL, flags: 0n };
  return undefined;
}

const FLAG_LETTERS: readonly [bigint, string][] = [[SHF_WRITE, 'W'], [SHF_ALLOC, 'A'], [SHF_EXECINSTR, 'X'], [SHF_TLS, 'T']];
const flagText = (flags: bigint) => FLAG_LETTERS.filter(([bit]) => (flags & bit) !== 0n).map(([, letter]) => letter).join('') || 'none';
const typeText = (type: number) => `SHT_${nameOr(SHT_NAMES, type)}`;

function typeAccepted(section: SectionHeader, special: Special, debugFile: boolean): boolean {
  if (section.sh_type === special.type) return true;
  // objcopy --only-keep-debug turns allocated contents into SHT_NOBITS.
  if (debugFile && section.sh_type === SHT_NOBITS) return true;
  return (special.type === SHT_RELA || special.type === SHT_REL) && section.sh_type >= SHT_LOOS && section.sh_type <= SHT_HIOS;
}

export const sectionSpecialType: Rule = {
  id: 'section-special-type',
  category: 'gabi',
  severity: 'warning',
  summary: 'A section with a special name (.text, .data, .bss, .dynamic, ...) must have the type and flags the gABI gives it',
  explanation: `The gABI reserves section names that start with a dot and gives each its type and flags:
.text is SHT_PROGBITS with SHF_ALLOC and SHF_EXECINSTR, .data SHT_PROGBITS writable and
allocated, .bss SHT_NOBITS writable and allocated, .rodata allocated, .dynamic SHT_DYNAMIC,
.dynsym SHT_DYNSYM, .symtab SHT_SYMTAB, .strtab/.shstrtab/.dynstr SHT_STRTAB, .init_array
SHT_INIT_ARRAY, .tdata/.tbss thread-local (SHF_TLS), .note.* SHT_NOTE, .rel.*/.rela.*
SHT_REL/SHT_RELA, and the GNU .hash, .gnu.hash and .gnu.version* their own types. Linkers
merge input sections by name and decide layout and permissions by type and flags, so a
.data without SHF_WRITE ends up read-only, a .bss that is not SHT_NOBITS takes file space,
and a .init_array that is not SHT_INIT_ARRAY has its constructors silently skipped.

Extra flags are accepted (processor supplements add some), as are SHT_NOBITS sections in
separate debug files (objcopy --only-keep-debug empties them) and OS-specific relocation
types in .rel.*/.rela.* (Android's packed relocations). .got and .plt are not checked:
their types and flags are processor-specific. .note.GNU-stack and gcc's split-stack
markers (.note.GNU-split-stack, .note.GNU-no-split-stack) are SHT_PROGBITS markers, not notes.

Fix: use the special name only for a section of that kind (rename your own section), or
give it the type and flags above, e.g. \`.section .data,"aw",@progbits\` in assembly.`,
  *check(elf) {
    const debugFile = isSeparateDebugFile(elf);
    for (const section of elf.sectionHeaders) {
      const special = section.name === undefined ? undefined : specialFor(section.name);
      if (!special) continue;
      const missing = special.flags & ~section.sh_flags;
      if (!typeAccepted(section, special, debugFile)) {
        yield {
          field: shdrField(section, 'sh_type'),
          message: `${sectionLabel(section)} has type ${typeText(section.sh_type)}, but ${section.name} is ${typeText(special.type)}; rename the section or fix its type`,
          actual: typeText(section.sh_type),
          expected: typeText(special.type),
        };
      } else if (missing !== 0n) {
        yield {
          field: shdrField(section, 'sh_flags'),
          message: `${sectionLabel(section)} has flags ${flagText(section.sh_flags)}, but ${section.name} needs ${flagText(special.flags)} (missing ${flagText(missing)}); rename the section or fix its flags`,
          actual: flagText(section.sh_flags),
          expected: `at least ${flagText(special.flags)}`,
        };
      }
    }
  },
};
