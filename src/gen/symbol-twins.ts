// Twins for the symbol-table and symbol-versioning rules: hello with a
// .symtab over its code (the static twins), and hello as a shared library with a
// .dynsym whose symbols carry versions (.gnu.version, .gnu.version_d,
// .gnu.version_r), laid out as a linker would, each twin breaking one thing.
import type { CorpusEntry } from './corpus.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';
import { DOCKER_HELLO_MESSAGE, helloSpec, TINY_BASE } from './templates.js';
import { encodeStrings, encodeStructs, encodeWords, type StructValues } from './contents.js';
import {
  DT_HASH, DT_NEEDED, DT_NULL, DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED, DT_VERNEEDNUM,
  DT_VERSYM, PF_R, PF_W, PT_DYNAMIC, PT_GNU_STACK, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_UNDEF, SHT_DYNAMIC,
  SHT_DYNSYM, SHT_GNU_VERDEF, SHT_HASH, SHT_GNU_VERNEED, SHT_GNU_VERSYM, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STB_LOCAL,
  STT_FILE, STT_FUNC, STT_SECTION, VER_FLG_BASE,
} from '../model/constants.js';
import { ELF64_LAYOUT, type SymField, type VerdauxField, type VerdefField, type VernauxField, type VerneedField } from '../model/layout.js';
import { elfHash } from '../model/elf-hash.js';

const structs = ELF64_LAYOUT.contents;
const info = (bind: number, type: number) => (bind << 4) | type;

// ---- the static twins: hello's code as .text (section 2), named by a .symtab (3) with its .strtab (4) ----

const TEXT_ADDRESS = TINY_BASE + 0x78n;
const TEXT_SIZE = 0x20n;
const STATIC_NAMES = encodeStrings(['hello.s', '_start']);

/** The symbols of the static twins: the null symbol, the file, .text's section symbol, then _start. */
export function staticSymbols(): StructValues<SymField>[] {
  return [
    {},
    { st_name: STATIC_NAMES.offsets.get('hello.s')!, st_info: info(STB_LOCAL, STT_FILE), st_shndx: SHN_ABS },
    { st_info: info(STB_LOCAL, STT_SECTION), st_shndx: 2, st_value: TEXT_ADDRESS },
    { st_name: STATIC_NAMES.offsets.get('_start')!, st_info: info(STB_GLOBAL, STT_FUNC), st_shndx: 2, st_value: TEXT_ADDRESS, st_size: TEXT_SIZE },
  ];
}

/** hello with a symbol table over its code; `symbols` replaces the entries, `symtab` the table's header fields, `extra` adds sections after .strtab. */
export function symbolHelloSpec(symbols = staticSymbols(), symtab: SectionSpec = {}, extra: readonly SectionSpec[] = []): ElfSpec {
  const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'));
  const sections: SectionSpec[] = [
    {},
    { name: '.shstrtab' },
    { name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, sh_addr: TEXT_ADDRESS, sh_offset: 0x78n, sh_size: TEXT_SIZE, sh_addralign: 8n },
    {
      name: '.symtab', sh_type: SHT_SYMTAB, data: encodeStructs(structs.sym, 'LSB', symbols), sh_addralign: 8n, sh_entsize: BigInt(structs.sym.size),
      sh_link: 4, sh_info: 3, ...symtab,
    },
    { name: '.strtab', sh_type: SHT_STRTAB, data: STATIC_NAMES.bytes },
    ...extra,
  ];
  return { ...hello, header: { ...hello.header, e_shstrndx: 1 }, sections };
}

/** The static symbols with `index` changed. */
function symbolChanged(index: number, fields: StructValues<SymField>): StructValues<SymField>[] {
  return staticSymbols().map((symbol, at) => (at === index ? { ...symbol, ...fields } : symbol));
}

// ---- the versioned twins: a shared library hello.so whose .dynsym defines hello@@HELLO_1.0 and needs puts@GLIBC_2.2.5 from libc.so.6 ----

/** What a versioned twin changes: whole values of the version sections, their headers, or dynamic tags. */
export interface VersionedHelloOptions {
  /** Fields of the exported symbol hello (dynamic symbol 1). */
  readonly helloSymbol?: StructValues<SymField>;
  /** .gnu.version's entries (default: 0 for the null symbol, 2 for hello, 3 for puts). */
  readonly versym?: readonly number[];
  /** Fields of the two Elf64_Verdef entries (the base version, then HELLO_1.0). */
  readonly verdef?: readonly StructValues<VerdefField>[];
  readonly verneed?: StructValues<VerneedField>;
  readonly vernaux?: StructValues<VernauxField>;
  /** Header fields of .gnu.version. */
  readonly versymSection?: SectionSpec;
  /** Amounts added to dynamic tags' values (by tag) after the table is laid out. */
  readonly tagDelta?: ReadonlyMap<bigint, bigint>;
}

const DATA_ADDRESS = 0x201000n;
const DATA_OFFSET = 0x1000n;
const SONAME = 'hello.so';
const DEFINED = 'HELLO_1.0';
const LIBRARY = 'libc.so.6';
const NEEDED = 'GLIBC_2.2.5';
const align8 = (value: bigint) => (value + 7n) & ~7n;

export function versionedHelloSpec(options: VersionedHelloOptions = {}): ElfSpec {
  const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'), { pie: true });
  const code = hello.segments![0]!;
  const strings = encodeStrings([SONAME, DEFINED, LIBRARY, NEEDED, 'hello', 'puts']);
  const name = (text: string) => strings.offsets.get(text)!;
  const segmentCount = 4;
  const textOffset = BigInt(ELF64_LAYOUT.ehdrSize + segmentCount * ELF64_LAYOUT.phdrSize);
  const textSize = BigInt(code.data!.length);
  const TEXT_INDEX = 7;

  const symbols = encodeStructs(structs.sym, 'LSB', [
    {},
    { st_name: name('hello'), st_info: info(STB_GLOBAL, STT_FUNC), st_shndx: TEXT_INDEX, st_value: textOffset, st_size: textSize, ...options.helloSymbol },
    { st_name: name('puts'), st_info: info(STB_GLOBAL, STT_FUNC), st_shndx: SHN_UNDEF },
  ]);
  const versions = options.versym ?? [0, 2, 3];
  const versym = encodeWords(2, 'LSB', versions);
  const definitions: StructValues<VerdefField>[] = [
    { vd_version: 1, vd_flags: VER_FLG_BASE, vd_ndx: 1, vd_cnt: 1, vd_hash: elfHash(SONAME), vd_aux: structs.verdef.size, vd_next: structs.verdef.size + structs.verdaux.size },
    { vd_version: 1, vd_ndx: 2, vd_cnt: 1, vd_hash: elfHash(DEFINED), vd_aux: structs.verdef.size, vd_next: 0 },
  ].map((entry, index) => ({ ...entry, ...options.verdef?.[index] }));
  const verdef = new Uint8Array(2 * (structs.verdef.size + structs.verdaux.size));
  for (const [index, entry] of definitions.entries()) {
    const at = index * (structs.verdef.size + structs.verdaux.size);
    verdef.set(encodeStructs(structs.verdef, 'LSB', [entry]), at);
    verdef.set(encodeStructs(structs.verdaux, 'LSB', [{ vda_name: name(index === 0 ? SONAME : DEFINED) } satisfies StructValues<VerdauxField>]), at + structs.verdef.size);
  }
  const verneed = new Uint8Array([
    ...encodeStructs(structs.verneed, 'LSB', [{ vn_version: 1, vn_cnt: 1, vn_file: name(LIBRARY), vn_aux: structs.verneed.size, vn_next: 0, ...options.verneed }]),
    ...encodeStructs(structs.vernaux, 'LSB', [{ vna_hash: elfHash(NEEDED), vna_other: 3, vna_name: name(NEEDED), vna_next: 0, ...options.vernaux }]),
  ]);

  // A SysV hash table of one bucket: symbol 2, then 1 on its chain.
  const hash = encodeWords(4, 'LSB', [1, 3, 2, 0, 0, 1]);

  // The data segment: .dynamic, .dynstr, .dynsym, .gnu.version, .gnu.version_d, .gnu.version_r, .hash, each 8-aligned.
  const tagOrder = [DT_NEEDED, DT_SONAME, DT_HASH, DT_STRTAB, DT_STRSZ, DT_SYMTAB, DT_SYMENT, DT_VERSYM, DT_VERDEF, DT_VERDEFNUM, DT_VERNEED, DT_VERNEEDNUM, DT_NULL];
  const dynamicSize = BigInt(tagOrder.length * structs.dyn.size);
  const parts = [
    { bytes: new Uint8Array(Number(dynamicSize)) }, { bytes: strings.bytes }, { bytes: symbols }, { bytes: versym }, { bytes: verdef }, { bytes: verneed }, { bytes: hash },
  ];
  const offsets: bigint[] = [];
  let end = 0n;
  for (const part of parts) {
    offsets.push(end);
    end = align8(end + BigInt(part.bytes.length));
  }
  const address = (part: number) => DATA_ADDRESS + offsets[part]!;
  const values = new Map<bigint, bigint>([
    [DT_NEEDED, BigInt(name(LIBRARY))], [DT_SONAME, BigInt(name(SONAME))], [DT_HASH, address(6)], [DT_STRTAB, address(1)], [DT_STRSZ, BigInt(strings.bytes.length)], [DT_SYMTAB, address(2)],
    [DT_SYMENT, BigInt(structs.sym.size)], [DT_VERSYM, address(3)], [DT_VERDEF, address(4)], [DT_VERDEFNUM, 2n],
    [DT_VERNEED, address(5)], [DT_VERNEEDNUM, 1n], [DT_NULL, 0n],
  ]);
  parts[0]!.bytes = encodeStructs(structs.dyn, 'LSB', tagOrder.map((tag) => ({ d_tag: tag, d_val: values.get(tag)! + (options.tagDelta?.get(tag) ?? 0n) })));
  const data = new Uint8Array(Number(end));
  for (const [index, part] of parts.entries()) data.set(part.bytes, Number(offsets[index]));

  const segments: SegmentSpec[] = [
    code,
    { p_flags: PF_R | PF_W, p_vaddr: DATA_ADDRESS, p_align: 0x1000n, data },
    { p_type: PT_DYNAMIC, p_flags: PF_R | PF_W, p_align: 8n, p_offset: DATA_OFFSET, p_vaddr: DATA_ADDRESS, p_paddr: DATA_ADDRESS, p_filesz: dynamicSize, p_memsz: dynamicSize },
    { p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n },
  ];
  if (segments.length !== segmentCount) throw new Error('the versioned hello\'s segment count changed: update segmentCount');
  const section = (part: number, fields: SectionSpec): SectionSpec => ({
    sh_flags: SHF_ALLOC, sh_offset: DATA_OFFSET + offsets[part]!, sh_addr: address(part), sh_size: BigInt(parts[part]!.bytes.length), sh_addralign: 8n, ...fields,
  });
  const DYNSTR_INDEX = 3;
  const sections: SectionSpec[] = [
    {},
    { name: '.shstrtab' },
    section(0, { name: '.dynamic', sh_type: SHT_DYNAMIC, sh_flags: SHF_ALLOC | SHF_WRITE, sh_link: DYNSTR_INDEX, sh_entsize: BigInt(structs.dyn.size) }),
    section(1, { name: '.dynstr', sh_type: SHT_STRTAB, sh_addralign: 1n }),
    section(2, { name: '.dynsym', sh_type: SHT_DYNSYM, sh_link: DYNSTR_INDEX, sh_info: 1, sh_entsize: BigInt(structs.sym.size) }),
    section(3, { name: '.gnu.version', sh_type: SHT_GNU_VERSYM, sh_link: 4, sh_addralign: 2n, sh_entsize: 2n, ...options.versymSection }),
    section(4, { name: '.gnu.version_d', sh_type: SHT_GNU_VERDEF, sh_link: DYNSTR_INDEX, sh_info: 2 }),
    { name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, sh_addr: textOffset, sh_offset: textOffset, sh_size: textSize, sh_addralign: 1n },
    section(5, { name: '.gnu.version_r', sh_type: SHT_GNU_VERNEED, sh_link: DYNSTR_INDEX, sh_info: 1 }),
    section(6, { name: '.hash', sh_type: SHT_HASH, sh_link: 4, sh_addralign: 4n, sh_entsize: 4n }),
  ];
  return { ...hello, header: { ...hello.header, e_shstrndx: 1 }, segments, sections };
}

/** What the twins lack rather than break: hello's static layout has no PIE, no CET marking, no stack protector; the PIE no RELRO. */
const STATIC_OPT_IN = { optInTrips: ['hardening-pie', 'hardening-cet', 'hardening-canary'] } as const;
const VERSIONED_OPT_IN = { optInTrips: ['hardening-relro', 'hardening-cet', 'hardening-canary'] } as const;

export const SYMBOL_TWINS: readonly CorpusEntry[] = [
  { name: 'hello-symtab', trips: undefined, ...STATIC_OPT_IN, description: 'hello with a .symtab over its code: the null symbol, the file, .text\'s section symbol and _start', spec: symbolHelloSpec() },
  { name: 'hello-symbol-name', trips: 'symbol-name', ...STATIC_OPT_IN, description: '_start\'s st_name 0x100 points past the 16-byte .strtab', spec: symbolHelloSpec(symbolChanged(3, { st_name: 0x100 })) },
  { name: 'hello-symbol-section', trips: 'symbol-section', ...STATIC_OPT_IN, description: '_start\'s st_shndx 0x30 names no section (the file has 5)', spec: symbolHelloSpec(symbolChanged(3, { st_shndx: 0x30 })) },
  { name: 'hello-symbol-size', trips: 'symbol-value-in-section', ...STATIC_OPT_IN, description: '_start\'s st_size 0x40 runs past the end of .text (0x400078-0x400098)', spec: symbolHelloSpec(symbolChanged(3, { st_size: 0x40n })) },
  { name: 'hello-symbol-value', trips: 'symbol-value-in-section', ...STATIC_OPT_IN, description: '_start\'s st_value 0x500000 lies outside .text (0x400078-0x400098)', spec: symbolHelloSpec(symbolChanged(3, { st_value: 0x500000n })) },
  {
    name: 'hello-symbol-order', trips: 'symbol-order', ...STATIC_OPT_IN, description: '_start, a global, comes before the file and section symbols, and sh_info 1 leaves those locals among the globals',
    spec: symbolHelloSpec([staticSymbols()[0]!, staticSymbols()[3]!, staticSymbols()[1]!, staticSymbols()[2]!], { sh_info: 1 }),
  },
  { name: 'hello-symbol-info', trips: 'symbol-info', ...STATIC_OPT_IN, description: '_start has binding 5, which the gABI does not define', spec: symbolHelloSpec(symbolChanged(3, { st_info: info(5, STT_FUNC) })) },
  { name: 'hello-versioned', trips: undefined, ...VERSIONED_OPT_IN, description: 'hello as a shared library hello.so exporting hello@@HELLO_1.0 and importing puts@GLIBC_2.2.5: .dynsym with .gnu.version, .gnu.version_d and .gnu.version_r', spec: versionedHelloSpec() },
  { name: 'hello-dynsym-dynamic', trips: 'dynsym-dynamic-match', ...VERSIONED_OPT_IN, description: 'DT_SYMTAB points 24 bytes past .dynsym: the dynamic linker reads other symbols than readelf shows', spec: versionedHelloSpec({ tagDelta: new Map([[DT_SYMTAB, BigInt(structs.sym.size)]]) }) },
  { name: 'hello-versym-count', trips: 'versym-count', ...VERSIONED_OPT_IN, description: '.gnu.version holds 2 entries for the 3 dynamic symbols', spec: versionedHelloSpec({ versymSection: { sh_size: 4n } }) },
  { name: 'hello-version-index', trips: 'version-index', ...VERSIONED_OPT_IN, description: 'puts has version index 7, which no definition or need has', spec: versionedHelloSpec({ versym: [0, 2, 7] }) },
  { name: 'hello-verdef', trips: 'version-definitions', ...VERSIONED_OPT_IN, description: 'the HELLO_1.0 definition has vd_version 2', spec: versionedHelloSpec({ verdef: [{}, { vd_version: 2 }] }) },
  { name: 'hello-verneed', trips: 'version-needs', ...VERSIONED_OPT_IN, description: 'the libc.so.6 need has vn_version 0: ld.so refuses to load the library', spec: versionedHelloSpec({ verneed: { vn_version: 0 } }) },
  { name: 'hello-version-hash', trips: 'version-hash', ...VERSIONED_OPT_IN, description: 'GLIBC_2.2.5\'s vna_hash is off by one: ld.so would not find the version in libc.so.6', spec: versionedHelloSpec({ vernaux: { vna_hash: elfHash(NEEDED) + 1 } }) },
];
