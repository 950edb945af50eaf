// What the hardening checks know about a file: each protection checksec
// reports, with a status that keeps "not applicable" and "cannot tell" apart
// from "missing". The hardening rules and `elf-lint checksec` both read this.
import type { Table } from './table.js';
import type { ElfFile, SectionHeader } from './elf.js';
import type { ElfSymbol } from './contents.js';
import type { FieldPath } from './layout.js';
import {
  DF_1_NOW, DF_1_PIE, DF_BIND_NOW, DT_BIND_NOW, DT_DEBUG, DT_FLAGS, DT_FLAGS_1, DT_RPATH, DT_RUNPATH, DT_TEXTREL,
  EM_386, EM_AARCH64, EM_X86_64, ET_DYN, ET_EXEC, ET_REL, GNU_PROPERTY_AARCH64_FEATURE_1_AND, GNU_PROPERTY_AARCH64_FEATURE_1_BTI,
  GNU_PROPERTY_AARCH64_FEATURE_1_PAC, GNU_PROPERTY_X86_FEATURE_1_AND, GNU_PROPERTY_X86_FEATURE_1_IBT, GNU_PROPERTY_X86_FEATURE_1_SHSTK,
  PF_X, PT_DYNAMIC, PT_GNU_RELRO, PT_GNU_STACK, PT_INTERP, SHF_EXECINSTR, SHT_DYNSYM, SHT_SYMTAB,
} from './constants.js';
import { dynamicEntries, dynamicString, hasDynamicFlag, hasDynamicTag, textRelocationEntry } from './dynamic.js';
import { GLIBC_FORTIFIED_FUNCTIONS, fortifyName } from './fortify.js';
import { gnuPropertyWord } from './gnu-property.js';
import { classify } from './kind.js';
import { archForFile } from './arch/index.js';
import { loadSegments } from './segments.js';

export type HardeningStatus = 'pass' | 'partial' | 'fail' | 'not-applicable' | 'unknown';

export interface HardeningCheck {
  readonly status: HardeningStatus;
  /** What checksec prints in its column ("Full RELRO", "DSO"), or elf-lint's words where checksec has no column. */
  readonly label: string;
  /** Why, in one sentence. */
  readonly reason: string;
  /** The field the status rests on: where a finding points. */
  readonly field: FieldPath;
}

export interface FortifyCheck extends HardeningCheck {
  /** Dynamic symbols that are glibc's checked variants (__memcpy_chk). */
  readonly fortified: number;
  /** Those plus the plain functions glibc could have checked (memcpy). */
  readonly fortifiable: number;
}

export interface Hardening {
  readonly relro: HardeningCheck;
  readonly canary: HardeningCheck;
  readonly nx: HardeningCheck;
  readonly pie: HardeningCheck;
  readonly rpath: HardeningCheck;
  readonly runpath: HardeningCheck;
  readonly fortify: FortifyCheck;
  readonly textrel: HardeningCheck;
  /** x86 Control-flow Enforcement: IBT and SHSTK markers. */
  readonly cet: HardeningCheck;
  /** AArch64 Branch Target Identification and pointer authentication markers. */
  readonly bti: HardeningCheck;
  /** Entries of .symtab (checksec's "Symbols"); undefined when the file has none. */
  readonly symbols: number | undefined;
}

const check = (status: HardeningStatus, label: string, reason: string, field: FieldPath): HardeningCheck => ({ status, label, reason, field });

/** The symbols of every SHT_SYMTAB and SHT_DYNSYM section, with the section they come from. */
function symbolTables(elf: ElfFile): { section: SectionHeader; symbols: Table<ElfSymbol> }[] {
  return elf.sectionHeaders
    .filter((section) => section.sh_type === SHT_SYMTAB || section.sh_type === SHT_DYNSYM)
    .map((section) => ({ section, symbols: elf.contents.symbols(section.index) }));
}

function dynamicField(elf: ElfFile, tag: bigint): FieldPath {
  const entry = dynamicEntries(elf, tag)[0];
  if (entry) return `dyn[${entry.index}].d_tag`;
  const dynamic = elf.programHeaders.find((phdr) => phdr.p_type === PT_DYNAMIC);
  return dynamic ? `phdr[${dynamic.index}]` : 'e_type';
}

function hasCode(elf: ElfFile): boolean {
  if (elf.sectionHeaders.some((section) => (section.sh_flags & SHF_EXECINSTR) !== 0n && section.sh_size > 0n)) return true;
  return loadSegments(elf).some((phdr) => (phdr.p_flags & PF_X) !== 0 && phdr.p_filesz > 0n);
}

function relroOf(elf: ElfFile, linked: boolean): HardeningCheck {
  const relro = elf.programHeaders.find((phdr) => phdr.p_type === PT_GNU_RELRO);
  const dynamic = elf.programHeaders.some((phdr) => phdr.p_type === PT_DYNAMIC);
  if (!linked) return check('not-applicable', 'N/A', 'not a linked program or library: RELRO is a property of what the linker lays out', 'e_type');
  if (!dynamic) return check('not-applicable', 'N/A', 'no PT_DYNAMIC: no dynamic relocations (a static executable) for RELRO to protect', 'e_type');
  if (!relro) return check('fail', 'No RELRO', 'no PT_GNU_RELRO: the GOT and other relocated data stay writable all run long; link with -z relro -z now', 'e_phoff');
  const now = hasDynamicTag(elf, DT_BIND_NOW) || hasDynamicFlag(elf, DT_FLAGS, DF_BIND_NOW) || hasDynamicFlag(elf, DT_FLAGS_1, DF_1_NOW);
  if (now) return check('pass', 'Full RELRO', 'PT_GNU_RELRO with every symbol bound at start-up: the whole GOT is read-only', `phdr[${relro.index}].p_type`);
  return check('partial', 'Partial RELRO', 'PT_GNU_RELRO without BIND_NOW: the PLT part of the GOT stays writable for lazy binding; link with -z now', dynamicField(elf, DT_FLAGS));
}

const CANARY_SYMBOLS = /__stack_chk_fail|__stack_chk_guard|__intel_security_cookie/;

function canaryOf(elf: ElfFile, tables: ReturnType<typeof symbolTables>): HardeningCheck {
  if (!hasCode(elf)) return check('not-applicable', 'N/A', 'the file has no code for a stack protector to guard', 'e_type');
  for (const { section, symbols } of tables) {
    const symbol = symbols.find((candidate) => candidate.name !== undefined && CANARY_SYMBOLS.test(candidate.name));
    if (symbol) return check('pass', 'Canary found', `it refers to ${symbol.name}: some functions check a stack canary`, `sec[${section.index}].sym[${symbol.index}].st_name`);
  }
  if (tables.length === 0) return check('unknown', 'Unknown', 'no symbol table to tell from (a stripped static file)', 'e_shoff');
  return check('fail', 'No canary found', 'no function calls __stack_chk_fail: compile with -fstack-protector-strong', `shdr[${tables[0]!.section.index}]`);
}

function nxOf(elf: ElfFile, linked: boolean): HardeningCheck {
  if (!linked || elf.header?.e_type === ET_REL) return check('not-applicable', 'N/A', 'not a linked program or library: its stack is not set up from this file', 'e_type');
  const stack = elf.programHeaders.find((phdr) => phdr.p_type === PT_GNU_STACK);
  if (stack) {
    return (stack.p_flags & PF_X) !== 0
      ? check('fail', 'NX disabled', 'PT_GNU_STACK asks for an executable stack; link with -z noexecstack', `phdr[${stack.index}].p_flags`)
      : check('pass', 'NX enabled', 'PT_GNU_STACK asks for a stack without execute permission', `phdr[${stack.index}].p_flags`);
  }
  const target = elf.header ? archForFile(elf.ident, elf.header) : undefined;
  if (target?.loader.readImpliesExecWithoutGnuStack) {
    return check('fail', 'NX disabled', `without PT_GNU_STACK Linux runs a ${target.loader.name} program with READ_IMPLIES_EXEC: every readable page is executable`, 'e_phoff');
  }
  return check(target ? 'pass' : 'unknown', target ? 'NX enabled' : 'Unknown', target
    ? `no PT_GNU_STACK: the ${target.loader.name} default is a stack without execute permission (checksec says NX disabled)`
    : 'no PT_GNU_STACK, and the default of this machine is not known', 'e_phoff');
}

function pieOf(elf: ElfFile): HardeningCheck {
  const type = elf.header?.e_type;
  if (type === ET_EXEC) return check('fail', 'No PIE', 'ET_EXEC is loaded at a fixed address: address randomisation cannot move it; build with -fPIE -pie', 'e_type');
  if (type === ET_REL) return check('not-applicable', 'REL', 'a relocatable object: the linker decides', 'e_type');
  if (type !== ET_DYN) return check('not-applicable', 'N/A', 'neither an executable nor a library', 'e_type');
  const program = hasDynamicFlag(elf, DT_FLAGS_1, DF_1_PIE) || hasDynamicTag(elf, DT_DEBUG) || elf.programHeaders.some((phdr) => phdr.p_type === PT_INTERP);
  return program
    ? check('pass', 'PIE enabled', 'a position-independent executable: loaded at a random address', 'e_type')
    : check('not-applicable', 'DSO', 'a shared library is position-independent by nature', 'e_type');
}

function searchPathOf(elf: ElfFile, tag: bigint, name: 'RPATH' | 'RUNPATH'): HardeningCheck {
  const entries = dynamicEntries(elf, tag);
  if (entries.length === 0) {
    return elf.dynamic ? check('pass', `No ${name}`, `no DT_${name}`, dynamicField(elf, tag)) : check('not-applicable', `No ${name}`, 'no dynamic section', 'e_type');
  }
  const value = entries.map((entry) => dynamicString(elf, entry.d_val) ?? '(unreadable)').join(':');
  const why = name === 'RPATH'
    ? `DT_RPATH ${value} is searched before LD_LIBRARY_PATH and for every library loaded later; remove it or use DT_RUNPATH (--enable-new-dtags)`
    : `DT_RUNPATH ${value} makes the dynamic linker look there for libraries; a directory others can write to would let them supply one`;
  return check('fail', name, why, `dyn[${entries[0]!.index}].d_val`);
}

function fortifyOf(tables: ReturnType<typeof symbolTables>): FortifyCheck {
  const dynamic = tables.filter(({ section }) => section.sh_type === SHT_DYNSYM);
  let fortified = 0;
  let plain = 0;
  for (const { symbols } of dynamic) {
    for (const symbol of symbols) {
      if (symbol.name === undefined || symbol.name === '') continue;
      const name = fortifyName(symbol.name);
      if (name.endsWith('_chk') && GLIBC_FORTIFIED_FUNCTIONS.has(name.slice(0, -4))) fortified += 1;
      else if (GLIBC_FORTIFIED_FUNCTIONS.has(name)) plain += 1;
    }
  }
  const field: FieldPath = dynamic[0] ? `shdr[${dynamic[0].section.index}]` : 'e_shoff';
  const counts = { fortified, fortifiable: fortified + plain };
  if (fortified > 0) return { ...check('pass', 'Yes', `${fortified} of ${fortified + plain} calls glibc can check go to its _chk variants`, field), ...counts };
  if (dynamic.length === 0) return { ...check('not-applicable', 'N/A', 'no dynamic symbols: nothing is called in glibc through them', field), ...counts };
  if (plain === 0) return { ...check('not-applicable', 'N/A', 'the file calls none of the functions _FORTIFY_SOURCE checks', field), ...counts };
  return { ...check('fail', 'No', `${plain} calls to functions glibc can check, none checked: compile with -O2 -D_FORTIFY_SOURCE=2`, field), ...counts };
}

function textrelOf(elf: ElfFile): HardeningCheck {
  if (!elf.dynamic) return check('not-applicable', 'N/A', 'no dynamic section', 'e_type');
  const textrel = textRelocationEntry(elf);
  return textrel
    ? check('fail', 'TEXTREL', 'relocations patch read-only code: its pages are made writable at start-up and stay private copies; build every object with -fPIC', `dyn[${textrel.index}].d_tag`)
    : check('pass', 'No TEXTREL', 'no relocation writes to read-only segments', dynamicField(elf, DT_TEXTREL));
}

/** A feature mask from the GNU property notes: pass when every bit is set, partial for some. */
function featureCheck(elf: ElfFile, type: number, bits: readonly (readonly [number, string])[], missing: string, fix: string): HardeningCheck {
  const word = gnuPropertyWord(elf, type);
  const mask = word ?? 0;
  const present = bits.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
  const status = present.length === bits.length ? 'pass' : present.length > 0 ? 'partial' : 'fail';
  const label = present.length > 0 ? present.join(' ') : missing;
  const absent = bits.filter(([bit]) => (mask & bit) === 0).map(([, name]) => name);
  const reason = absent.length === 0 ? `every object was built with ${present.join(' and ')}`
    : word === undefined ? `no GNU property note marks ${absent.join(' or ')}; ${fix}`
      : `not marked ${absent.join(' or ')}: some object was built without it; ${fix}`;
  return check(status, label, reason, 'e_phoff');
}

function cetOf(elf: ElfFile): HardeningCheck {
  const machine = elf.header?.e_machine;
  if (machine !== EM_X86_64 && machine !== EM_386) return check('not-applicable', 'N/A', 'CET is an x86 feature', 'e_machine');
  return featureCheck(elf, GNU_PROPERTY_X86_FEATURE_1_AND, [[GNU_PROPERTY_X86_FEATURE_1_IBT, 'IBT'], [GNU_PROPERTY_X86_FEATURE_1_SHSTK, 'SHSTK']], 'No CET', 'compile every object with -fcf-protection=full');
}

function btiOf(elf: ElfFile): HardeningCheck {
  if (elf.header?.e_machine !== EM_AARCH64) return check('not-applicable', 'N/A', 'BTI and PAC are AArch64 features', 'e_machine');
  return featureCheck(elf, GNU_PROPERTY_AARCH64_FEATURE_1_AND, [[GNU_PROPERTY_AARCH64_FEATURE_1_BTI, 'BTI'], [GNU_PROPERTY_AARCH64_FEATURE_1_PAC, 'PAC']], 'No BTI', 'compile every object with -mbranch-protection=standard');
}

const NOT_LINKED = new Set(['relocatable', 'kernel-module', 'core', 'os-specific', 'debug-info', 'other']);

/** Every protection of a file. Undefined for a file whose header could not be read, and for core dumps and debug files, which are never run. */
export function hardeningOf(elf: ElfFile): Hardening | undefined {
  if (!elf.header) return undefined;
  const kind = classify(elf).kind;
  if (kind === 'core' || kind === 'debug-info' || kind === 'os-specific') return undefined;
  const linked = !NOT_LINKED.has(kind);
  const tables = symbolTables(elf);
  const symtab = tables.find(({ section }) => section.sh_type === SHT_SYMTAB);
  return {
    relro: relroOf(elf, linked),
    canary: canaryOf(elf, tables),
    nx: nxOf(elf, linked),
    pie: pieOf(elf),
    rpath: searchPathOf(elf, DT_RPATH, 'RPATH'),
    runpath: searchPathOf(elf, DT_RUNPATH, 'RUNPATH'),
    fortify: fortifyOf(tables),
    textrel: textrelOf(elf),
    cet: cetOf(elf),
    bti: btiOf(elf),
    symbols: symtab?.symbols.length,
  };
}

