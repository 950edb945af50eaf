// Twins for the dynamic-table, hash-table and relocation rules: hello as a
// PIE linked the way ld links one, with a PT_INTERP, a dynamic table that
// needs libc, an exported symbol, both hash tables, RELA and RELR
// relocations of its data, and section headers over all of it. Each twin
// edits one part of that, described in a line.
import type { CorpusEntry } from './corpus.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from './templates.js';
import {
  DF_1_PIE, DT_FLAGS_1, DT_GNU_HASH, DT_HASH, DT_NEEDED, DT_NULL, DT_RELA, DT_RELAENT, DT_RELASZ, DT_RELR, DT_RELRENT, DT_RELRSZ,
  DT_INIT_ARRAY, DT_INIT_ARRAYSZ, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, PF_R, PF_W, PT_DYNAMIC, PT_GNU_STACK, PT_INTERP, PT_PHDR, SHF_ALLOC, SHF_WRITE, SHT_DYNAMIC,
  SHT_DYNSYM, SHT_GNU_HASH, SHT_HASH, SHT_PROGBITS, SHT_RELA, SHT_RELR, SHT_STRTAB, STB_GLOBAL, STT_FUNC, STT_OBJECT,
} from '../model/constants.js';
import { gnuHash } from '../model/elf-hash.js';
import { ELF64_LAYOUT } from '../model/layout.js';
import { R_X86_64_GLOB_DAT, R_X86_64_RELATIVE } from '../model/arch/x86_64.js';
import { encodeStrings, encodeStructs, encodeWords, type StructValues } from './contents.js';

export type Tag = readonly [bigint, bigint];
type Rela = StructValues<'r_offset' | 'r_info' | 'r_addend'>;

export interface LinkedHelloEdits {
  /** Edit the dynamic entries, given with their final values. */
  readonly tags?: (tags: readonly Tag[]) => readonly Tag[];
  readonly rela?: (relocations: readonly Rela[]) => readonly Rela[];
  readonly relr?: (words: readonly bigint[]) => readonly bigint[];
  /** Edit the SysV hash table's words (nbucket, nchain, buckets, chains). */
  readonly hash?: (words: readonly number[]) => readonly number[];
  /** Edit the GNU hash table's Bloom filter words. */
  readonly bloom?: (words: readonly bigint[]) => readonly bigint[];
  /** Leave out PT_INTERP. */
  readonly noInterp?: boolean;
  /** DT_INIT_ARRAY over the last word of .data, which ends the data PT_LOAD's file image. */
  readonly initArray?: boolean;
  /** No section header table, as sstrip leaves a file: the dynamic linker needs none. */
  readonly noSections?: boolean;
}

const DATA_ADDRESS = 0x201000n;
const DATA_OFFSET = 0x1000n;
const INTERPRETER = '/lib64/ld-linux-x86-64.so.2\0';
const { sym: SYM, rela: RELA, dyn: DYN } = ELF64_LAYOUT.contents;
const BLOOM_SHIFT = 6;
const align8 = (value: number) => (value + 7) & ~7;

/** The tags in the order ld writes them; addresses are filled in by name. */
const TAG_ORDER: readonly bigint[] = [
  DT_NEEDED, DT_HASH, DT_GNU_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ, DT_SYMENT, DT_RELA, DT_RELASZ, DT_RELAENT,
  DT_RELR, DT_RELRSZ, DT_RELRENT, DT_FLAGS_1, DT_NULL,
];
const INIT_ARRAY_TAGS: readonly bigint[] = [DT_INIT_ARRAY, DT_INIT_ARRAYSZ];

/** Section indexes of the twins' section table. */
const DYNSTR_SECTION = 3;
const DYNSYM_SECTION = 4;
const DATA_SECTION = 9;

export function linkedHelloSpec(edits: LinkedHelloEdits = {}): ElfSpec {
  const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'), { pie: true });
  const exported = 'hello_value';
  const strings = encodeStrings(['libc.so.6', 'puts', exported]);
  const exportedHash = gnuHash(exported);
  const bloomBit = (bit: number) => 1n << BigInt(bit % 64);
  const bloom = (edits.bloom ?? ((words) => words))([bloomBit(exportedHash) | bloomBit(Math.floor(exportedHash / 2 ** BLOOM_SHIFT))]);
  // Symbol 1 imports puts, symbol 2 exports hello_value: .hash (one bucket) chains 2 then 1, .gnu.hash hashes from symbol 2.
  const hashWords = (edits.hash ?? ((words) => words))([1, 3, 2, 0, 0, 1]);
  const gnuHashBytes = new Uint8Array([
    ...encodeStructs(ELF64_LAYOUT.contents.gnuHash, 'LSB', [{ nbuckets: 1, symoffset: 2, bloom_size: bloom.length, bloom_shift: BLOOM_SHIFT }]),
    ...encodeWords(8, 'LSB', bloom), ...encodeWords(4, 'LSB', [2, (exportedHash | 1) >>> 0]),
  ]);
  const editTags = edits.tags ?? ((list: readonly Tag[]) => list);
  const editRela = edits.rela ?? ((records: readonly Rela[]) => records);
  // The edits may add or drop entries: their counts size the sections before the addresses are known.
  const relaCount = editRela([{}, {}]).length;
  const tagOrder = edits.initArray ? [...TAG_ORDER.slice(0, -1), ...INIT_ARRAY_TAGS, DT_NULL] : TAG_ORDER;

  // The data page holds the sections in this order, each 8-aligned.
  const sizes: readonly (readonly [string, number])[] = [
    ['.dynamic', editTags(tagOrder.map((tag): Tag => [tag, 0n])).length * DYN.size], ['.dynstr', strings.bytes.length],
    ['.dynsym', 3 * SYM.size], ['.hash', hashWords.length * 4], ['.gnu.hash', gnuHashBytes.length], ['.rela.dyn', relaCount * RELA.size],
    ['.relr.dyn', 8], ['.data', 32],
  ];
  const place = new Map<string, { readonly offset: number; readonly size: number }>();
  let cursor = 0;
  for (const [name, size] of sizes) {
    place.set(name, { offset: cursor, size });
    cursor = align8(cursor + size);
  }
  const where = (name: string) => place.get(name)!;
  const address = (name: string) => DATA_ADDRESS + BigInt(where(name).offset);
  const data = address('.data');

  const relocations = editRela([
    { r_offset: data + 8n, r_info: R_X86_64_RELATIVE, r_addend: data },
    { r_offset: data + 16n, r_info: (1n << 32n) | BigInt(R_X86_64_GLOB_DAT), r_addend: 0n },
  ]);
  const relr = (edits.relr ?? ((words) => words))([data + 24n]);
  const values: ReadonlyMap<bigint, bigint> = new Map([
    [DT_NEEDED, BigInt(strings.offsets.get('libc.so.6')!)], [DT_HASH, address('.hash')], [DT_GNU_HASH, address('.gnu.hash')],
    [DT_STRTAB, address('.dynstr')], [DT_SYMTAB, address('.dynsym')], [DT_STRSZ, BigInt(strings.bytes.length)], [DT_SYMENT, BigInt(SYM.size)],
    [DT_RELA, address('.rela.dyn')], [DT_RELASZ, BigInt(relaCount * RELA.size)], [DT_RELAENT, BigInt(RELA.size)],
    [DT_RELR, address('.relr.dyn')], [DT_RELRSZ, 8n], [DT_RELRENT, 8n], [DT_FLAGS_1, DF_1_PIE], [DT_NULL, 0n],
    [DT_INIT_ARRAY, data + 24n], [DT_INIT_ARRAYSZ, 8n],
  ]);
  const tags = editTags(tagOrder.map((tag): Tag => [tag, values.get(tag)!]));

  const image = new Uint8Array(cursor);
  const put = (name: string, bytes: Uint8Array) => image.set(bytes.subarray(0, where(name).size), where(name).offset);
  put('.dynamic', encodeStructs(DYN, 'LSB', tags.map(([d_tag, d_val]) => ({ d_tag, d_val }))));
  put('.dynstr', strings.bytes);
  put('.dynsym', encodeStructs(SYM, 'LSB', [
    {},
    { st_name: strings.offsets.get('puts')!, st_info: (STB_GLOBAL << 4) | STT_FUNC },
    { st_name: strings.offsets.get(exported)!, st_info: (STB_GLOBAL << 4) | STT_OBJECT, st_shndx: DATA_SECTION, st_value: data, st_size: 8n },
  ]));
  put('.hash', encodeWords(4, 'LSB', hashWords));
  put('.gnu.hash', gnuHashBytes);
  put('.rela.dyn', encodeStructs(RELA, 'LSB', relocations));
  put('.relr.dyn', encodeWords(8, 'LSB', relr));

  const dynamicBytes = BigInt(where('.dynamic').size);
  // PT_PHDR lets ld.so find the load bias; the interpreter path follows the program headers, in the code PT_LOAD at address = offset.
  const phdrCount = edits.noInterp ? 5 : 6;
  const phdrBytes = BigInt(phdrCount * ELF64_LAYOUT.phdrSize);
  const phdrEnd = BigInt(ELF64_LAYOUT.ehdrSize) + phdrBytes;
  const interpreter = Buffer.from(INTERPRETER, 'latin1');
  const segments: SegmentSpec[] = [
    { p_type: PT_PHDR, p_flags: PF_R, p_align: 8n, p_offset: BigInt(ELF64_LAYOUT.ehdrSize), p_vaddr: BigInt(ELF64_LAYOUT.ehdrSize), p_paddr: BigInt(ELF64_LAYOUT.ehdrSize), p_filesz: phdrBytes, p_memsz: phdrBytes },
    ...(edits.noInterp ? [] : [{ p_type: PT_INTERP, p_flags: PF_R, p_align: 1n, p_vaddr: phdrEnd, p_paddr: phdrEnd, data: interpreter }]),
    hello.segments![0]!,
    { p_flags: PF_R | PF_W, p_vaddr: DATA_ADDRESS, p_align: 0x1000n, data: image },
    { p_type: PT_DYNAMIC, p_flags: PF_R | PF_W, p_align: 8n, p_offset: DATA_OFFSET, p_vaddr: DATA_ADDRESS, p_paddr: DATA_ADDRESS, p_filesz: dynamicBytes, p_memsz: dynamicBytes },
    { p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n },
  ];
  const section = (name: string, fields: SectionSpec): SectionSpec => ({
    name, sh_offset: DATA_OFFSET + BigInt(where(name).offset), sh_addr: address(name), sh_size: BigInt(where(name).size),
    sh_flags: SHF_ALLOC, sh_addralign: 8n, ...fields,
  });
  const sections: SectionSpec[] = [
    {},
    { name: '.shstrtab' },
    section('.dynamic', { sh_type: SHT_DYNAMIC, sh_flags: SHF_ALLOC | SHF_WRITE, sh_link: DYNSTR_SECTION, sh_entsize: BigInt(DYN.size) }),
    section('.dynstr', { sh_type: SHT_STRTAB, sh_addralign: 1n }),
    section('.dynsym', { sh_type: SHT_DYNSYM, sh_link: DYNSTR_SECTION, sh_info: 1, sh_entsize: BigInt(SYM.size) }),
    section('.hash', { sh_type: SHT_HASH, sh_link: DYNSYM_SECTION, sh_entsize: 4n }),
    section('.gnu.hash', { sh_type: SHT_GNU_HASH, sh_link: DYNSYM_SECTION }),
    section('.rela.dyn', { sh_type: SHT_RELA, sh_link: DYNSYM_SECTION, sh_entsize: BigInt(RELA.size) }),
    section('.relr.dyn', { sh_type: SHT_RELR, sh_entsize: 8n }),
    section('.data', { sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_WRITE }),
  ];
  if (edits.noSections) return { ...hello, header: { ...hello.header, e_shstrndx: 0 }, segments, sections: [] };
  return { ...hello, header: { ...hello.header, e_shstrndx: 1 }, segments, sections };
}

export const setTag = (tag: bigint, value: bigint) => (tags: readonly Tag[]): readonly Tag[] => tags.map(([each, old]) => [each, each === tag ? value : old]);
export const dropTag = (tag: bigint) => (tags: readonly Tag[]): readonly Tag[] => tags.filter(([each]) => each !== tag);

export const DYNAMIC_TWINS: readonly CorpusEntry[] = [
  { name: 'hello-linked', trips: undefined, description: 'hello as a PIE linked like ld links one: PT_INTERP, DT_NEEDED libc.so.6, .hash and .gnu.hash over an exported symbol, RELA and RELR relocations of its data', spec: linkedHelloSpec() },
  { name: 'hello-dynamic-no-null', trips: 'dynamic-null', description: 'the dynamic table without its DT_NULL: ld.so reads .dynstr as more entries', spec: linkedHelloSpec({ tags: dropTag(DT_NULL) }) },
  { name: 'hello-dynamic-strtab-unmapped', trips: 'dynamic-address', description: 'DT_STRTAB 0x900000, which no PT_LOAD maps', spec: linkedHelloSpec({ tags: setTag(DT_STRTAB, 0x900000n) }) },
  { name: 'hello-dynamic-relaent', trips: 'dynamic-size', description: 'DT_RELAENT 16 in an ELF64 file (Elf64_Rela is 24 bytes)', spec: linkedHelloSpec({ tags: setTag(DT_RELAENT, 16n) }) },
  { name: 'hello-dynamic-no-relasz', trips: 'dynamic-required', description: 'DT_RELA without DT_RELASZ', spec: linkedHelloSpec({ tags: dropTag(DT_RELASZ) }) },
  { name: 'hello-dynamic-needed-past-strsz', trips: 'dynamic-string', description: 'DT_NEEDED offset 0x100, past the 26 bytes of .dynstr', spec: linkedHelloSpec({ tags: setTag(DT_NEEDED, 0x100n) }) },
  { name: 'hello-dynamic-flags-1-unknown', trips: 'dynamic-flags', description: 'DT_FLAGS_1 with bit 31 set, which no DF_1_* flag defines', spec: linkedHelloSpec({ tags: setTag(DT_FLAGS_1, DF_1_PIE | 0x80000000n) }) },
  {
    name: 'hello-dynamic-strsz-twice', trips: 'dynamic-duplicate', description: 'a second DT_STRSZ before DT_NULL',
    spec: linkedHelloSpec({ tags: (tags) => [...tags.slice(0, -1), [DT_STRSZ, tags.find(([tag]) => tag === DT_STRSZ)![1]], tags.at(-1)!] }),
  },
  { name: 'hello-dynamic-no-interp', trips: 'interp-needed', description: 'a PIE that needs libc.so.6 without PT_INTERP: nothing loads libc', spec: linkedHelloSpec({ noInterp: true }) },
  { name: 'hello-hash-nchain', trips: 'hash-table', description: '.hash with nchain 2 for the 3 symbols of .dynsym', spec: linkedHelloSpec({ hash: (words) => [words[0]!, 2, words[2]!, words[3]!, words[4]!] }) },
  { name: 'hello-gnu-hash-bloom', trips: 'gnu-hash-table', description: '.gnu.hash with an empty Bloom filter: ld.so never finds hello_value', spec: linkedHelloSpec({ bloom: (words) => words.map(() => 0n) }) },
  {
    name: 'hello-reloc-symbol', trips: 'reloc-symbol', description: 'R_X86_64_GLOB_DAT naming symbol 7 of a 3-symbol .dynsym',
    spec: linkedHelloSpec({ rela: (records) => records.map((record, index) => (index === 1 ? { ...record, r_info: (7n << 32n) | BigInt(R_X86_64_GLOB_DAT) } : record)) }),
  },
  {
    name: 'hello-reloc-offset', trips: 'reloc-offset', description: 'R_X86_64_RELATIVE patching the code at 0x78, in the read-only PT_LOAD, without DT_TEXTREL',
    spec: linkedHelloSpec({ rela: (records) => records.map((record, index) => (index === 0 ? { ...record, r_offset: 0x78n } : record)) }),
  },
  {
    name: 'hello-reloc-type', trips: 'reloc-type', description: 'a relocation of type 200, which the x86-64 psABI does not define',
    spec: linkedHelloSpec({ rela: (records) => records.map((record, index) => (index === 0 ? { ...record, r_info: 200n } : record)) }),
  },
  { name: 'hello-sstripped', trips: undefined, description: 'hello-linked without its section header table, as sstrip leaves it: the relocations and hash tables are read through the dynamic table', spec: linkedHelloSpec({ noSections: true }) },
  {
    name: 'hello-sstripped-reloc-offset', trips: 'reloc-offset', description: 'hello-sstripped whose DT_RELA table patches the code at 0x78, in the read-only PT_LOAD, without DT_TEXTREL',
    spec: linkedHelloSpec({ noSections: true, rela: (records) => records.map((record, index) => (index === 0 ? { ...record, r_offset: 0x78n } : record)) }),
  },
  { name: 'hello-sstripped-hash', trips: 'hash-table', description: 'hello-sstripped whose DT_HASH bucket starts at symbol 1 (puts), whose chain ends there: ld.so never finds hello_value', spec: linkedHelloSpec({ noSections: true, hash: (words) => [words[0]!, words[1]!, 1, words[3]!, words[4]!, words[5]!] }) },
  { name: 'hello-sstripped-gnu-hash', trips: 'gnu-hash-table', description: 'hello-sstripped whose DT_GNU_HASH has an empty Bloom filter: ld.so never finds hello_value', spec: linkedHelloSpec({ noSections: true, bloom: (words) => words.map(() => 0n) }) },
  { name: 'hello-sstripped-relr', trips: 'relr-table', description: 'hello-sstripped whose DT_RELR table starts with a bitmap (odd), with no address before it', spec: linkedHelloSpec({ noSections: true, relr: () => [3n] }) },
  { name: 'hello-relr-bitmap-first', trips: 'relr-table', description: '.relr.dyn whose first word is a bitmap (odd), with no address before it', spec: linkedHelloSpec({ relr: () => [3n] }) },
];
