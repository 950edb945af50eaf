// Section and segment contents (symbols, relocations, notes, dynamic,
// versions, groups, hash tables, compression headers) read from files the
// machine's gcc, as and ld make, checked field by field against readelf;
// hostile edits of those files, which must record a ParseIssue or a problem
// and never throw; and the locator, whose byte ranges must hold the values
// the parser read.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseElf } from '../src/parse/parse.js';
import type { ByteSource, ElfFile, SectionHeader } from '../src/model/elf.js';
import type { ElfContents } from '../src/model/contents.js';
import { hashEntrySize, layoutOf, locateField, type ByteRange, type Container, type FieldPath, type StructLayout } from '../src/model/layout.js';
import { buildElf } from '../src/gen/build.js';
import { offsetOfAddress } from '../src/model/segments.js';
import {
  DT_GNU_HASH, DT_STRTAB, ELFCLASS32, ELFCLASS64, ELFCOMPRESS_ZLIB, ELFDATA2LSB, ELFDATA2MSB, EM_386, EM_MIPS, EM_PPC, EM_S390, EM_X86_64, ET_REL, GRP_COMDAT, PT_NOTE, SHF_ALLOC, SHF_COMPRESSED, SHN_ABS, SHN_COMMON,
  SHN_XINDEX, SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_HASH, SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_GROUP, SHT_HASH,
  SHT_NOTE, SHT_PROGBITS, SHT_REL, SHT_RELA, SHT_RELR, SHT_STRTAB, SHT_SYMTAB, SHT_SYMTAB_SHNDX,
} from '../src/model/constants.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-contents-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tool(command: string, args: readonly string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: scratch, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

const hasGcc = tool('gcc', ['--version']).ok && tool('readelf', ['--version']).ok;
if (!hasGcc) console.log('contents: skipped, gcc or readelf is not installed');

const LIBRARY_SOURCE = `
#include <stdio.h>
int counter = 3;
static int hidden_state;
__thread int tls_value;
int *pointers[] = { &counter, &hidden_state, &counter, &counter, &hidden_state };
int lib_add(int a, int b) { return a + b + hidden_state; }
int lib_old(void) { return 1; }
int lib_new(void) { puts("new"); return 2; }
__asm__(".symver lib_old, lib_ver@V1");
__asm__(".symver lib_new, lib_ver@@V2");
`;
const VERSION_SCRIPT = 'V1 { global: lib_add; counter; pointers; local: *; };\nV2 { global: tls_value; } V1;\n';
/** Enough sections for extended numbering and SHT_SYMTAB_SHNDX, and more symbols than a window holds. */
const MANY_SECTIONS = 70_000;

interface Built {
  readonly name: string;
  readonly path: string;
}

/** Builds what this machine can; a target it cannot build is skipped with a message. */
function buildAll(): Built[] {
  writeFileSync(join(scratch, 'lib.c'), LIBRARY_SOURCE);
  writeFileSync(join(scratch, 'lib.map'), VERSION_SCRIPT);
  writeFileSync(join(scratch, 'main.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(scratch, 'many.s'), Array.from({ length: MANY_SECTIONS },
    (_, i) => `.section .s${i},"a"\n.globl g${i}\ng${i}: .byte ${i % 256}\n`).join(''));
  const recipes: [string, string, string[]][] = [
    ['lib.o', 'gcc', ['-g3', '-gz=zlib', '-fPIC', '-c', 'lib.c', '-o', 'lib.o']],
    ['lib.so', 'gcc', ['-shared', '-fPIC', '-Wl,--hash-style=both', '-Wl,-z,pack-relative-relocs', '-Wl,--version-script=lib.map', 'lib.c', '-o', 'lib.so']],
    ['static', 'gcc', ['-static', 'main.c', '-o', 'static']],
    ['lib32.so', 'gcc', ['-m32', '-shared', '-fPIC', '-Wl,--hash-style=both', '-Wl,-z,pack-relative-relocs', '-Wl,--version-script=lib.map', 'lib.c', '-o', 'lib32.so']],
    ['lib32.o', 'gcc', ['-m32', '-g', '-gz=zlib', '-fPIC', '-c', 'lib.c', '-o', 'lib32.o']],
    ['many.o', 'as', ['many.s', '-o', 'many.o']],
  ];
  for (const cross of ['aarch64-linux-gnu-gcc', 's390x-linux-gnu-gcc', 'powerpc64le-linux-gnu-gcc', 'powerpc-linux-gnu-gcc']) {
    recipes.push([`${cross}.so`, cross, ['-shared', '-fPIC', '-Wl,--hash-style=both', 'lib.c', '-o', `${cross}.so`]]);
  }
  const built: Built[] = [];
  for (const [name, command, args] of recipes) {
    const result = tool(command, args);
    if (result.ok) built.push({ name, path: join(scratch, name) });
    else console.log(`contents: skipped ${name}: ${command} failed: ${result.stderr.split('\n')[0]}`);
  }
  return built;
}

function parseFile(path: string): ElfFile {
  const file = parseElf(readFileSync(path));
  if (file.kind !== 'elf') throw new Error(`${path} is not ELF`);
  return file;
}

function readelf(args: readonly string[], path: string): string {
  const result = tool('readelf', ['-W', ...args, path]);
  return result.stdout;
}

/** readelf's output split into blocks, each starting at a line `start` matches. */
function blocks(text: string, start: RegExp): { head: RegExpExecArray; lines: string[] }[] {
  const found: { head: RegExpExecArray; lines: string[] }[] = [];
  for (const line of text.split('\n')) {
    const head = start.exec(line);
    if (head) found.push({ head, lines: [] });
    else found.at(-1)?.lines.push(line);
  }
  return found;
}

const hex = (text: string) => BigInt(`0x${text}`);

const TYPE_NAMES: Record<string, number> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, IFUNC: 10 };
const BIND_NAMES: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2, UNIQUE: 10 };
const VISIBILITY_NAMES: Record<string, number> = { DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 };

function sectionsOfType(elf: ElfFile, ...types: number[]) {
  return elf.sectionHeaders.filter((section) => types.includes(section.sh_type));
}

/** A symbol's section index, with SHN_XINDEX resolved through the SHT_SYMTAB_SHNDX section that links to its table. */
function resolvedShndx(elf: ElfFile, table: number, symbol: { index: number; st_shndx: number }): number {
  if (symbol.st_shndx !== SHN_XINDEX) return symbol.st_shndx;
  const extended = elf.sectionHeaders.find((section) => section.sh_type === SHT_SYMTAB_SHNDX && section.sh_link === table);
  return extended ? elf.contents.symbolSectionIndexes(extended.index)[symbol.index] ?? -1 : -1;
}

function checkSymbols(elf: ElfFile, path: string): number {
  const tables = blocks(readelf(['-s'], path), /^Symbol table '(.+)' contains (\d+) entr/);
  const sections = sectionsOfType(elf, SHT_SYMTAB, SHT_DYNSYM);
  expect(tables.map((table) => table.head[1])).toEqual(sections.map((section) => section.name));
  let checked = 0;
  for (const [i, table] of tables.entries()) {
    const section = sections[i]!;
    const symbols = elf.contents.symbols(section.index);
    expect(symbols.length, `${path} ${section.name}`).toBe(Number(table.head[2]));
    const rows = table.lines.map((line) => /^\s*(\d+): ([0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+) ?(.*)$/.exec(line)).filter((row) => row !== null);
    expect(rows.length).toBe(symbols.length);
    // A table of thousands is sampled: the count above covers it whole.
    const step = rows.length > 5000 ? 97 : 1;
    for (const row of rows.filter((_, i) => i % step === 0 || i === rows.length - 1)) {
      const [, num, value, size, type, bind, visibility, ndx, name] = row;
      const symbol = symbols.at(Number(num))!;
      expect(symbol.st_value).toBe(hex(value!));
      expect(symbol.st_size).toBe(size!.startsWith('0x') ? BigInt(size!) : BigInt(size!));
      if (TYPE_NAMES[type!] !== undefined) expect(symbol.type).toBe(TYPE_NAMES[type!]);
      expect(symbol.bind).toBe(BIND_NAMES[bind!]);
      expect(symbol.visibility).toBe(VISIBILITY_NAMES[visibility!]);
      const shndx = ndx === 'UND' ? 0 : ndx === 'ABS' ? SHN_ABS : ndx === 'COM' ? SHN_COMMON : Number(ndx);
      expect(resolvedShndx(elf, section.index, symbol)).toBe(shndx);
      // readelf adds @VERSION (and a version index) to dynamic symbols, and names a section symbol after its section.
      const printed = name ?? '';
      const expected = symbol.type === 3 && symbol.name === '' ? elf.sectionHeaders.at(shndx)?.name : symbol.name;
      if (printed !== expected) expect(printed.startsWith(`${expected}@`), `${printed} vs ${expected}`).toBe(true);
      checked++;
    }
  }
  return checked;
}

function checkRelocations(elf: ElfFile, path: string, mips64 = false): number {
  const text = readelf(['-r'], path);
  const found = blocks(text, /^Relocation section '(.+)' at offset 0x([0-9a-f]+) contains (\d+) entr/);
  const sections = sectionsOfType(elf, SHT_REL, SHT_RELA, SHT_RELR);
  expect(found.length).toBe(sections.length);
  let checked = 0;
  for (const block of found) {
    const section = sections.find((candidate) => candidate.sh_offset === hex(block.head[2]!))!;
    expect(section, block.head[0]).toBeDefined();
    if (section.sh_type === SHT_RELR) {
      const relr = elf.contents.relr(section.index)!;
      expect(relr.words.length).toBe(Number(block.head[3]));
      const addresses = block.lines.filter((line) => /^[0-9a-f]+$/.test(line)).map(hex);
      expect(relr.addresses).toEqual(addresses);
      expect(relr.problem).toBeUndefined();
      checked += addresses.length;
      continue;
    }
    const relocations = elf.contents.relocations(section.index);
    expect(relocations.length).toBe(Number(block.head[3]));
    // The addend ends a RELA line: `+ 8` or `- 4` after a symbol, a bare value without one (R_X86_64_IRELATIVE).
    const rows = block.lines.map((line) => /^([0-9a-f]{8,16})\s+([0-9a-f]{8,16})\s+(\S+)(.*)$/.exec(line)).filter((row) => row !== null);
    expect(rows.length).toBe(relocations.length);
    for (const [i, row] of rows.entries()) {
      const relocation = relocations.at(i)!;
      const info = hex(row[2]!);
      expect(relocation.r_offset).toBe(hex(row[1]!));
      if (mips64) {
        // readelf prints MIPS64's r_info reordered: r_sym, then r_ssym, r_type3, r_type2, r_type.
        const extra = relocation.mips64!;
        const printed = (BigInt(relocation.symbol) << 32n) | BigInt((extra.ssym << 24) | (extra.type3 << 16) | (extra.type2 << 8) | relocation.type);
        expect(printed).toBe(info);
      } else {
        expect(relocation.r_info).toBe(info);
        const is64 = elf.layout.elfClass === 'ELF64';
        expect(relocation.symbol).toBe(Number(is64 ? info >> 32n : info >> 8n));
        expect(relocation.type).toBe(Number(is64 ? info & 0xffffffffn : info & 0xffn));
      }
      const signed = / ([+-]) ([0-9a-f]+)\s*$/.exec(row[4]!);
      const bare = /^\s*([0-9a-f]+)\s*$/.exec(row[4]!);
      if (section.sh_type === SHT_RELA && signed) expect(relocation.r_addend).toBe(signed[1] === '-' ? -hex(signed[2]!) : hex(signed[2]!));
      if (section.sh_type === SHT_RELA && bare) expect(relocation.r_addend).toBe(hex(bare[1]!));
      if (section.sh_type === SHT_REL) expect(relocation.r_addend).toBeUndefined();
      checked++;
    }
  }
  return checked;
}

const GNU_NOTE_TYPES: Record<string, number> = {
  NT_GNU_ABI_TAG: 1, NT_GNU_HWCAP: 2, NT_GNU_BUILD_ID: 3, NT_GNU_GOLD_VERSION: 4, NT_GNU_PROPERTY_TYPE_0: 5,
};

function checkNotes(elf: ElfFile, path: string): number {
  const found = blocks(readelf(['-n'], path), /^Displaying notes found in: (.+)$/);
  let checked = 0;
  for (const block of found) {
    const section = elf.sectionHeaders.find((candidate) => candidate.sh_type === SHT_NOTE && candidate.name === block.head[1])!;
    const rows = block.lines.map((line) => /^\s+(\S+)\s+0x([0-9a-f]+)\s+(\S+)/.exec(line)).filter((row) => row !== null && row[1] !== 'Owner');
    const notes = elf.contents.sectionNotes(section.index);
    expect(notes.map((note) => [note.name, note.n_descsz])).toEqual(rows.map((row) => [row![1], Number(hex(row![2]!))]));
    for (const [i, row] of rows.entries()) {
      const type = GNU_NOTE_TYPES[row![3]!];
      if (type !== undefined) expect(notes[i]!.n_type).toBe(type);
      expect(notes[i]!.desc.length).toBe(notes[i]!.n_descsz);
      expect(notes[i]!.problem).toBeUndefined();
      checked++;
    }
  }
  // The PT_NOTE segments hold the notes of the allocated note sections.
  const described = (notes: readonly { name: string | undefined; n_type: number; n_descsz: number }[]) => notes.map((note) => `${note.name}/${note.n_type}/${note.n_descsz}`).sort();
  const fromSegments = elf.programHeaders.filter((phdr) => phdr.p_type === PT_NOTE).flatMap((phdr) => elf.contents.segmentNotes(phdr.index));
  const fromSections = sectionsOfType(elf, SHT_NOTE).filter((section) => (section.sh_flags & SHF_ALLOC) !== 0n).flatMap((section) => elf.contents.sectionNotes(section.index));
  if (elf.programHeaders.length > 0) expect(described(fromSegments)).toEqual(described(fromSections));
  return checked;
}

function checkDynamic(elf: ElfFile, path: string): number {
  const found = blocks(readelf(['-d'], path), /^Dynamic section at offset 0x([0-9a-f]+) contains (\d+) entr/);
  const sections = sectionsOfType(elf, SHT_DYNAMIC);
  expect(found.length).toBe(sections.length);
  for (const block of found) {
    const tags = block.lines.map((line) => /^\s*0x([0-9a-f]+)\s+\(/.exec(line)).filter((row) => row !== null).map((row) => hex(row![1]!));
    const entries = elf.contents.dynamicSection(sections[0]!.index);
    expect(entries.length).toBe(Number(block.head[2]));
    expect(entries.map((entry) => entry.d_tag)).toEqual(tags);
    expect(elf.dynamic?.map((entry) => entry.d_tag)).toEqual(tags);
    return tags.length;
  }
  return 0;
}

function checkVersions(elf: ElfFile, path: string): number {
  const text = readelf(['-V'], path);
  let checked = 0;
  for (const block of blocks(text, /^Version (symbols|definition|needs) section '(.+)' contains (\d+) entr/)) {
    const kind = block.head[1];
    const count = Number(block.head[3]);
    if (kind === 'symbols') {
      const section = sectionsOfType(elf, SHT_GNU_VERSYM)[0]!;
      const printed = block.lines.filter((line) => /^\s+[0-9a-f]+:/.test(line)).flatMap((line) =>
        [...line.replace(/^\s+[0-9a-f]+:/, '').matchAll(/(\d+)(h?)\s*\(/g)].map((match) => Number(match[1]) | (match[2] ? 0x8000 : 0)));
      expect(elf.contents.versym(section.index)).toEqual(printed);
      expect(printed.length).toBe(count);
      checked += count;
    } else if (kind === 'definition') {
      const section = sectionsOfType(elf, SHT_GNU_VERDEF)[0]!;
      const definitions = elf.contents.verdef(section.index);
      expect(definitions.problem).toBeUndefined();
      expect(definitions.entries.length).toBe(count);
      const printed = block.lines.map((line) => /Index: (\d+)\s+Cnt: (\d+)\s+Name: (\S+)|Parent \d+: (\S+)/.exec(line)).filter((row) => row !== null);
      const ours = definitions.entries.flatMap((entry) => entry.names.map((name, i) => (i === 0 ? `${entry.vd_ndx}/${entry.vd_cnt}/${name.name}` : `parent ${name.name}`)));
      expect(ours).toEqual(printed.map((row) => (row![4] === undefined ? `${row![1]}/${row![2]}/${row![3]}` : `parent ${row![4]}`)));
      checked += ours.length;
    } else {
      const section = sectionsOfType(elf, SHT_GNU_VERNEED)[0]!;
      const needs = elf.contents.verneed(section.index);
      expect(needs.problem).toBeUndefined();
      expect(needs.entries.length).toBe(count);
      const printed = block.lines.map((line) => /File: (\S+)\s+Cnt: (\d+)|Name: (\S+)\s+Flags: \S+\s+Version: (\d+)/.exec(line)).filter((row) => row !== null)
        .map((row) => (row![1] === undefined ? `${row![3]}/${row![4]}` : `${row![1]}/${row![2]}`));
      const ours = needs.entries.flatMap((entry) => [`${entry.file}/${entry.vn_cnt}`, ...entry.aux.map((aux) => `${aux.name}/${aux.vna_other}`)]);
      expect(ours).toEqual(printed);
      checked += ours.length;
    }
  }
  return checked;
}

function checkGroups(elf: ElfFile, path: string): number {
  const found = blocks(readelf(['--section-groups'], path), /^(COMDAT )?group section \[\s*(\d+)\] .* contains (\d+) sections:/);
  expect(found.length).toBe(sectionsOfType(elf, SHT_GROUP).length);
  for (const block of found) {
    const group = elf.contents.group(Number(block.head[2]))!;
    expect(group.flags & GRP_COMDAT).toBe(block.head[1] ? GRP_COMDAT : 0);
    const members = block.lines.map((line) => /^\s+\[\s*(\d+)\]\s+\S/.exec(line)).filter((row) => row !== null).map((row) => Number(row![1]));
    expect(group.members).toEqual(members);
    expect(members.length).toBe(Number(block.head[3]));
  }
  return found.length;
}

function checkHashes(elf: ElfFile, path: string): number {
  const text = readelf(['-I'], path);
  let checked = 0;
  const sysv = /^Histogram for bucket list length \(total of (\d+) buckets?\)/m.exec(text);
  const hash = sectionsOfType(elf, SHT_HASH)[0];
  if (sysv && hash) {
    const table = elf.contents.hashTable(hash.index)!;
    expect(table.nbucket).toBe(Number(sysv[1]));
    expect(table.buckets.length).toBe(table.nbucket);
    const dynsym = elf.sectionHeaders.at(hash.sh_link)!;
    expect(table.nchain).toBe(elf.contents.symbols(dynsym.index).length);
    expect(table.problem).toBeUndefined();
    checked++;
  }
  const gnu = /^Histogram for `.gnu.hash' bucket list length \(total of (\d+) buckets?\)/m.exec(text);
  const gnuSection = sectionsOfType(elf, SHT_GNU_HASH)[0];
  if (gnu && gnuSection) {
    const table = elf.contents.gnuHash(gnuSection.index)!;
    expect(table.nbuckets).toBe(Number(gnu[1]));
    expect(table.bloom.length).toBe(table.bloomSize);
    expect(table.problem).toBeUndefined();
    // Every hashed symbol has a chain value; the last of each chain has bit 0 set.
    const dynsym = elf.contents.symbols(gnuSection.sh_link);
    expect(table.chains.length).toBe(dynsym.length - table.symoffset);
    expect(table.chains.filter((value) => (value & 1) === 1).length).toBe(table.buckets.filter((bucket) => bucket !== 0).length);
    // DT_GNU_HASH names the same table by address.
    const tag = elf.dynamic?.find((entry) => entry.d_tag === DT_GNU_HASH);
    if (tag) expect(offsetOfAddress(elf, tag.d_val)).toBe(Number(gnuSection.sh_offset));
    checked++;
  }
  return checked;
}

function checkCompressed(elf: ElfFile, path: string): number {
  const lines = readelf(['-t'], path).split('\n');
  let current = -1;
  let checked = 0;
  for (const line of lines) {
    const section = /^\s+\[\s*(\d+)\]\s/.exec(line);
    if (section) current = Number(section[1]);
    const header = /^\s+(ZLIB|ZSTD), ([0-9a-f]+), (\d+)$/.exec(line);
    if (!header) continue;
    const ours = elf.contents.compressionHeader(current)!;
    expect(ours).toEqual({ ch_type: header[1] === 'ZLIB' ? ELFCOMPRESS_ZLIB : 2, ch_size: hex(header[2]!), ch_addralign: BigInt(header[3]!) });
    checked++;
  }
  expect(checked).toBe(elf.sectionHeaders.filter((section) => (section.sh_flags & SHF_COMPRESSED) !== 0n).length);
  return checked;
}

/** Every reader on every section and segment: what a rule may call on any file. */
function readEverything(contents: ElfContents, elf: ElfFile): void {
  for (const section of elf.sectionHeaders) {
    const i = section.index;
    contents.sectionBytes(i);
    contents.stringTable(i)?.stringAt(1);
    contents.symbols(i);
    contents.symbolSectionIndexes(i);
    contents.relocations(i);
    contents.relr(i);
    contents.dynamicSection(i);
    contents.sectionNotes(i);
    contents.hashTable(i);
    contents.gnuHash(i);
    contents.versym(i);
    contents.verdef(i);
    contents.verneed(i);
    contents.group(i);
    contents.compressionHeader(i);
  }
  for (const phdr of elf.programHeaders) contents.segmentNotes(phdr.index);
}

/** The unsigned value the bytes of `range` hold, in the view's byte order. */
function valueAt(elf: ElfFile, range: ByteRange): bigint {
  const bytes = [...elf.slice(range.offset, range.length)];
  if (elf.byteOrder === 'LSB') bytes.reverse();
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function expectLocated(elf: ElfFile, path: FieldPath, value: bigint | number, length?: number): void {
  const range = locateField(elf, path);
  expect(range, path).toBeDefined();
  if (length !== undefined) expect(range!.length, path).toBe(length);
  expect(valueAt(elf, range!), path).toBe(BigInt.asUintN(range!.length * 8, BigInt(value)));
}

describe.skipIf(!hasGcc)('contents of real files, against readelf', () => {
  let built: Built[] = [];
  const get = (name: string) => built.find((file) => file.name === name);
  beforeAll(() => {
    built = buildAll();
  }, 300_000);

  it('builds the native files', () => {
    expect(built.map((file) => file.name)).toEqual(expect.arrayContaining(['lib.o', 'lib.so', 'static', 'many.o']));
  });

  it('symbols, relocations, notes, dynamic, versions, groups, hashes and compression headers match readelf', () => {
    const tally: Record<string, Record<string, number>> = {};
    for (const file of built) {
      const elf = parseFile(file.path);
      tally[file.name] = {
        symbols: checkSymbols(elf, file.path),
        relocations: checkRelocations(elf, file.path),
        notes: checkNotes(elf, file.path),
        dynamic: checkDynamic(elf, file.path),
        versions: checkVersions(elf, file.path),
        groups: checkGroups(elf, file.path),
        hashes: checkHashes(elf, file.path),
        compressed: checkCompressed(elf, file.path),
      };
      expect(elf.parseIssues, file.name).toEqual([]);
    }
    console.log('contents: compared with readelf', JSON.stringify(tally));
    const library = tally['lib.so']!;
    expect(library.versions).toBeGreaterThan(10);
    expect(library.relocations).toBeGreaterThan(5);
    expect(library.hashes).toBe(2);
    expect(tally['lib.o']!.groups).toBeGreaterThan(0);
    expect(tally['lib.o']!.compressed).toBeGreaterThan(0);
    expect(tally.static!.notes).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('resolves SHN_XINDEX through SHT_SYMTAB_SHNDX in a file of 70,000 sections', () => {
    const file = get('many.o')!;
    const elf = parseFile(file.path);
    const symtab = sectionsOfType(elf, SHT_SYMTAB)[0]!;
    const started = performance.now();
    const symbols = elf.contents.symbols(symtab.index);
    const elapsed = performance.now() - started;
    console.log(`contents: ${symbols.length} symbols of many.o read in ${elapsed.toFixed(0)} ms`);
    const extended = symbols.filter((symbol) => symbol.st_shndx === SHN_XINDEX);
    expect(extended.length).toBeGreaterThan(1000);
    const last = symbols.find((symbol) => symbol.name === `g${MANY_SECTIONS - 1}`)!;
    expect(elf.sectionHeaders.at(resolvedShndx(elf, symtab.index, last))!.name).toBe(`.s${MANY_SECTIONS - 1}`);
  });

  it('keeps a small model per symbol (retained heap, measured in a child with --expose-gc on the built parser)', () => {
    const parser = new URL('../dist/parse/parse.js', import.meta.url).href;
    const script = `
      import { readFileSync } from 'node:fs';
      import { parseElf } from ${JSON.stringify(parser)};
      const file = parseElf(readFileSync(${JSON.stringify(get('many.o')!.path)}));
      const symtab = file.sectionHeaders.find((section) => section.sh_type === ${SHT_SYMTAB});
      gc(); const before = process.memoryUsage().heapUsed;
      const count = file.contents.symbols(symtab.index).length;
      gc(); const after = process.memoryUsage().heapUsed;
      console.log(JSON.stringify({ count, perEntry: (after - before) / count }));`;
    const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const { count, perEntry } = JSON.parse(result.stdout) as { count: number; perEntry: number };
    console.log(`contents: ${count} symbols retain ${perEntry.toFixed(0)} bytes each`);
    expect(count).toBe(MANY_SECTIONS + 1);
    expect(perEntry).toBeLessThan(600);
  });

  it('reads only the ranges it needs from a file read by ranges', () => {
    const path = get('static')!.path;
    const handle = openSync(path, 'r');
    let read = 0;
    const source: ByteSource = {
      size: statSync(path).size,
      read(target, position) {
        read += target.length;
        readSync(handle, target, 0, target.length, position);
      },
    };
    try {
      const elf = parseElf(source) as ElfFile;
      const abiTag = elf.sectionHeaders.find((section) => section.name === '.note.ABI-tag')!;
      expect(elf.contents.sectionNotes(abiTag.index)[0]).toMatchObject({ name: 'GNU', n_type: 1 });
      const comment = elf.sectionHeaders.find((section) => section.name === '.comment')!;
      expect(elf.contents.stringTable(comment.index)!.stringAt(0)!.text).toMatch(/GCC/);
      console.log(`contents: a note and a string of a ${source.size}-byte file read ${read} bytes`);
      expect(read).toBeLessThan(source.size / 2);
    } finally {
      closeSync(handle);
    }
  });

  it('decodes MIPS64 r_info as readelf does (an x86-64 object relabelled EM_MIPS)', () => {
    const bytes = readFileSync(get('lib.o')!.path);
    bytes.writeUInt16LE(EM_MIPS, 18);
    const path = join(scratch, 'mips64el.o');
    writeFileSync(path, bytes);
    const elf = parseFile(path);
    expect(checkRelocations(elf, path, true)).toBeGreaterThan(10);
  });

  it('reads every view without throwing', () => {
    // Every reader on each of 70,000 sections in four views is a minute of work that proves nothing more.
    for (const file of built.filter((candidate) => candidate.name !== 'many.o')) {
      const elf = parseFile(file.path);
      for (const elfClass of ['ELF32', 'ELF64'] as const) {
        for (const byteOrder of ['LSB', 'MSB'] as const) {
          const view = elf.viewAs({ elfClass, byteOrder });
          expect(() => readEverything(view.contents, view)).not.toThrow();
        }
      }
    }
  });

  it('locates content fields where the parser read them', () => {
    for (const name of ['lib.so', 'lib.o', 'lib32.so', 'lib32.o']) {
      const file = get(name);
      if (!file) continue;
      const elf = parseFile(file.path);
      const symtab = sectionsOfType(elf, SHT_SYMTAB, SHT_DYNSYM)[0]!;
      for (const symbol of elf.contents.symbols(symtab.index)) {
        const at = `sec[${symtab.index}].sym[${symbol.index}]` as const;
        expectLocated(elf, `${at}.st_value`, symbol.st_value, elf.layout.wordSize);
        expectLocated(elf, `${at}.st_shndx`, symbol.st_shndx, 2);
        expectLocated(elf, `${at}.st_info`, symbol.st_info, 1);
        expectLocated(elf, `${at}.st_name`, symbol.st_name, 4);
      }
      for (const section of sectionsOfType(elf, SHT_REL, SHT_RELA)) {
        const kind = section.sh_type === SHT_RELA ? 'rela' : 'rel';
        for (const relocation of elf.contents.relocations(section.index)) {
          expectLocated(elf, `sec[${section.index}].${kind}[${relocation.index}].r_info`, relocation.r_info, elf.layout.wordSize);
          expectLocated(elf, `sec[${section.index}].${kind}[${relocation.index}].r_offset`, relocation.r_offset);
          if (relocation.r_addend !== undefined) expectLocated(elf, `sec[${section.index}].rela[${relocation.index}].r_addend`, relocation.r_addend);
        }
      }
      for (const section of sectionsOfType(elf, SHT_NOTE)) {
        for (const note of elf.contents.sectionNotes(section.index)) {
          expectLocated(elf, `sec[${section.index}].note[${note.index}].n_type`, note.n_type, 4);
          expectLocated(elf, `sec[${section.index}].note[${note.index}].n_descsz`, note.n_descsz, 4);
          expect(locateField(elf, `sec[${section.index}].note[${note.index}].desc`)?.length).toBe(note.n_descsz);
          expect(elf.slice(locateField(elf, `sec[${section.index}].note[${note.index}].desc`)!.offset, note.n_descsz)).toEqual(note.desc);
        }
      }
      for (const phdr of elf.programHeaders.filter((candidate) => candidate.p_type === PT_NOTE)) {
        for (const note of elf.contents.segmentNotes(phdr.index)) expectLocated(elf, `phdr[${phdr.index}].note[${note.index}].n_namesz`, note.n_namesz);
      }
      for (const section of sectionsOfType(elf, SHT_DYNAMIC)) {
        for (const entry of elf.contents.dynamicSection(section.index)) {
          expectLocated(elf, `sec[${section.index}].dyn[${entry.index}].d_tag`, entry.d_tag);
          expectLocated(elf, `dyn[${entry.index}].d_val`, entry.d_val);
        }
      }
      for (const section of sectionsOfType(elf, SHT_GNU_VERSYM)) {
        for (const [i, value] of elf.contents.versym(section.index).entries()) expectLocated(elf, `sec[${section.index}].versym[${i}]`, value, 2);
      }
      for (const section of sectionsOfType(elf, SHT_GNU_VERDEF)) {
        for (const entry of elf.contents.verdef(section.index).entries) {
          expectLocated(elf, `sec[${section.index}].verdef[${entry.index}].vd_hash`, entry.vd_hash, 4);
          expectLocated(elf, `sec[${section.index}].verdef[${entry.index}].vd_ndx`, entry.vd_ndx, 2);
          for (const [j, aux] of entry.names.entries()) expectLocated(elf, `sec[${section.index}].verdef[${entry.index}].aux[${j}].vda_name`, aux.vda_name);
        }
      }
      for (const section of sectionsOfType(elf, SHT_GNU_VERNEED)) {
        for (const entry of elf.contents.verneed(section.index).entries) {
          expectLocated(elf, `sec[${section.index}].verneed[${entry.index}].vn_file`, entry.vn_file);
          for (const [j, aux] of entry.aux.entries()) expectLocated(elf, `sec[${section.index}].verneed[${entry.index}].aux[${j}].vna_hash`, aux.vna_hash);
        }
      }
      for (const section of sectionsOfType(elf, SHT_GROUP)) {
        const group = elf.contents.group(section.index)!;
        expectLocated(elf, `sec[${section.index}].group[0]`, group.flags);
        for (const [j, member] of group.members.entries()) expectLocated(elf, `sec[${section.index}].group[${j + 1}]`, member);
      }
      for (const section of elf.sectionHeaders.filter((candidate) => (candidate.sh_flags & SHF_COMPRESSED) !== 0n)) {
        const header = elf.contents.compressionHeader(section.index)!;
        expectLocated(elf, `sec[${section.index}].chdr.ch_type`, header.ch_type, 4);
        expectLocated(elf, `sec[${section.index}].chdr.ch_size`, header.ch_size, elf.layout.wordSize);
        expectLocated(elf, `sec[${section.index}].chdr.ch_addralign`, header.ch_addralign);
      }
      for (const section of sectionsOfType(elf, SHT_HASH)) {
        const table = elf.contents.hashTable(section.index)!;
        expectLocated(elf, `sec[${section.index}].hash.nbucket`, table.nbucket);
        expectLocated(elf, `sec[${section.index}].hash.nchain`, table.nchain);
        expectLocated(elf, `sec[${section.index}].hash.bucket[${table.nbucket - 1}]`, table.buckets.at(-1)!);
        expectLocated(elf, `sec[${section.index}].hash.chain[${table.nchain - 1}]`, table.chains.at(-1)!);
      }
      for (const section of sectionsOfType(elf, SHT_GNU_HASH)) {
        const table = elf.contents.gnuHash(section.index)!;
        expectLocated(elf, `sec[${section.index}].gnu_hash.bloom_shift`, table.bloomShift);
        expectLocated(elf, `sec[${section.index}].gnu_hash.bloom[0]`, table.bloom[0]!, elf.layout.wordSize);
        expectLocated(elf, `sec[${section.index}].gnu_hash.bucket[${table.nbuckets - 1}]`, table.buckets.at(-1)!);
        expectLocated(elf, `sec[${section.index}].gnu_hash.chain[${table.chains.length - 1}]`, table.chains.at(-1)!);
      }
      for (const section of sectionsOfType(elf, SHT_RELR)) {
        const relr = elf.contents.relr(section.index)!;
        expectLocated(elf, `sec[${section.index}].relr[${relr.words.length - 1}]`, relr.words.at(-1)!);
      }
      const strtab = elf.sectionHeaders.at(symtab.sh_link)!;
      expect(locateField(elf, `sec[${strtab.index}].contents`)).toEqual({ offset: Number(strtab.sh_offset), length: Number(strtab.sh_size) });
    }
  });

  it('maps DT_STRTAB to the file offset of .dynstr', () => {
    const elf = parseFile(get('lib.so')!.path);
    const dynstr = elf.sectionHeaders.find((section) => section.name === '.dynstr')!;
    const address = elf.dynamic!.find((entry) => entry.d_tag === DT_STRTAB)!.d_val;
    expect(offsetOfAddress(elf, address, dynstr.sh_size)).toBe(Number(dynstr.sh_offset));
    const bss = elf.programHeaders.find((phdr) => phdr.p_memsz > phdr.p_filesz);
    if (bss) expect(offsetOfAddress(elf, bss.p_vaddr + bss.p_filesz)).toBeUndefined();
    expect(offsetOfAddress(elf, 0xffff_ffff_ffff_0000n)).toBeUndefined();
    const strings = elf.contents.stringTable(dynstr.index)!;
    expect(strings.endsWithNul).toBe(true);
    expect(strings.stringAt(0)).toEqual({ text: '', terminated: true });
    expect(strings.stringAt(strings.size)).toBeUndefined();
  });
});

describe.skipIf(!hasGcc)('hostile contents record an issue or a problem and never throw', () => {
  let library: Buffer;
  let object: Buffer;
  beforeAll(() => {
    writeFileSync(join(scratch, 'hostile.c'), LIBRARY_SOURCE);
    writeFileSync(join(scratch, 'hostile.map'), VERSION_SCRIPT);
    expect(tool('gcc', ['-shared', '-fPIC', '-Wl,--hash-style=both', '-Wl,--version-script=hostile.map', 'hostile.c', '-o', 'hostile.so']).ok).toBe(true);
    expect(tool('gcc', ['-g3', '-c', 'hostile.c', '-o', 'hostile.o']).ok).toBe(true);
    library = readFileSync(join(scratch, 'hostile.so'));
    object = readFileSync(join(scratch, 'hostile.o'));
  });

  /** A copy of `bytes` with one section header field rewritten (ELF64 LSB). */
  function withSectionField(bytes: Buffer, index: number, field: 'sh_offset' | 'sh_size' | 'sh_link', value: bigint): Buffer {
    const copy = Buffer.from(bytes);
    const elf = parseElf(bytes) as ElfFile;
    const at = Number(elf.header!.e_shoff) + index * elf.header!.e_shentsize + elf.layout.shdr[field].offset;
    if (field === 'sh_link') copy.writeUInt32LE(Number(value), at);
    else copy.writeBigUInt64LE(value, at);
    return copy;
  }

  function section(bytes: Buffer, predicate: (section: SectionHeader) => boolean) {
    return (parseElf(bytes) as ElfFile).sectionHeaders.find(predicate)!;
  }

  it('a symbol table that runs past the end of the file: the whole entries there, and an issue', () => {
    const symtab = section(object, (candidate) => candidate.sh_type === SHT_SYMTAB);
    const room = BigInt(object.length) - symtab.sh_offset;
    const elf = parseElf(withSectionField(object, symtab.index, 'sh_size', 1n << 40n)) as ElfFile;
    const symbols = elf.contents.symbols(symtab.index);
    expect(symbols.length).toBe(Number(room / 24n));
    expect(elf.parseIssues).toContainEqual(expect.objectContaining({ field: `sec[${symtab.index}].contents`, offset: Number(symtab.sh_offset) }));
    expect(elf.contents.sectionBytes(symtab.index)?.length).toBe(Number(room));
  });

  it('a section past the end of the file has no bytes', () => {
    const symtab = section(object, (candidate) => candidate.sh_type === SHT_SYMTAB);
    const elf = parseElf(withSectionField(object, symtab.index, 'sh_offset', 1n << 62n)) as ElfFile;
    expect(elf.contents.sectionBytes(symtab.index)).toBeUndefined();
    expect([...elf.contents.symbols(symtab.index)]).toEqual([]);
    expect(elf.parseIssues.some((issue) => issue.field === `sec[${symtab.index}].contents`)).toBe(true);
  });

  it('sh_link out of range: symbols without names, and an issue on sh_link', () => {
    const dynsym = section(library, (candidate) => candidate.sh_type === SHT_DYNSYM);
    const elf = parseElf(withSectionField(library, dynsym.index, 'sh_link', 9999n)) as ElfFile;
    const symbols = elf.contents.symbols(dynsym.index);
    expect(symbols.length).toBeGreaterThan(5);
    expect(symbols.every((symbol) => symbol.name === undefined)).toBe(true);
    expect(elf.parseIssues).toContainEqual(expect.objectContaining({ field: `shdr[${dynsym.index}].sh_link` }));
    const verdef = section(library, (candidate) => candidate.sh_type === SHT_GNU_VERDEF);
    const broken = parseElf(withSectionField(library, verdef.index, 'sh_link', 0n)) as ElfFile;
    expect(broken.contents.verdef(verdef.index).entries.every((entry) => entry.names.every((name) => name.name === undefined))).toBe(true);
  });

  it('a string table cut inside its last string: the string is unterminated and the table does not end with NUL', () => {
    const dynstr = section(library, (candidate) => candidate.name === '.dynstr');
    const elf = parseElf(withSectionField(library, dynstr.index, 'sh_size', dynstr.sh_size - 2n)) as ElfFile;
    const strings = elf.contents.stringTable(dynstr.index)!;
    expect(strings.endsWithNul).toBe(false);
    const whole = (parseElf(library) as ElfFile).contents.stringTable(dynstr.index)!;
    // The last string starts after the second-to-last NUL of the original table.
    const bytes = elf.contents.sectionBytes(dynstr.index)!;
    const last = bytes.lastIndexOf(0) + 1;
    expect(strings.stringAt(last)).toEqual({ text: whole.stringAt(last)!.text.slice(0, -1), terminated: false });
    expect(strings.stringAt(Number(dynstr.sh_size))).toBeUndefined();
  });

  it('a note whose n_namesz runs past the section ends the list with a problem', () => {
    const note = section(library, (candidate) => candidate.sh_type === SHT_NOTE);
    const copy = Buffer.from(library);
    copy.writeUInt32LE(0xffffff00, Number(note.sh_offset));
    const elf = parseElf(copy) as ElfFile;
    const notes = elf.contents.sectionNotes(note.index);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ n_namesz: 0xffffff00, name: undefined, problem: expect.stringContaining('n_namesz') });
    const segment = elf.programHeaders.find((phdr) => phdr.p_type === PT_NOTE && phdr.p_offset === note.sh_offset)!;
    expect(elf.contents.segmentNotes(segment.index)[0]?.problem).toMatch(/n_namesz/);
    // A huge descriptor too, and a range longer than the file.
    copy.writeUInt32LE(4, Number(note.sh_offset));
    copy.writeUInt32LE(0xfffffff0, Number(note.sh_offset) + 4);
    const described = parseElf(copy) as ElfFile;
    expect(described.contents.sectionNotes(note.index)[0]).toMatchObject({ name: 'GNU', problem: expect.stringContaining('n_descsz') });
    const beyond = described.contents.notes({ offset: Number(note.sh_offset), size: 2 ** 40, align: 4 }, 'sec[0]');
    expect(beyond[0]?.problem).toMatch(/n_descsz/);
    expect(described.parseIssues.some((issue) => issue.field === 'sec[0].note[0].n_namesz')).toBe(true);
  });

  it('a verneed or verdef link that wraps around (a loop in 32-bit arithmetic) ends the list with a problem', () => {
    const verneed = section(library, (candidate) => candidate.sh_type === SHT_GNU_VERNEED);
    const copy = Buffer.from(library);
    const start = Number(verneed.sh_offset);
    // vn_next of the first entry (offset 12): back to itself modulo 2^32.
    copy.writeUInt32LE(0xffffffff, start + 12);
    copy.writeUInt32LE(0x100, start + 8);
    const elf = parseElf(copy) as ElfFile;
    const needs = elf.contents.verneed(verneed.index);
    expect(needs.entries).toHaveLength(1);
    expect(needs.problem).toMatch(/vn_next/);
    // vn_aux outside the section: an issue, and no auxiliary entries.
    expect(needs.entries[0]!.aux).toEqual([]);
    expect(elf.parseIssues.some((issue) => issue.field === `sec[${verneed.index}].verneed[0].vn_aux`)).toBe(true);
    const verdef = section(library, (candidate) => candidate.sh_type === SHT_GNU_VERDEF);
    const looped = Buffer.from(library);
    looped.writeUInt32LE(0xfffffff0, Number(verdef.sh_offset) + 16);
    expect((parseElf(looped) as ElfFile).contents.verdef(verdef.index).problem).toMatch(/vd_next/);
  });

  it('auxiliary lists that overlap read no more structures than fit in the section', () => {
    const verdef = section(library, (candidate) => candidate.sh_type === SHT_GNU_VERDEF);
    const elf = parseElf(library) as ElfFile;
    const copy = Buffer.from(library);
    for (const entry of elf.contents.verdef(verdef.index).entries) {
      // vd_cnt 0xffff, and each first verdaux links to the next 8 bytes on: every list runs to the end of the section.
      copy.writeUInt16LE(0xffff, entry.offset + 6);
      copy.writeUInt32LE(8, entry.names[0]!.offset + 4);
    }
    const damaged = parseElf(copy) as ElfFile;
    const list = damaged.contents.verdef(verdef.index);
    const structures = list.entries.reduce((sum, entry) => sum + 1 + entry.names.length, 0);
    expect(structures).toBeLessThanOrEqual(Number(verdef.sh_size) / 8);
    expect(damaged.parseIssues.some((issue) => /more entries than fit|outside the section/.test(issue.message))).toBe(true);
  });

  it('hash tables whose counts exceed the section, and a compressed section too small for its header', () => {
    const hash = section(library, (candidate) => candidate.sh_type === SHT_HASH);
    const gnu = section(library, (candidate) => candidate.sh_type === SHT_GNU_HASH);
    const copy = Buffer.from(library);
    copy.writeUInt32LE(0x7fffffff, Number(hash.sh_offset));
    copy.writeUInt32LE(0x7fffffff, Number(gnu.sh_offset) + 8);
    const elf = parseElf(copy) as ElfFile;
    expect(elf.contents.hashTable(hash.index)?.problem).toMatch(/of the/);
    expect(elf.contents.gnuHash(gnu.index)?.problem).toMatch(/Bloom/);
    const text = section(object, (candidate) => candidate.name === '.text');
    const flagged = Buffer.from(object);
    const flags = Number((parseElf(object) as ElfFile).header!.e_shoff) + text.index * 64 + 8;
    flagged.writeBigUInt64LE(text.sh_flags | SHF_COMPRESSED, flags);
    const small = withSectionField(flagged, text.index, 'sh_size', 8n);
    const compressed = parseElf(small) as ElfFile;
    expect(compressed.contents.compressionHeader(text.index)).toBeUndefined();
    expect(compressed.parseIssues.some((issue) => issue.field === `sec[${text.index}].chdr.ch_type`)).toBe(true);
  });

  it('random damage to the contents never throws', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (const original of [library, object]) {
      // Past the ELF header, whose damage the parser tests cover.
      const first = 0x40;
      for (let round = 0; round < 25; round++) {
        const copy = Buffer.from(original);
        for (let edit = 0; edit < 20; edit++) copy[first + (random() % (copy.length - first))] = random() & 0xff;
        const elf = parseElf(copy);
        if (elf.kind !== 'elf') continue;
        expect(() => readEverything(elf.contents, elf)).not.toThrow();
      }
    }
  });
});

/** One structure in the layout's packed form, in the given byte order. */
function encode<Field extends string>(struct: StructLayout<Field>, values: Partial<Record<Field, bigint | number>>, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(struct.size);
  const view = new DataView(bytes.buffer);
  for (const [field, value] of Object.entries(values) as [Field, bigint | number][]) {
    const slot = struct.fields[field]!;
    const unsigned = BigInt.asUintN(slot.size * 8, BigInt(value));
    if (slot.size === 8) view.setBigUint64(slot.offset, unsigned, littleEndian);
    else if (slot.size === 4) view.setUint32(slot.offset, Number(unsigned), littleEndian);
    else if (slot.size === 2) view.setUint16(slot.offset, Number(unsigned), littleEndian);
    else view.setUint8(slot.offset, Number(unsigned));
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

function words(values: readonly (bigint | number)[], size: 2 | 4 | 8, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => {
    if (size === 8) view.setBigUint64(i * size, BigInt(value), littleEndian);
    else if (size === 4) view.setUint32(i * size, Number(value), littleEndian);
    else view.setUint16(i * size, Number(value), littleEndian);
  });
  return bytes;
}

const SYNTHETIC: readonly { container: Container; machine: number }[] = [
  { container: { elfClass: 'ELF64', byteOrder: 'LSB' }, machine: EM_X86_64 },
  { container: { elfClass: 'ELF64', byteOrder: 'MSB' }, machine: EM_S390 },
  { container: { elfClass: 'ELF32', byteOrder: 'LSB' }, machine: EM_386 },
  { container: { elfClass: 'ELF32', byteOrder: 'MSB' }, machine: EM_PPC },
  { container: { elfClass: 'ELF64', byteOrder: 'LSB' }, machine: EM_MIPS },
  { container: { elfClass: 'ELF64', byteOrder: 'MSB' }, machine: EM_MIPS },
];

/**
 * A relocatable file of any class and byte order with a symbol table, a
 * RELA table, a note and a SysV hash table, written from the layout table:
 * readelf checks both the writing and our reading, whatever this machine's toolchains.
 */
function synthetic(container: Container, machine: number): Uint8Array {
  const layout = layoutOf(container.elfClass);
  const little = container.byteOrder === 'LSB';
  const is64 = container.elfClass === 'ELF64';
  const structs = layout.contents;
  const strings = new TextEncoder().encode('\0alpha\0beta\0');
  const symbols = concat(
    encode(structs.sym, {}, little),
    encode(structs.sym, { st_name: 1, st_value: is64 ? 0x123456789an : 0x1234n, st_size: 16, st_info: (1 << 4) | 2, st_other: 2, st_shndx: 5 }, little),
    encode(structs.sym, { st_name: 7, st_value: is64 ? 0xfedcba9876543210n : 0xfedcba98n, st_size: 8, st_info: (2 << 4) | 1, st_shndx: SHN_ABS }, little),
  );
  // MIPS64's r_info: r_sym (u4 in the file's order), then r_ssym, r_type3, r_type2, r_type, one byte each.
  const info = (symbol: number, type: number): bigint => {
    if (machine !== EM_MIPS) return is64 ? (BigInt(symbol) << 32n) | BigInt(type) : BigInt((symbol << 8) | type);
    const bytes = concat(words([symbol], 4, little), Uint8Array.of(0, 4, 3, type));
    return new DataView(bytes.buffer).getBigUint64(0, little);
  };
  const relocations = concat(
    encode(structs.rela, { r_offset: 0x10, r_info: info(1, 1), r_addend: -8n }, little),
    encode(structs.rela, { r_offset: 0x20, r_info: info(2, 2), r_addend: 0x100 }, little),
  );
  const note = concat(encode(structs.nhdr, { n_namesz: 4, n_descsz: 5, n_type: 3 }, little), new TextEncoder().encode('GNU\0'), Uint8Array.of(1, 2, 3, 4, 5, 0, 0, 0));
  const hashSize = hashEntrySize(layout, machine);
  const hash = words([1, 3, 1, 0, 2, 0], hashSize, little);
  return buildElf({
    ident: { class: is64 ? ELFCLASS64 : ELFCLASS32, data: little ? ELFDATA2LSB : ELFDATA2MSB },
    header: { e_type: ET_REL, e_machine: machine },
    sections: [
      {},
      { name: '.strtab', sh_type: SHT_STRTAB, data: strings },
      { name: '.symtab', sh_type: SHT_SYMTAB, sh_link: 1, sh_info: 1, sh_entsize: BigInt(structs.sym.size), sh_addralign: 8n, data: symbols },
      { name: '.rela.text', sh_type: SHT_RELA, sh_link: 2, sh_info: 5, sh_entsize: BigInt(structs.rela.size), sh_addralign: 8n, data: relocations },
      { name: '.note.test', sh_type: SHT_NOTE, sh_addralign: 4n, data: note },
      { name: '.text', sh_type: SHT_PROGBITS, sh_flags: 6n, sh_addralign: 16n, data: new Uint8Array(64) },
      { name: '.hash', sh_type: SHT_HASH, sh_link: 2, sh_entsize: BigInt(hashSize), sh_addralign: 8n, data: hash },
      { name: '.shstrtab' },
    ],
  });
}

describe.skipIf(!hasGcc)('both classes and byte orders, written from the layout table and checked by readelf', () => {
  for (const { container, machine } of SYNTHETIC) {
    it(`${container.elfClass} ${container.byteOrder} e_machine ${machine}`, () => {
      const path = join(scratch, `synthetic-${container.elfClass}-${container.byteOrder}-${machine}.o`);
      writeFileSync(path, synthetic(container, machine));
      const elf = parseFile(path);
      expect(elf.container).toEqual(container);
      expect(checkSymbols(elf, path)).toBe(3);
      expect(checkRelocations(elf, path, machine === EM_MIPS && container.elfClass === 'ELF64')).toBe(2);
      expect(checkNotes(elf, path)).toBe(1);
      const symbols = elf.contents.symbols(2);
      expect(symbols.map((symbol) => [symbol.name, symbol.visibility])).toEqual([['', 0], ['alpha', 2], ['beta', 0]]);
      const relocations = elf.contents.relocations(3);
      expect(relocations.map((relocation) => [relocation.symbol, relocation.type, relocation.r_addend])).toEqual([[1, 1, -8n], [2, 2, 0x100n]]);
      if (machine === EM_MIPS) expect(relocations.at(0)!.mips64).toEqual({ ssym: 0, type3: 4, type2: 3 });
      const note = elf.contents.sectionNotes(4)[0]!;
      expect(note).toMatchObject({ name: 'GNU', n_type: 3, n_descsz: 5 });
      expect([...note.desc]).toEqual([1, 2, 3, 4, 5]);
      const hash = elf.contents.hashTable(6)!;
      expect(hash).toMatchObject({ entrySize: hashEntrySize(elf.layout, machine), nbucket: 1, nchain: 3, buckets: [1], chains: [0, 2, 0] });
      expectLocated(elf, 'sec[6].hash.chain[1]', 2, hash.entrySize);
      expectLocated(elf, 'sec[2].sym[2].st_value', symbols.at(2)!.st_value, elf.layout.wordSize);
      expectLocated(elf, 'sec[2].sym[1].st_other', 2, 1);
      expectLocated(elf, 'sec[3].rela[0].r_addend', -8n, elf.layout.wordSize);
      expectLocated(elf, 'sec[3].rela[1].r_info', relocations.at(1)!.r_info);
      expectLocated(elf, 'sec[4].note[0].n_descsz', 5);
      expect(elf.parseIssues).toEqual([]);
    });
  }
});
