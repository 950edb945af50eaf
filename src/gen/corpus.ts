// The example corpus: the hello-world layout and broken twins of it, each
// built to trip one rule. scripts/make-corpus.mjs writes them to corpus/;
// the tests rebuild them and check both the bytes and the findings.
import { DOCKER_HELLO_MESSAGE, HELLO_ARCHES, helloSpec, helloSpecFor, TINY_ALIGN, TINY_BASE } from './templates.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';
import { HARDENING_TWINS } from './hardening-twins.js';
import { NOTE_TWINS } from './note-twins.js';
import { SYMBOL_TWINS } from './symbol-twins.js';
import { DYNAMIC_TWINS } from './dynamic-twins.js';
import {
  PF_R, PF_W, PF_X, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, PT_GNU_STACK, PT_INTERP, PT_NOTE, PT_PHDR,
  SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS, SHT_RELA, SHT_STRTAB, SHT_SYMTAB,
} from '../model/constants.js';

export interface CorpusEntry {
  readonly name: string;
  /** The rule the file is built to trip; undefined for clean files. */
  readonly trips: string | undefined;
  /** Other rules the same damage necessarily trips. */
  readonly alsoTrips?: readonly string[];
  /** Opt-in rules (off by default) the file trips when they are enabled: what it lacks rather than what is broken. */
  readonly optInTrips?: readonly string[];
  readonly description: string;
  readonly spec: ElfSpec;
  /** The e_machine of the system the twin is checked for (`--machine`), when not its own. */
  readonly machine?: string;
}

const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'));
const helloPie = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'), { pie: true });
const helloSegment: SegmentSpec = hello.segments![0]!;
const HELLO_SIZE = 910n;
const INTERP_PATH = Buffer.from('/lib64/ld-linux-x86-64.so.2\0', 'latin1');

/** A little-endian 64-bit value, for raw patches that bypass the layout. */
function le64(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}

function withHeader(header: ElfSpec['header']): ElfSpec {
  return { ...hello, header: { ...hello.header, ...header } };
}

function withIdent(ident: ElfSpec['ident']): ElfSpec {
  return { ...hello, ident };
}

/** hello with its segment changed; e_entry stays at the code unless the twin moves it. */
function withSegment(fields: SegmentSpec, header: ElfSpec['header'] = {}): ElfSpec {
  return { ...hello, header: { ...hello.header, e_entry: TINY_BASE + 0x78n, ...header }, segments: [{ ...helloSegment, ...fields }] };
}

/** hello with extra program headers; e_entry follows the code to its new offset. */
function withExtraSegments(before: SegmentSpec[], after: SegmentSpec[] = []): ElfSpec {
  return { ...hello, segments: [...before, helloSegment, ...after] };
}

function withSections(sections: SectionSpec[], header: ElfSpec['header'] = {}): ElfSpec {
  return { ...hello, header: { ...hello.header, ...header }, sections };
}

const nameTable: SectionSpec[] = [{}, { name: '.shstrtab' }];
/** A .symtab holding only the null symbol, linked to a .strtab (section 3). */
const symtab = (fields: SectionSpec = {}): SectionSpec => ({
  name: '.symtab', sh_type: SHT_SYMTAB, data: new Uint8Array(24), sh_addralign: 8n, sh_entsize: 24n, sh_link: 3, sh_info: 1, ...fields,
});
const strtab: SectionSpec = { name: '.strtab', sh_type: SHT_STRTAB, data: Buffer.from('\0_start\0', 'latin1') };
/** hello's code as a .text section: the 0x20 bytes after the headers, mapped by the only PT_LOAD. */
const helloText = (fields: SectionSpec = {}): SectionSpec => ({
  name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, sh_addr: TINY_BASE + 0x78n, sh_offset: 0x78n, sh_size: 0x20n, sh_addralign: 8n, ...fields,
});
/** An .eh_frame_hdr section over 16 bytes of hello's message, inside the PT_LOAD (with two program headers the message moves). */
const ehFrameHdr: SectionSpec = { name: '.eh_frame_hdr', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC, sh_addr: TINY_BASE + 0x300n, sh_offset: 0x300n, sh_size: 0x10n, sh_addralign: 4n };
const ehFrameSegment = (fields: SegmentSpec): SegmentSpec => ({ p_type: PT_GNU_EH_FRAME, p_flags: PF_R, p_vaddr: TINY_BASE + 0x300n, p_offset: 0x300n, p_filesz: 0x10n, p_align: 4n, ...fields });
const interp = (fields: SegmentSpec = {}): SegmentSpec => ({ p_type: PT_INTERP, data: INTERP_PATH, p_align: 1n, ...fields });

/** What the hello of an architecture lacks: i386 runs it with READ_IMPLIES_EXEC (no PT_GNU_STACK), AArch64 code unmarked for BTI. */
const OPT_IN_BY_ARCH: Readonly<Record<string, string>> = { i386: 'hardening-nx', aarch64: 'hardening-bti' };

export const CORPUS: readonly CorpusEntry[] = [
  { name: 'hello', trips: undefined, optInTrips: ['hardening-pie'], description: 'the 910-byte Docker hello-world layout: one R+X PT_LOAD mapping the whole file, no sections', spec: hello },
  { name: 'hello-pie', trips: undefined, optInTrips: ['hardening-cet'], description: 'the same program as a position-independent ET_DYN at p_vaddr 0, finding its message RIP-relative', spec: helloPie },
  ...[...HELLO_ARCHES.keys()].map((arch): CorpusEntry => ({
    name: `hello-${arch}`, trips: undefined, ...(OPT_IN_BY_ARCH[arch] ? { optInTrips: [OPT_IN_BY_ARCH[arch]!] } : {}), description: `the same layout for Linux on ${arch}, encoded by gen/arch/${arch}.ts`,
    spec: helloSpecFor(arch, Buffer.from(`Hello from ${arch}!\n`, 'utf8')),
  })),
  { name: 'hello-ident-class', trips: 'ident-class', description: 'EI_CLASS 0; Linux still runs it', spec: withIdent({ class: 0 }) },
  { name: 'hello-elf32', trips: 'header-ehsize', alsoTrips: ['header-shentsize'], description: 'EI_CLASS says ELF32 over an ELF64 body: Linux x86-64 runs it, ELF32 readers misread the header', spec: { ...hello, raw: [{ offset: 4, bytes: Uint8Array.of(1) }] } },
  { name: 'hello-ident-data', trips: 'ident-data', description: 'EI_DATA 0; Linux still runs it', spec: withIdent({ data: 0 }) },
  { name: 'hello-ident-version', trips: 'ident-version', description: 'EI_VERSION 0', spec: withIdent({ version: 0 }) },
  { name: 'hello-ident-osabi', trips: 'ident-osabi', description: 'EI_OSABI 200, which nobody registers', spec: withIdent({ osabi: 200 }) },
  { name: 'hello-ident-padding', trips: 'ident-padding', description: 'text hidden in the e_ident padding', spec: withIdent({ pad: Buffer.from('hi!', 'latin1') }) },
  { name: 'hello-header-truncated', trips: 'header-truncated', alsoTrips: ['phdr-table-bounds'], description: 'cut off after 60 bytes', spec: { ...hello, size: 60 } },
  { name: 'hello-type-none', trips: 'header-type', description: 'e_type ET_NONE', spec: withHeader({ e_type: 0 }) },
  { name: 'hello-386-elf64', trips: 'header-machine-class', description: 'e_machine EM_386 in an ELF64 file: no loader reads that pair', spec: withHeader({ e_machine: 3 }) },
  { name: 'hello-machine-none', trips: 'header-machine', description: 'e_machine EM_NONE', spec: withHeader({ e_machine: 0 }) },
  { name: 'hello-machine-aarch64', trips: 'machine-mismatch', machine: 'x86_64', description: 'e_machine AArch64, checked with --machine x86_64', spec: withHeader({ e_machine: 183 }) },
  { name: 'hello-header-version', trips: 'header-version', description: 'e_version 0', spec: withHeader({ e_version: 0 }) },
  { name: 'hello-ehsize', trips: 'header-ehsize', description: 'e_ehsize 0', spec: withHeader({ e_ehsize: 0 }) },
  { name: 'hello-phentsize', trips: 'header-phentsize', description: 'e_phentsize 0: execve fails with ENOEXEC', spec: withHeader({ e_phentsize: 0 }) },
  { name: 'hello-phnum-zero', trips: 'phdr-count', description: 'e_phnum 0: execve fails with ENOEXEC', spec: withHeader({ e_phnum: 0 }) },
  { name: 'hello-phoff-past-eof', trips: 'phdr-table-bounds', description: 'e_phoff patched to point past the end of the file (the table itself stays at 64)', spec: { ...hello, raw: [{ offset: 32, bytes: le64(0x1000n) }] } },
  { name: 'hello-shoff-past-eof', trips: 'shdr-table-bounds', description: 'a section header table promised past the end of the file', spec: withHeader({ e_shoff: 0x10000n, e_shnum: 1, e_shentsize: 64 }) },
  { name: 'hello-shentsize', trips: 'header-shentsize', description: 'sections with e_shentsize 32', spec: withSections(nameTable, { e_shentsize: 32 }) },
  { name: 'hello-shstrndx', trips: 'header-shstrndx', description: 'e_shstrndx past the section table', spec: withSections(nameTable, { e_shstrndx: 7 }) },
  { name: 'hello-section-past-eof', trips: 'section-in-file', description: 'a PROGBITS section whose bytes lie past the end of the file', spec: withSections([...nameTable, { name: '.comment', sh_type: 1, sh_offset: 0x10000n, sh_size: 0x10n }]) },
  { name: 'hello-section-name', trips: 'section-name-in-strtab', description: 'a section whose sh_name points past .shstrtab', spec: withSections([...nameTable, { sh_name: 0x100, sh_type: 1 }]) },
  { name: 'hello-section-align', trips: 'section-align-invalid', description: 'a section with sh_addralign 3', spec: withSections([...nameTable, { name: '.comment', sh_type: 1, sh_addralign: 3n }]) },
  { name: 'hello-section-zero', trips: 'section-zero-null', description: 'section header 0 with sh_size 16, though e_shnum holds the count', spec: withSections([{ sh_size: 0x10n }, { name: '.shstrtab' }]) },
  { name: 'hello-section-misaligned', trips: 'section-misaligned', description: 'hello\'s code as a .text with sh_addralign 16 at 0x400078, a multiple of 8 only', spec: withSections([...nameTable, helloText({ sh_addralign: 16n })]) },
  { name: 'hello-section-flags', trips: 'section-flags', description: 'a .comment section with sh_flags 0x1000, a bit no standard defines', spec: withSections([...nameTable, { name: '.comment', sh_type: SHT_PROGBITS, sh_flags: 0x1000n, data: Buffer.from('hello\0', 'latin1') }]) },
  { name: 'hello-section-flags-processor', trips: 'section-flags', description: 'an x86-64 .text.pure with SHF_ARM_PURECODE (0x20000000), a processor bit only ARM defines', spec: withSections([...nameTable, { name: '.text.pure', sh_type: SHT_PROGBITS, sh_flags: 0x20000000n, data: Uint8Array.of(0xc3) }]) },
  { name: 'hello-section-overlap', trips: 'sections-overlap', description: 'a .comment section over the program header table', spec: withSections([...nameTable, { name: '.comment', sh_type: SHT_PROGBITS, sh_offset: 0x40n, sh_size: 0x10n }]) },
  { name: 'hello-strtab-unterminated', trips: 'strtab-terminated', description: 'a .strtab whose last name runs to the end of the section without a NUL', spec: withSections([...nameTable, symtab(), { ...strtab, data: Buffer.from('\0_start', 'latin1') }]) },
  {
    name: 'hello-section-link', trips: 'section-link', description: 'a .rela.text whose sh_link names the string table instead of the symbol table',
    spec: withSections([...nameTable, symtab(), strtab, { name: '.rela.text', sh_type: SHT_RELA, data: new Uint8Array(24), sh_addralign: 8n, sh_entsize: 24n, sh_link: 3 }]),
  },
  { name: 'hello-section-entsize', trips: 'section-entsize', description: 'an ELF64 .symtab with sh_entsize 16, the ELF32 symbol size', spec: withSections([...nameTable, symtab({ sh_entsize: 16n }), strtab]) },
  { name: 'hello-section-special-type', trips: 'section-special-type', description: 'a .note.ABI-tag typed SHT_PROGBITS: note readers skip it', spec: withSections([...nameTable, { name: '.note.ABI-tag', sh_type: SHT_PROGBITS, data: new Uint8Array(32), sh_addralign: 4n }]) },
  { name: 'hello-section-outside-segment', trips: 'section-outside-segment', description: 'an allocated .bss at 0x600000, where no PT_LOAD maps memory', spec: withSections([...nameTable, { name: '.bss', sh_type: SHT_NOBITS, sh_flags: SHF_ALLOC | SHF_WRITE, sh_addr: 0x600000n, sh_size: 0x100n, sh_addralign: 32n }]) },
  { name: 'hello-segment-outside-load', trips: 'segment-outside-load', description: 'PT_GNU_EH_FRAME at 0x500000, which no PT_LOAD maps: unwinders read unmapped memory', spec: withExtraSegments([], [ehFrameSegment({ p_vaddr: 0x500000n })]) },
  {
    name: 'hello-gnu-property-outside-note', trips: 'gnu-property-in-note', description: 'PT_GNU_PROPERTY over 32 bytes of the code with no PT_NOTE around it: note scanners miss the properties',
    spec: withExtraSegments([], [{ p_type: PT_GNU_PROPERTY, p_flags: PF_R, p_vaddr: TINY_BASE + 0xb0n, p_offset: 0xb0n, p_filesz: 0x20n, p_align: 8n }]),
  },
  {
    name: 'hello-segment-section-mismatch', trips: 'segment-section-mismatch', description: 'PT_GNU_EH_FRAME 16 bytes after the .eh_frame_hdr section it should describe',
    spec: { ...withExtraSegments([], [ehFrameSegment({ p_vaddr: TINY_BASE + 0x310n, p_offset: 0x310n })]), sections: [...nameTable, ehFrameHdr] },
  },
  { name: 'hello-no-load', trips: 'no-load-segment', alsoTrips: ['note-bounds', 'note-alignment'], description: 'the only segment is PT_NOTE (over the whole file, p_align 2 MiB): nothing is mapped, and its bytes are no notes', spec: withSegment({ p_type: PT_NOTE }) },
  { name: 'hello-load-past-eof', trips: 'load-segment-in-file', description: 'the PT_LOAD maps 8 KiB of a 910-byte file', spec: withSegment({ p_filesz: 0x2000n, p_memsz: 0x2000n }) },
  { name: 'hello-filesz-gt-memsz', trips: 'segment-filesz-exceeds-memsz', description: 'p_filesz > p_memsz: killed during execve', spec: withSegment({ p_memsz: 0x100n }) },
  { name: 'hello-bss-readonly', trips: 'segment-bss-not-writable', description: 'a read-only segment with a zero-fill tail', spec: withSegment({ p_memsz: 0x1000n }) },
  { name: 'hello-align-invalid', trips: 'segment-align-invalid', description: 'p_align 0x3000 is not a power of two', spec: withSegment({ p_align: 0x3000n }) },
  { name: 'hello-page-incongruent', trips: 'segment-page-congruence', description: 'p_vaddr 0x400010 with p_offset 0: mmap fails, killed during execve', spec: withSegment({ p_vaddr: TINY_BASE + 0x10n, p_paddr: TINY_BASE + 0x10n }) },
  { name: 'hello-align-incongruent', trips: 'segment-align-congruence', description: 'congruent modulo the page but not modulo p_align 2 MiB; Linux runs it', spec: withSegment({ p_vaddr: TINY_BASE + 0x1000n, p_paddr: TINY_BASE + 0x1000n }, { e_entry: TINY_BASE + 0x1078n }) },
  { name: 'hello-low-address', trips: 'segment-below-mmap-min-addr', description: 'linked at 0x1000, below vm.mmap_min_addr', spec: withSegment({ p_vaddr: 0x1000n, p_paddr: 0x1000n, p_align: 0x1000n }, { e_entry: 0x1078n }) },
  {
    name: 'hello-top-of-user-space', trips: 'segment-address-range', description: 'an 8 KiB segment ending at 0x800000000000, past TASK_SIZE',
    spec: { ...withSegment({ p_vaddr: 0x7fffffffe000n, p_paddr: 0x7fffffffe000n, p_align: 0x1000n, p_filesz: 0x2000n, p_memsz: 0x2000n }, { e_entry: 0x7fffffffe078n }), size: 0x2000 },
  },
  { name: 'hello-unsorted', trips: 'load-segments-sorted', description: 'a second PT_LOAD at a lower address than the first', spec: withExtraSegments([], [{ p_flags: PF_R, p_vaddr: 0x300000n, p_offset: 0n, p_filesz: 0x78n, p_align: 0x1000n }]) },
  { name: 'hello-overlap', trips: 'load-segments-overlap', alsoTrips: ['entry-executable'], description: 'a second, read-only PT_LOAD over the first page: it replaces the code page, so the entry is no longer executable', spec: withExtraSegments([], [{ p_flags: PF_R, p_vaddr: TINY_BASE, p_offset: 0n, p_filesz: 0x78n, p_align: TINY_ALIGN }]) },
  { name: 'hello-interp-count', trips: 'interp-count', description: 'two PT_INTERP entries', spec: withExtraSegments([interp(), interp()]) },
  { name: 'hello-interp-order', trips: 'interp-order', description: 'PT_INTERP after the PT_LOAD', spec: withExtraSegments([], [interp()]) },
  { name: 'hello-interp-size', trips: 'interp-size', description: 'PT_INTERP p_filesz 1: ENOEXEC', spec: withExtraSegments([interp({ p_filesz: 1n })]) },
  { name: 'hello-interp-past-eof', trips: 'interp-in-file', description: 'PT_INTERP path past the end of the file: EIO', spec: withExtraSegments([interp({ p_offset: 0x10000n })]) },
  {
    name: 'hello-bss-32tib', trips: 'segment-overcommit', description: 'a writable PT_LOAD with a 32 TiB bss: no system has the memory, execve kills the process (ENOMEM)',
    spec: withExtraSegments([], [{ p_flags: PF_R | PF_W, p_vaddr: 0x10000000n, p_offset: 0n, p_filesz: 0n, p_memsz: 1n << 45n, p_align: 0x1000n }]),
  },
  { name: 'hello-interp-empty', trips: 'interp-empty', description: 'PT_INTERP path that starts with NUL: the empty path is the working directory, EACCES', spec: withExtraSegments([interp({ data: Buffer.from('\0/lib64/ld-linux-x86-64.so.2\0', 'latin1') })]) },
  { name: 'hello-interp-nul', trips: 'interp-nul', description: 'PT_INTERP path without its NUL: ENOEXEC', spec: withExtraSegments([interp({ data: INTERP_PATH.subarray(0, -1) })]) },
  { name: 'hello-phdr-uncovered', trips: 'phdr-segment-covered', description: 'PT_PHDR at an address no PT_LOAD maps', spec: withExtraSegments([{ p_type: PT_PHDR, p_vaddr: 0x900000n, p_offset: 64n, p_filesz: 112n, p_align: 8n }]) },
  {
    name: 'hello-pie-huge-align', trips: 'pie-placement', description: 'the PIE variant with p_align 2^63: the kernel aligns its base down to address 0',
    spec: { ...helloPie, segments: [{ ...helloPie.segments![0]!, p_align: 1n << 63n }] },
  },
  { name: 'hello-wx', trips: 'wx-segment', description: 'the code segment is writable too', spec: withSegment({ p_flags: PF_R | PF_W | PF_X }) },
  { name: 'hello-exec-stack', trips: 'exec-stack', description: 'PT_GNU_STACK asks for an executable stack', spec: withExtraSegments([], [{ p_type: PT_GNU_STACK, p_flags: PF_R | PF_W | PF_X, p_align: 16n }]) },
  { name: 'hello-entry-zero', trips: 'entry-zero', description: 'e_entry 0', spec: withHeader({ e_entry: 0n }) },
  { name: 'hello-entry-kernel', trips: 'entry-user-space', description: 'e_entry in kernel space: killed during execve', spec: withHeader({ e_entry: 0xffffffff81000000n }) },
  { name: 'hello-entry-outside', trips: 'entry-in-load-segment', description: 'e_entry 0x500000, which nothing maps', spec: withHeader({ e_entry: 0x500000n }) },
  { name: 'hello-entry-not-executable', trips: 'entry-executable', description: 'the code segment lacks PF_X', spec: withSegment({ p_flags: PF_R }, { e_entry: TINY_BASE + 0x78n }) },
  {
    name: 'hello-entry-in-bss', trips: 'entry-file-backed', alsoTrips: ['segment-bss-not-writable'],
    description: 'p_filesz stops at the headers, so the entry is in zero-fill memory',
    spec: withSegment({ p_filesz: 0x78n, p_memsz: HELLO_SIZE }),
  },
  ...HARDENING_TWINS,
  ...NOTE_TWINS,
  ...SYMBOL_TWINS,
  ...DYNAMIC_TWINS,
];

/** corpus/README.md, generated so that it always matches the files. */
export function corpusReadme(): string {
  const rows = CORPUS.map((entry) => {
    const tripped = entry.trips ? [entry.trips, ...(entry.alsoTrips ?? [])].map((id) => `\`${id}\``).join(', ') : 'clean';
    const optIn = entry.optInTrips?.length ? `; opt-in: ${entry.optInTrips.map((id) => `\`${id}\``).join(', ')}` : '';
    const rules = `${tripped}${optIn}`;
    const name = entry.machine === undefined ? `\`${entry.name}\`` : `\`${entry.name}\` (with \`--machine ${entry.machine}\`)`;
    return `| ${name} | ${rules} | ${entry.description} |`;
  });
  return [
    '# The corpus',
    '',
    'Every file here is written by `npm run corpus` (scripts/make-corpus.mjs) from the specs in',
    'src/gen/corpus.ts, and `npm test` checks that the committed bytes still match a fresh build and',
    'that each file trips the rules listed. Do not edit these files by hand.',
    '',
    '`hello` is the Docker hello-world layout, byte for byte the original 910-byte image file. Each',
    '`hello-*` twin changes one thing in it to trip one rule (the second column; a few kinds of',
    'damage necessarily trip a second rule too). Run `elf-lint corpus/NAME` to see the finding and',
    '`elf-lint explain RULE` for the background. Rules marked opt-in are off by default (the',
    '`hardening` and `all` profiles run them): the file lacks a protection rather than being broken.',
    '',
    '| file | trips | what is wrong |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
