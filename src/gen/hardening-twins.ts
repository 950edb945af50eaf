// Twins for the hardening rules: hello as a position-independent program with
// a dynamic section, laid out as a linker would (code in an R+X PT_LOAD, the
// dynamic table, its strings and symbols in an R+W one, with section headers
// over them), and each twin leaving out one protection.
import type { CorpusEntry } from './corpus.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from './templates.js';
import {
  DF_1_NOW, DF_1_PIE, DF_BIND_NOW, DT_FLAGS, DT_FLAGS_1, DT_NULL, DT_RPATH, DT_RUNPATH, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB,
  DT_TEXTREL, PF_R, PF_W, PT_DYNAMIC, PT_GNU_RELRO, PT_GNU_STACK, SHF_ALLOC, SHF_WRITE, SHT_DYNAMIC, SHT_DYNSYM, SHT_STRTAB,
  STB_GLOBAL, STT_FUNC,
} from '../model/constants.js';
import { ELF64_LAYOUT } from '../model/layout.js';
import { encodeStrings, encodeStructs } from './contents.js';

export interface DynamicHelloOptions {
  /** PT_GNU_RELRO over the data. */
  readonly relro?: boolean;
  /** DF_BIND_NOW and DF_1_NOW: no lazy binding. */
  readonly bindNow?: boolean;
  readonly textrel?: boolean;
  readonly rpath?: string;
  readonly runpath?: string;
  /** Undefined global functions in .dynsym, as a program that calls them has. */
  readonly imports?: readonly string[];
}

/** The data page: its own page, past the code's (the file offset is the first page boundary after the code). */
const DATA_ADDRESS = 0x201000n;
const DATA_OFFSET = 0x1000n;
const { size: SYM_SIZE } = ELF64_LAYOUT.contents.sym;
const { size: DYN_SIZE } = ELF64_LAYOUT.contents.dyn;

export function dynamicHelloSpec(options: DynamicHelloOptions = {}): ElfSpec {
  const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'), { pie: true });
  const imports = options.imports ?? [];
  const paths = [options.rpath, options.runpath].filter((path): path is string => path !== undefined);
  const strings = encodeStrings([...paths, ...imports]);
  const symbolCount = 1 + imports.length;
  const stringsSize = BigInt(strings.bytes.length);
  const stringsPadded = (stringsSize + 7n) & ~7n;

  const tags: (readonly [bigint, bigint])[] = [
    [DT_FLAGS_1, DF_1_PIE | (options.bindNow ? DF_1_NOW : 0n)],
    ...(options.bindNow ? [[DT_FLAGS, DF_BIND_NOW] as const] : []),
    ...(options.rpath !== undefined ? [[DT_RPATH, BigInt(strings.offsets.get(options.rpath)!)] as const] : []),
    ...(options.runpath !== undefined ? [[DT_RUNPATH, BigInt(strings.offsets.get(options.runpath)!)] as const] : []),
    ...(options.textrel ? [[DT_TEXTREL, 0n] as const] : []),
    [DT_STRTAB, 0n], [DT_STRSZ, stringsSize], [DT_SYMTAB, 0n], [DT_SYMENT, BigInt(SYM_SIZE)],
    [DT_NULL, 0n],
  ];
  const dynamicSize = BigInt(tags.length * DYN_SIZE);
  const stringsAddress = DATA_ADDRESS + dynamicSize;
  const symbolsAddress = stringsAddress + stringsPadded;
  const symbolsSize = BigInt(symbolCount * SYM_SIZE);
  const dataSize = dynamicSize + stringsPadded + symbolsSize;

  const dynamic = encodeStructs(ELF64_LAYOUT.contents.dyn, 'LSB', tags.map(([tag, value]) => ({
    d_tag: tag, d_val: tag === DT_STRTAB ? stringsAddress : tag === DT_SYMTAB ? symbolsAddress : value,
  })));
  const symbols = encodeStructs(ELF64_LAYOUT.contents.sym, 'LSB', [{}, ...imports.map((name) => ({ st_name: strings.offsets.get(name)!, st_info: (STB_GLOBAL << 4) | STT_FUNC }))]);
  const data = new Uint8Array(Number(dataSize));
  data.set(dynamic, 0);
  data.set(strings.bytes, Number(dynamicSize));
  data.set(symbols, Number(dynamicSize + stringsPadded));

  const over = (offset: bigint, address: bigint, size: bigint) => ({ p_offset: offset, p_vaddr: address, p_paddr: address, p_filesz: size, p_memsz: size });
  const segments: SegmentSpec[] = [
    hello.segments![0]!,
    { p_flags: PF_R | PF_W, p_vaddr: DATA_ADDRESS, p_align: 0x1000n, data },
    { p_type: PT_DYNAMIC, p_flags: PF_R | PF_W, p_align: 8n, ...over(DATA_OFFSET, DATA_ADDRESS, dynamicSize) },
    ...(options.relro ? [{ p_type: PT_GNU_RELRO, p_flags: PF_R, p_align: 1n, ...over(DATA_OFFSET, DATA_ADDRESS, dataSize) }] : []),
    { p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n },
  ];
  const section = (fields: SectionSpec, offset: bigint, address: bigint, size: bigint): SectionSpec => ({ sh_offset: offset, sh_addr: address, sh_size: size, ...fields });
  const DYNSTR_INDEX = 3;
  const sections: SectionSpec[] = [
    {},
    { name: '.shstrtab' },
    section({ name: '.dynamic', sh_type: SHT_DYNAMIC, sh_flags: SHF_ALLOC | SHF_WRITE, sh_link: DYNSTR_INDEX, sh_addralign: 8n, sh_entsize: BigInt(DYN_SIZE) }, DATA_OFFSET, DATA_ADDRESS, dynamicSize),
    section({ name: '.dynstr', sh_type: SHT_STRTAB, sh_flags: SHF_ALLOC, sh_addralign: 1n }, DATA_OFFSET + dynamicSize, stringsAddress, stringsSize),
    section({ name: '.dynsym', sh_type: SHT_DYNSYM, sh_flags: SHF_ALLOC, sh_link: DYNSTR_INDEX, sh_info: 1, sh_addralign: 8n, sh_entsize: BigInt(SYM_SIZE) },
      DATA_OFFSET + dynamicSize + stringsPadded, symbolsAddress, symbolsSize),
  ];
  return { ...hello, header: { ...hello.header, e_shstrndx: 1 }, segments, sections };
}

/** Every protection the hardening rules look for in a file of this shape. */
export const HARDENED_HELLO: DynamicHelloOptions = { relro: true, bindNow: true, imports: ['__stack_chk_fail', '__memcpy_chk'] };

export const HARDENING_TWINS: readonly CorpusEntry[] = [
  { name: 'hello-dynamic', trips: undefined, description: 'hello as a PIE with a dynamic section, full RELRO, a stack protector and fortified calls: every hardening check passes', spec: dynamicHelloSpec(HARDENED_HELLO) },
  { name: 'hello-dynamic-no-relro', trips: 'hardening-relro', description: 'no PT_GNU_RELRO: the dynamic data stays writable', spec: dynamicHelloSpec({ ...HARDENED_HELLO, relro: false }) },
  { name: 'hello-dynamic-lazy', trips: 'hardening-bind-now', description: 'PT_GNU_RELRO without BIND_NOW: partial RELRO', spec: dynamicHelloSpec({ ...HARDENED_HELLO, bindNow: false }) },
  { name: 'hello-dynamic-textrel', trips: 'hardening-textrel', description: 'DT_TEXTREL: relocations write to read-only code', spec: dynamicHelloSpec({ ...HARDENED_HELLO, textrel: true }) },
  { name: 'hello-dynamic-rpath', trips: 'hardening-rpath', description: 'DT_RPATH /opt/hello/lib', spec: dynamicHelloSpec({ ...HARDENED_HELLO, rpath: '/opt/hello/lib' }) },
  { name: 'hello-dynamic-runpath', trips: 'hardening-runpath', description: 'DT_RUNPATH /opt/hello/lib', spec: dynamicHelloSpec({ ...HARDENED_HELLO, runpath: '/opt/hello/lib' }) },
  { name: 'hello-dynamic-no-canary', trips: 'hardening-canary', description: 'no __stack_chk_fail among the symbols: built without a stack protector', spec: dynamicHelloSpec({ ...HARDENED_HELLO, imports: ['__memcpy_chk'] }) },
  { name: 'hello-dynamic-unfortified', trips: 'hardening-fortify', description: 'calls memcpy, not __memcpy_chk: built without _FORTIFY_SOURCE', spec: dynamicHelloSpec({ ...HARDENED_HELLO, imports: ['__stack_chk_fail', 'memcpy'] }) },
];
