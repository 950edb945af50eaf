// A corrupted field is reported by a rule that owns it (src/rules/ownership.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildElf } from '../../src/gen/build.js';
import { FIELD_OWNERS, type Ownership } from '../../src/rules/ownership.js';
import { HEADER_FIELDS, IDENT_LAYOUT, locateField, PHDR_FIELDS, SHDR_FIELDS, type FieldPath } from '../../src/model/layout.js';
import { ELF_MACHINE_NAMES, ELF_OSABI_NAMES } from '../../src/model/constants.js';
import { parseElf } from '../../src/parse/parse.js';
import { lintParsed } from '../../src/rules/engine.js';
import { notElfFinding } from '../../src/rules/engine.js';
import { HELLO } from '../support.js';
import { helloSpecFor } from '../../src/gen/templates.js';
import type { ElfSpec } from '../../src/gen/spec.js';
import type { ElfFile } from '../../src/model/elf.js';
import { PROPERTY_OPTIONS } from './arbitraries.js';

const U64_MAX = (1n << 64n) - 1n;
const helloBytes = buildElf(HELLO);
// .data is 4 bytes of hello's code, mapped by its PT_LOAD at the address its offset maps to.
const withSections = buildElf({ ...HELLO, sections: [{}, { name: '.shstrtab' }, { name: '.data', sh_type: 1, sh_flags: 3n, sh_addr: 0x400078n, sh_offset: 0x78n, sh_size: 4n }] });
const sectioned = parseElf(withSections);
if (sectioned.kind !== 'elf') throw new Error('base is not ELF');
const size = BigInt(withSections.length);
const shoff = sectioned.header!.e_shoff;
const data = sectioned.sectionHeaders.at(2)!;
const nameTableSize = sectioned.sectionHeaders.at(1)!.sh_size;
/** A symbol table of two local symbols (section 2) and the string tables 1 and 3 its sh_link may name. */
const withTables = buildElf({
  ...HELLO,
  sections: [{}, { name: '.shstrtab' }, { name: '.symtab', sh_type: 2, data: new Uint8Array(48), sh_addralign: 8n, sh_entsize: 24n, sh_link: 3, sh_info: 2 }, { name: '.strtab', sh_type: 3, data: Uint8Array.of(0) }],
});

const range = (min: bigint, max: bigint) => fc.bigInt({ min, max });
const except = (arbitrary: fc.Arbitrary<bigint>, ...valid: bigint[]) => arbitrary.filter((v) => !valid.includes(v));
const byte = range(0n, 255n);
const nonPowerOfTwo = range(3n, U64_MAX).filter((v) => (v & (v - 1n)) !== 0n);

interface Corruption {
  readonly base: Uint8Array;
  readonly path: FieldPath;
  readonly values: fc.Arbitrary<bigint>;
}

/** Invalid values for each owned field, against a valid base file. */
const CORRUPTIONS: Record<string, Corruption> = {
  'e_ident[EI_MAG]': { base: helloBytes, path: 'e_ident[EI_MAG]', values: except(range(0n, 0xffffffffn), 0x464c457fn) },
  'e_ident[EI_CLASS]': { base: helloBytes, path: 'e_ident[EI_CLASS]', values: except(byte, 2n) },
  'e_ident[EI_DATA]': { base: helloBytes, path: 'e_ident[EI_DATA]', values: except(byte, 1n, 2n) },
  'e_ident[EI_VERSION]': { base: helloBytes, path: 'e_ident[EI_VERSION]', values: except(byte, 1n) },
  'e_ident[EI_OSABI]': { base: helloBytes, path: 'e_ident[EI_OSABI]', values: byte.filter((v) => !ELF_OSABI_NAMES.has(Number(v))) },
  'e_ident[EI_PAD]': { base: helloBytes, path: 'e_ident[EI_PAD]', values: range(1n, (1n << 56n) - 1n) },
  e_type: { base: helloBytes, path: 'e_type', values: fc.oneof(fc.constant(0n), range(5n, 0xfdffn)) },
  e_machine: { base: helloBytes, path: 'e_machine', values: range(0n, 0xffffn).filter((v) => v === 0n || !ELF_MACHINE_NAMES.has(Number(v))) },
  e_version: { base: helloBytes, path: 'e_version', values: except(range(0n, 0xffffffffn), 1n) },
  e_entry: { base: helloBytes, path: 'e_entry', values: range(0n, U64_MAX).filter((v) => v < 0x400000n || v >= 0x400000n + 910n) },
  e_phoff: { base: helloBytes, path: 'e_phoff', values: range(910n - 55n, U64_MAX) },
  e_shoff: { base: withSections, path: 'e_shoff', values: range(size - 3n * 64n + 1n, U64_MAX) },
  e_ehsize: { base: helloBytes, path: 'e_ehsize', values: except(range(0n, 0xffffn), 64n) },
  e_phentsize: { base: helloBytes, path: 'e_phentsize', values: except(range(0n, 0xffffn), 56n) },
  e_phnum: { base: helloBytes, path: 'e_phnum', values: fc.oneof(fc.constant(0n), range(16n, 0xffffn)) },
  e_shentsize: { base: withSections, path: 'e_shentsize', values: except(range(0n, 0xffffn), 64n) },
  e_shnum: { base: withSections, path: 'e_shnum', values: range((size - shoff) / 64n + 1n, 0xffffn) },
  e_shstrndx: { base: withSections, path: 'e_shstrndx', values: fc.oneof(fc.constant(2n), range(3n, 0xfffen)) },
  'phdr.p_type': { base: helloBytes, path: 'phdr[0].p_type', values: except(range(0n, 0xffffffffn), 1n) },
  'phdr.p_flags': { base: helloBytes, path: 'phdr[0].p_flags', values: range(0n, 0xffffffffn).filter((v) => (v & 1n) === 0n || (v & 2n) !== 0n) },
  'phdr.p_offset': { base: helloBytes, path: 'phdr[0].p_offset', values: range(1n, U64_MAX) },
  'phdr.p_vaddr': { base: helloBytes, path: 'phdr[0].p_vaddr', values: except(range(0n, U64_MAX), 0x400000n) },
  'phdr.p_filesz': { base: helloBytes, path: 'phdr[0].p_filesz', values: except(range(0n, U64_MAX), 910n) },
  'phdr.p_memsz': { base: helloBytes, path: 'phdr[0].p_memsz', values: except(range(0n, U64_MAX), 910n) },
  'phdr.p_align': { base: helloBytes, path: 'phdr[0].p_align', values: fc.oneof(nonPowerOfTwo, range(23n, 63n).map((k) => 1n << k)) },
  'shdr.sh_name': { base: withSections, path: 'shdr[2].sh_name', values: range(nameTableSize, 0xffffffffn) },
  'shdr.sh_type': { base: withSections, path: 'shdr[1].sh_type', values: except(range(0n, 0xffffffffn), 3n) },
  'shdr.sh_offset': { base: withSections, path: 'shdr[2].sh_offset', values: range(size - data.sh_size + 1n, U64_MAX) },
  'shdr.sh_size': { base: withSections, path: 'shdr[2].sh_size', values: range(size - data.sh_offset + 1n, U64_MAX) },
  'shdr.sh_addralign': { base: withSections, path: 'shdr[2].sh_addralign', values: nonPowerOfTwo },
  'shdr.sh_addr': { base: withSections, path: 'shdr[2].sh_addr', values: except(range(0n, U64_MAX), 0x400078n) },
  'shdr.sh_link': { base: withTables, path: 'shdr[2].sh_link', values: except(range(0n, 0xffffffffn), 1n, 3n) },
  'shdr.sh_info': { base: withTables, path: 'shdr[2].sh_info', values: except(range(0n, 0xffffffffn), 1n, 2n) },
  'shdr.sh_entsize': { base: withTables, path: 'shdr[2].sh_entsize', values: except(range(0n, U64_MAX), 24n) },
};

function corrupt({ base, path }: Corruption, value: bigint): Uint8Array {
  const file = parseElf(base);
  if (file.kind !== 'elf') throw new Error('base is not ELF');
  const where = locateField(file, path)!;
  const bytes = base.slice();
  for (let i = 0; i < where.length; i += 1) bytes[where.offset + i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return bytes;
}

function rulesFor(bytes: Uint8Array): string[] {
  const file = parseElf(bytes);
  return (file.kind === 'elf' ? lintParsed(file) : [notElfFinding(file)]).map((finding) => finding.rule);
}

const owned = Object.entries(FIELD_OWNERS).filter((entry): entry is [string, Extract<Ownership, { owners: readonly string[] }>] => 'owners' in entry[1]);

describe('field ownership', () => {
  it('every field of the layout has an entry', () => {
    const layoutFields = [
      ...Object.keys(IDENT_LAYOUT).map((name) => `e_ident[${name}]`), 'e_ident[EI_MAG]', 'e_ident[EI_PAD]',
      ...HEADER_FIELDS, ...PHDR_FIELDS.map((n) => `phdr.${n}`), ...SHDR_FIELDS.map((n) => `shdr.${n}`),
    ];
    expect(Object.keys(FIELD_OWNERS).sort()).toEqual(layoutFields.sort());
  });

  it('every owned field has corruptions to test', () => {
    expect(owned.map(([key]) => key).sort()).toEqual(Object.keys(CORRUPTIONS).sort());
  });

  it('the bases are clean', () => {
    expect(rulesFor(helloBytes)).toEqual([]);
    expect(rulesFor(withSections)).toEqual([]);
    expect(rulesFor(withTables)).toEqual([]);
  });

  it('a corrupted field is reported by one of its owners', () => {
    const cases = fc.oneof(...owned.map(([key, { owners }]) => CORRUPTIONS[key]!.values.map((value) => ({ key, owners, value }))));
    fc.assert(fc.property(cases, ({ key, owners, value }) => {
      const fired = rulesFor(corrupt(CORRUPTIONS[key]!, value));
      expect(fired.some((rule) => owners.includes(rule)), `${key} = 0x${value.toString(16)} fired [${fired.join(', ')}]`).toBe(true);
    }), PROPERTY_OPTIONS);
  });
});

/**
 * The same property in every container: ELF32 and ELF64, both byte orders.
 * The bases are the generated hello programs of architectures of each kind;
 * each corruption is written at the field's real width and in the file's
 * byte order, through the same layout tables the parser reads.
 */
describe('field ownership in every container', () => {
  const big = (spec: ElfSpec): ElfSpec => ({ ...spec, ident: { ...spec.ident, data: 2 } });
  const bases: readonly [string, ElfSpec][] = [
    ['ELF32 LSB (i386)', helloSpecFor('i386', Buffer.from('hi\n'))],
    ['ELF32 MSB', big(helloSpecFor('i386', Buffer.from('hi\n')))],
    ['ELF64 LSB (aarch64)', helloSpecFor('aarch64', Buffer.from('hi\n'))],
    ['ELF64 MSB (s390x)', helloSpecFor('s390x', Buffer.from('hi\n'))],
  ];
  const GENERIC: readonly { key: keyof typeof FIELD_OWNERS; path: FieldPath; values: (file: ElfFile) => fc.Arbitrary<bigint> }[] = [
    { key: 'e_ident[EI_VERSION]', path: 'e_ident[EI_VERSION]', values: () => except(byte, 1n) },
    { key: 'e_version', path: 'e_version', values: () => except(range(0n, 0xffffffffn), 1n) },
    { key: 'e_ehsize', path: 'e_ehsize', values: (file) => except(range(0n, 0xffffn), BigInt(file.layout.ehdrSize)) },
    { key: 'e_phentsize', path: 'e_phentsize', values: (file) => except(range(0n, 0xffffn), BigInt(file.layout.phdrSize)) },
    { key: 'e_phnum', path: 'e_phnum', values: () => fc.oneof(fc.constant(0n), range(0x801n, 0xfffen)) },
    { key: 'e_phoff', path: 'e_phoff', values: (file) => range(BigInt(file.size), file.layout.wordMax) },
    { key: 'e_entry', path: 'e_entry', values: (file) => range(0n, file.layout.wordMax).filter((v) => v < 0x400000n || v >= 0x400000n + BigInt(file.size)) },
    { key: 'phdr.p_type', path: 'phdr[0].p_type', values: () => except(range(0n, 0xffffffffn), 1n) },
    { key: 'phdr.p_filesz', path: 'phdr[0].p_filesz', values: (file) => range(BigInt(file.size) + 1n, file.layout.wordMax) },
    { key: 'phdr.p_flags', path: 'phdr[0].p_flags', values: () => range(0n, 0xffffffffn).filter((v) => (v & 1n) === 0n || (v & 2n) !== 0n) },
  ];

  it.each(bases)('%s: the base is clean and every corrupted field is reported by one of its owners', (_, spec) => {
    const base = buildElf(spec);
    const file = parseElf(base);
    if (file.kind !== 'elf') throw new Error('base is not ELF');
    expect(rulesFor(base)).toEqual([]);
    const cases = fc.oneof(...GENERIC.map((field) => field.values(file).map((value) => ({ field, value }))));
    fc.assert(fc.property(cases, ({ field, value }) => {
      const where = locateField(file, field.path)!;
      const bytes = base.slice();
      for (let i = 0; i < where.length; i += 1) {
        const shift = BigInt(8 * (file.byteOrder === 'LSB' ? i : where.length - 1 - i));
        bytes[where.offset + i] = Number((value >> shift) & 0xffn);
      }
      const ownership = FIELD_OWNERS[field.key];
      const owners = 'owners' in ownership ? ownership.owners : [];
      const fired = rulesFor(bytes);
      expect(fired.some((rule) => owners.includes(rule)), `${field.key} = 0x${value.toString(16)} fired [${fired.join(', ')}]`).toBe(true);
    }), PROPERTY_OPTIONS);
  });
});
