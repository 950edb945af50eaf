// A passing case for every rule: a file as close to the rule's boundary as
// possible that must not trip it. The failing cases are the corpus twins
// (corpus.test.ts), one per rule.
import { describe, expect, it } from 'vitest';
import type { ElfSpec, SegmentSpec } from '../src/gen/spec.js';
import { RECOMMENDED_RULES, RULES } from '../src/rules/registry.js';
import { lintParsed } from '../src/rules/engine.js';
import type { Rule } from '../src/rules/rule.js';
import { DEFAULT_ASSUMPTIONS } from '../src/model/assumptions.js';
import {
  DF_1_PIE, DT_FLAGS_1, DT_HASH, DT_NEEDED,
  PF_R, PF_W, PF_X, PN_XNUM, PT_GNU_EH_FRAME, PT_GNU_PROPERTY, PT_GNU_RELRO, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_NOTE, PT_NULL, PT_PHDR, PT_TLS,
  SHF_ALLOC, SHF_EXECINSTR, SHF_INFO_LINK, SHF_MERGE, SHF_STRINGS, SHF_TLS, SHF_WRITE, SHT_DYNSYM, SHT_NOBITS, SHT_PROGBITS, SHT_RELA, SHT_STRTAB, SHT_SYMTAB,
} from '../src/model/constants.js';
import type { ElfFile } from '../src/model/elf.js';
import { helloSpec, helloSpecFor } from '../src/gen/templates.js';
import { dynamicHelloSpec, HARDENED_HELLO } from '../src/gen/hardening-twins.js';
import { staticSymbols, symbolHelloSpec, versionedHelloSpec } from '../src/gen/symbol-twins.js';
import {
  SHN_ABS, SHN_XINDEX, SHT_SYMTAB_SHNDX, STB_GLOBAL, STB_GNU_UNIQUE, STT_GNU_IFUNC, STT_NOTYPE, STT_TLS, STV_PROTECTED, VER_FLG_WEAK, VERSYM_HIDDEN,
} from '../src/model/constants.js';
import { HELLO, helloWithHeader, helloWithSegment, lintSpec, parseSpec, ruleIds } from './support.js';
import { ABI_TAG, BUILD_ID, coreSpec, helloWithCompressed, helloWithNotes, noteSection, objectSpec, x86Property } from '../src/gen/note-twins.js';
import type { LintOptions } from '../src/rules/engine.js';
import { dropTag, linkedHelloSpec, setTag, type Tag } from '../src/gen/dynamic-twins.js';

const code: SegmentSpec = HELLO.segments![0]!;
const interp = (path: string, fields: SegmentSpec = {}): SegmentSpec => ({ p_type: PT_INTERP, p_align: 1n, data: Buffer.from(path, 'latin1'), ...fields });
const withSegments = (...segments: SegmentSpec[]): ElfSpec => ({ ...HELLO, header: { e_entry: 0x400078n }, segments });
const named = [{}, { name: '.shstrtab' }];
const withGnuStack = (spec: ElfSpec): ElfSpec => ({ ...spec, segments: [...spec.segments!, { p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n }] });
const sizedLoad = (vaddr: bigint, size: bigint): ElfSpec => ({
  ...helloWithSegment({ p_vaddr: vaddr, p_paddr: vaddr, p_align: 0x1000n, p_filesz: size, p_memsz: size }),
  header: { e_entry: vaddr + 0x78n },
  size: Number(size),
});

/** hello's code as an allocated section inside its PT_LOAD, 8-aligned at 0x400078. */
const text = { name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, sh_addr: 0x400078n, sh_offset: 0x78n, sh_size: 0x20n, sh_addralign: 8n };
/** A symbol table of the null symbol and one global, with its string table (section 3) and a relocation section (4) for .text (5). */
const tables = [
  ...named,
  { name: '.symtab', sh_type: SHT_SYMTAB, data: new Uint8Array(48), sh_addralign: 8n, sh_entsize: 24n, sh_link: 3, sh_info: 2 },
  { name: '.strtab', sh_type: SHT_STRTAB, data: Buffer.from('\0_start\0', 'latin1') },
  { name: '.rela.text', sh_type: SHT_RELA, sh_flags: SHF_INFO_LINK, data: new Uint8Array(24), sh_addralign: 8n, sh_entsize: 24n, sh_link: 2, sh_info: 5 },
  text,
];
/** A TLS template in hello's segment (.tdata's 8 bytes at 0x400100) with a .tbss beyond every PT_LOAD, and the PT_TLS for both. */
const tlsSegment: SegmentSpec = { p_type: PT_TLS, p_flags: PF_R, p_vaddr: 0x400100n, p_offset: 0x100n, p_filesz: 8n, p_memsz: 0x1010n, p_align: 16n };
const tls = {
  ...withSegments(code, tlsSegment),
  sections: [
    ...named,
    { name: '.tdata', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_WRITE | SHF_TLS, sh_addr: 0x400100n, sh_offset: 0x100n, sh_size: 8n, sh_addralign: 16n },
    { name: '.tbss', sh_type: SHT_NOBITS, sh_flags: SHF_ALLOC | SHF_WRITE | SHF_TLS, sh_addr: 0x400108n, sh_offset: 0x108n, sh_size: 0x1000n, sh_addralign: 8n },
  ],
};
/** A writable zero-fill PT_LOAD of two pages at 0x600000, and a PT_GNU_RELRO of `size` bytes at its start. */
const bss: SegmentSpec = { p_flags: PF_R | PF_W, p_vaddr: 0x600000n, p_offset: 0n, p_filesz: 0n, p_memsz: 0x2000n, p_align: 0x1000n };
const relro = (size: bigint, vaddr = 0x600000n): SegmentSpec => ({ p_type: PT_GNU_RELRO, p_flags: PF_R, p_vaddr: vaddr, p_offset: 0n, p_memsz: size, p_align: 1n });
const ehFrameHdr = { name: '.eh_frame_hdr', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC, sh_addr: 0x400300n, sh_offset: 0x300n, sh_size: 0x10n, sh_addralign: 4n };
const ehFrame = { p_type: PT_GNU_EH_FRAME, p_flags: PF_R, p_vaddr: 0x400300n, p_offset: 0x300n, p_filesz: 0x10n, p_memsz: 0x10n, p_align: 4n };

const passing: Record<string, { spec: ElfSpec; options?: LintOptions; why: string }> = {
  'ident-class': { spec: { ...HELLO, ident: { class: 2 } }, why: 'ELFCLASS64' },
  'ident-data': { spec: { ...HELLO, ident: { data: 2 } }, why: 'a consistent big-endian file' },
  'ident-version': { spec: { ...HELLO, ident: { version: 1 } }, why: 'EV_CURRENT' },
  'ident-osabi': { spec: { ...HELLO, ident: { osabi: 3 } }, why: 'ELFOSABI_GNU' },
  'ident-padding': { spec: HELLO, why: 'zero padding' },
  'header-truncated': { spec: { ...HELLO, header: { e_phnum: 0, e_phentsize: 0, e_type: 1, e_entry: 0n }, segments: [], size: 64 }, why: 'exactly 64 bytes' },
  'header-type': { spec: helloWithHeader({ e_type: 0xfe01 }), why: 'an OS-specific type' },
  'header-machine': { spec: helloWithHeader({ e_machine: 183 }), why: 'AArch64 is a known machine' },
  'header-machine-class': { spec: { ...HELLO, ident: { class: 1 }, header: { e_machine: 3 } }, why: 'EM_386 in an ELF32 file' },
  'machine-mismatch': { spec: HELLO, options: { assumptions: { ...DEFAULT_ASSUMPTIONS, machine: 'x86_64' } }, why: 'x86-64 on x86-64' },
  'header-version': { spec: HELLO, why: 'EV_CURRENT' },
  'header-ehsize': { spec: HELLO, why: '64 bytes' },
  'header-phentsize': { spec: { header: { e_type: 1, e_phentsize: 0 } }, why: 'a relocatable object without program headers' },
  'header-shentsize': { spec: { ...HELLO, sections: named }, why: 'sections with 64-byte entries' },
  'header-shstrndx': { spec: { ...HELLO, sections: named }, why: 'e_shstrndx names .shstrtab' },
  'phdr-table-bounds': { spec: { ...HELLO, header: { e_phoff: 910n - 56n } }, why: 'a table ending exactly at EOF' },
  'phdr-count': {
    spec: withSegments(code, ...Array.from({ length: 1169 }, (): SegmentSpec => ({ p_type: PT_NULL, p_align: 0n }))),
    why: '1170 program headers, the kernel maximum',
  },
  'shdr-table-bounds': { spec: { ...HELLO, sections: named }, why: 'a section table ending at EOF' },
  'section-in-file': { spec: { ...HELLO, sections: [...named, { name: '.bss', sh_type: SHT_NOBITS, sh_offset: 0x100000n, sh_size: 0x1000n }] }, why: 'NOBITS takes no file space' },
  'section-name-in-strtab': { spec: { ...HELLO, sections: [...named, { name: '.data', sh_type: 1 }] }, why: 'every name inside .shstrtab' },
  'section-align-invalid': { spec: { ...HELLO, sections: [...named, { name: '.data', sh_type: 1, sh_addralign: 0n }, { name: '.text', sh_type: 1, sh_addralign: 4096n }] }, why: 'alignments 0 and 4096' },
  'section-zero-null': { spec: { ...HELLO, header: { e_phnum: PN_XNUM }, sections: [{ sh_info: 1 }, { name: '.shstrtab' }] }, why: 'sh_info holds the program header count for e_phnum PN_XNUM' },
  'section-misaligned': {
    spec: { ...HELLO, sections: [...named, text, { name: '.comment', sh_type: SHT_PROGBITS, data: Uint8Array.of(1), sh_addralign: 8n }, { name: '.bss', sh_type: SHT_NOBITS, sh_flags: SHF_ALLOC | SHF_WRITE, sh_addr: 0x400400n, sh_offset: 0x3n, sh_size: 0n, sh_addralign: 64n }] },
    why: 'an allocated section aligned in memory, a non-allocated one in the file, and a NOBITS section whose offset does not matter',
  },
  'sections-overlap': {
    spec: { ...HELLO, sections: [...named, { name: '.comment', sh_type: SHT_PROGBITS, sh_offset: 0x78n, sh_size: 0x10n }, { name: '.note', sh_type: SHT_PROGBITS, sh_offset: 0x88n, sh_size: 0x10n }, { name: '.empty', sh_type: SHT_PROGBITS, sh_offset: 0x40n, sh_size: 0n }, { name: '.bss', sh_type: SHT_NOBITS, sh_offset: 0n, sh_size: 0x100n }] },
    why: 'sections that touch, an empty one in the program header table and a NOBITS one over the ELF header',
  },
  'strtab-terminated': { spec: { ...HELLO, sections: [...tables, { name: '.dynstr', sh_type: SHT_STRTAB, sh_offset: 0x78n, sh_size: 0n }] }, why: 'NUL first and last, and an empty table' },
  'section-link': { spec: { ...HELLO, sections: tables }, why: 'a symbol table linked to its names, relocations linked to it and to the section they patch' },
  'section-entsize': { spec: { ...HELLO, sections: tables }, why: 'ELF64 symbol and relocation sizes' },
  'section-special-type': {
    spec: { ...HELLO, sections: [...named, text, { name: '.note.GNU-stack', sh_type: SHT_PROGBITS }, { name: '.text.unlikely', sh_type: SHT_NOBITS }] },
    why: '.text as the gABI says, the assembler\'s .note.GNU-stack marker, and a name that is not special',
  },
  'section-outside-segment': {
    spec: { ...tls, sections: [...tls.sections, text, { name: '.bss', sh_type: SHT_NOBITS, sh_flags: SHF_ALLOC | SHF_WRITE, sh_addr: 0x600000n, sh_size: 0n }] },
    why: '.text and .tdata mapped by the PT_LOAD, .tbss outside every PT_LOAD, and an empty .bss',
  },
  'segment-outside-load': {
    spec: withSegments(code, bss, tlsSegment, ehFrame, relro(0x601800n - 0x600000n)),
    why: 'a TLS image and an unwind table inside the code PT_LOAD, and a RELRO range whose protected page is in a writable PT_LOAD',
  },
  'gnu-property-in-note': {
    spec: withSegments(code, { p_type: PT_NOTE, p_flags: PF_R, p_vaddr: 0x4000b0n, p_offset: 0xb0n, p_filesz: 0x40n, p_align: 8n }, { p_type: PT_GNU_PROPERTY, p_flags: PF_R, p_vaddr: 0x4000d0n, p_offset: 0xd0n, p_filesz: 0x20n, p_align: 8n }),
    why: 'the property note at the end of a PT_NOTE, as lld lays it out',
  },
  'segment-section-mismatch': {
    spec: { ...withSegments(code, ehFrame, tlsSegment), sections: [...tls.sections, ehFrameHdr] },
    why: 'PT_GNU_EH_FRAME is .eh_frame_hdr and PT_TLS covers .tdata and .tbss, its p_memsz rounded up',
  },
  'no-load-segment': { spec: HELLO, why: 'one PT_LOAD' },
  'load-segment-in-file': { spec: HELLO, why: 'the segment ends exactly at EOF' },
  'segment-filesz-exceeds-memsz': { spec: HELLO, why: 'p_filesz == p_memsz' },
  'segment-bss-not-writable': {
    spec: withSegments(code, { p_flags: PF_R | PF_W, p_vaddr: 0x601000n, p_offset: 0n, p_filesz: 0n, p_memsz: 0x1000n }),
    why: 'a writable bss segment',
  },
  'segment-align-invalid': { spec: withSegments(code, { p_type: PT_NULL, p_align: 0n }, { p_type: PT_NULL, p_align: 1n }), why: 'p_align 0 and 1' },
  'segment-page-congruence': {
    spec: withSegments(code, { p_flags: PF_R, p_offset: 0x10n, p_vaddr: 0x601010n, p_filesz: 0x10n, p_align: 0x1000n }),
    why: 'congruent but not page aligned',
  },
  'segment-align-congruence': { spec: { ...helloWithSegment({ p_vaddr: 0x401000n, p_align: 0x1000n }), header: { e_entry: 0x401078n } }, why: 'p_align matches the page congruence' },
  'load-segments-sorted': { spec: withSegments(code, { p_flags: PF_R, p_vaddr: 0x600000n, p_offset: 0n, p_filesz: 0x78n, p_align: 0x1000n }), why: 'ascending' },
  'load-segments-overlap': {
    spec: withSegments(code, { p_flags: PF_R, p_vaddr: 0x400400n, p_offset: 0x400n, p_filesz: 0n, p_memsz: 0x10n, p_align: 0x1000n }),
    why: 'sharing a page, not bytes',
  },
  'segment-address-range': { spec: sizedLoad(0x7fffffffe000n, 0x1000n), why: 'ends exactly at TASK_SIZE - 0x1000' },
  'segment-below-mmap-min-addr': { spec: sizedLoad(0x10000n, 0x38en), why: 'exactly at vm.mmap_min_addr' },
  'segment-overcommit': { spec: withSegments(code, { p_flags: PF_R | PF_W, p_vaddr: 0x10000000n, p_memsz: 16n << 40n, p_align: 0x1000n }), why: 'a 16 TiB bss: no more than the most memory assumed' },
  'pie-placement': { spec: helloSpec(Buffer.from('x'), { pie: true }), why: 'a PIE the kernel can place anywhere' },
  'interp-count': { spec: withSegments(interp('/lib/ld.so\0'), code), why: 'one PT_INTERP' },
  'interp-order': { spec: withSegments(interp('/lib/ld.so\0'), code), why: 'PT_INTERP first' },
  'interp-size': { spec: withSegments(interp(`/${'x'.repeat(4094)}\0`), code), why: 'exactly 4096 bytes' },
  'interp-in-file': { spec: withSegments(interp('/x\0'), { ...code, data: code.data!.subarray(0, 0x27) }), why: 'the path ends at EOF' },
  'interp-nul': { spec: withSegments(interp('/x\0'), code), why: 'NUL-terminated' },
  'interp-empty': { spec: withSegments(interp('/x\0'), code), why: 'a non-empty path' },
  'phdr-segment-covered': { spec: withSegments({ p_type: PT_PHDR, p_offset: 64n, p_vaddr: 0x400040n, p_filesz: 112n, p_memsz: 112n, p_align: 8n }, code), why: 'inside the code PT_LOAD' },
  'wx-segment': { spec: HELLO, why: 'R-X' },
  'exec-stack': { spec: withSegments(code, { p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n }), why: 'RW- stack' },
  'entry-zero': { spec: { ...HELLO, header: { e_type: 3, e_entry: 0n } }, why: 'a shared library has no entry' },
  'entry-user-space': { spec: helloWithHeader({ e_entry: 0x7ffffffeffffn }), why: 'just below TASK_SIZE' },
  'entry-in-load-segment': { spec: helloWithHeader({ e_entry: 0x400000n + 909n }), why: 'the last byte of the segment' },
  'entry-executable': { spec: HELLO, why: 'R-X' },
  'entry-file-backed': { spec: helloWithSegment({ p_memsz: 0x1000n, p_flags: PF_R | PF_W | PF_X }), why: 'entry in the file-backed part' },
  'parse-damage': { spec: HELLO, why: 'nothing damaged' },
  'section-flags': {
    spec: { ...HELLO, sections: [...named, { name: '.rodata', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_MERGE | SHF_STRINGS, sh_entsize: 0n, data: Buffer.from('a\0', 'latin1') }, { name: '.kept', sh_type: SHT_PROGBITS, sh_flags: 0x80200000n, data: new Uint8Array(4) }, { name: '.ldata', sh_type: SHT_PROGBITS, sh_flags: 0x10000000n, data: new Uint8Array(4) }] },
    why: 'a linked file\'s merged strings with sh_entsize 0 (as lld writes them), OS and generic processor bits (SHF_GNU_RETAIN, SHF_EXCLUDE), and x86-64\'s own SHF_X86_64_LARGE',
  },
  // Symbol tables (corpus/hello-symtab) and versioned dynamic symbols (corpus/hello-versioned), at their boundaries.
  'symbol-name': { spec: symbolHelloSpec(), why: 'unnamed symbols (st_name 0) and _start, whose NUL is the last byte of .strtab' },
  'symbol-section': {
    spec: symbolHelloSpec(
      [...staticSymbols().slice(0, 3), { ...staticSymbols()[3], st_shndx: SHN_XINDEX }, { st_info: (STB_GLOBAL << 4) | 1, st_shndx: 0xff02, st_value: 8n, st_size: 8n }],
      {},
      [{ name: '.symtab_shndx', sh_type: SHT_SYMTAB_SHNDX, data: Uint8Array.of(...new Array(12).fill(0), 2, 0, 0, 0, 0, 0, 0, 0), sh_addralign: 4n, sh_entsize: 4n, sh_link: 3 }],
    ),
    why: 'SHN_ABS for the file symbol, SHN_XINDEX resolved through .symtab_shndx to .text, and a processor-specific index (SHN_X86_64_LCOMMON)',
  },
  'symbol-value-in-section': {
    spec: symbolHelloSpec([
      ...staticSymbols(),
      { st_info: (STB_GLOBAL << 4) | STT_NOTYPE, st_shndx: 2, st_value: 0x400098n },
      { st_info: (STB_GLOBAL << 4) | STT_NOTYPE, st_shndx: 2, st_value: 0x400000n },
      { st_info: (STB_GLOBAL << 4) | STT_TLS, st_shndx: 2, st_value: 0x10n, st_size: 8n },
      { st_info: (STB_GLOBAL << 4) | STT_NOTYPE, st_shndx: SHN_ABS, st_value: 0x12345n },
    ]),
    why: 'a symbol at the end of .text (_etext), a linker-defined one at the ELF header (__ehdr_start), a TLS offset and an absolute value',
  },
  'symbol-order': { spec: symbolHelloSpec(), why: 'the file and section symbols, then _start at sh_info 3' },
  'symbol-info': {
    spec: symbolHelloSpec([...staticSymbols(), { st_info: (STB_GNU_UNIQUE << 4) | STT_TLS, st_shndx: 2, st_value: 0x10n, st_size: 8n }, { st_info: (STB_GLOBAL << 4) | STT_GNU_IFUNC, st_other: STV_PROTECTED, st_shndx: 2, st_value: 0x400078n }]),
    why: 'an STB_GNU_UNIQUE TLS symbol (g++ thread_local template members) and a protected STT_GNU_IFUNC',
  },
  'dynsym-dynamic-match': { spec: versionedHelloSpec(), why: 'DT_SYMTAB, DT_SYMENT and the DT_VER* tags describe the sections' },
  'versym-count': { spec: versionedHelloSpec(), why: 'three versions for three dynamic symbols' },
  'version-index': { spec: versionedHelloSpec({ versym: [0, VERSYM_HIDDEN | 2, 3] }), why: 'a hidden version (0x8000 | 2) and a needed one' },
  'version-definitions': { spec: versionedHelloSpec({ verdef: [{}, { vd_flags: VER_FLG_WEAK }] }), why: 'the base version and a weak one, each with its name' },
  'version-needs': { spec: versionedHelloSpec({ vernaux: { vna_flags: VER_FLG_WEAK } }), why: 'a weak need of GLIBC_2.2.5 with index 3' },
  'version-hash': { spec: versionedHelloSpec(), why: 'hashes from elf_hash' },
  // The opt-in hardening rules: a dynamic PIE with every protection (corpus/hello-dynamic), and the boundaries of each.
  'hardening-pie': { spec: dynamicHelloSpec(HARDENED_HELLO), why: 'a PIE' },
  'hardening-relro': { spec: HELLO, why: 'a static executable: nothing for RELRO to protect, not applicable' },
  'hardening-bind-now': { spec: dynamicHelloSpec(HARDENED_HELLO), why: 'DF_BIND_NOW and DF_1_NOW' },
  'hardening-nx': { spec: withGnuStack(helloSpecFor('i386', Buffer.from('hi\n'))), why: 'i386 with a non-executable PT_GNU_STACK' },
  'hardening-canary': { spec: HELLO, why: 'no symbol table at all: cannot tell, so no finding' },
  'hardening-fortify': { spec: dynamicHelloSpec({ ...HARDENED_HELLO, imports: ['__stack_chk_fail'] }), why: 'calls nothing glibc could check: not applicable' },
  'hardening-textrel': { spec: dynamicHelloSpec(HARDENED_HELLO), why: 'no DT_TEXTREL' },
  'hardening-rpath': { spec: dynamicHelloSpec({ ...HARDENED_HELLO, runpath: '$ORIGIN/lib' }), why: 'DT_RUNPATH is not DT_RPATH' },
  'hardening-runpath': { spec: dynamicHelloSpec({ ...HARDENED_HELLO, rpath: '/opt/lib' }), why: 'DT_RPATH is not DT_RUNPATH' },
  'hardening-cet': { spec: helloSpecFor('aarch64', Buffer.from('hi\n')), why: 'AArch64: CET is not applicable' },
  'hardening-bti': { spec: HELLO, why: 'x86-64: BTI is not applicable' },
  // Notes, groups, compressed sections, objects and core dumps (src/gen/note-twins.ts).
  'note-bounds': { spec: helloWithNotes(noteSection('.note', [BUILD_ID, { name: '', type: 1, desc: new Uint8Array(0) }, ABI_TAG])), why: 'three notes that end exactly at the end of the section, one without a name' },
  'note-alignment': {
    spec: helloWithNotes(noteSection('.note.gnu.property', [x86Property()], 8), noteSection('.note.gnu.build-id', [BUILD_ID], 4, { sh_addralign: 1n })),
    why: 'sh_addralign 1 (no alignment, read as 4) and an 8-aligned property note',
  },
  'note-gnu-build-id': { spec: helloWithNotes(noteSection('.note.gnu.build-id', [{ ...BUILD_ID, desc: new Uint8Array(8) }])), why: 'an 8-byte build id (--build-id=fast)' },
  'note-gnu-descriptor': { spec: helloWithNotes(noteSection('.note.ABI-tag', [{ ...ABI_TAG, desc: Uint8Array.of(3, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) }])), why: 'an ABI tag for FreeBSD (OS 3), the last one defined' },
  'note-gnu-property': { spec: helloWithNotes(noteSection('.note.gnu.property', [x86Property()], 8)), why: 'GNU_PROPERTY_X86_FEATURE_1_AND of 4 bytes, padded to 8, in an 8-aligned note' },
  'note-unknown-type': {
    spec: helloWithNotes(noteSection('.note.misc', [
      { name: 'stapsdt', type: 3, desc: new Uint8Array(24) }, { name: 'Go', type: 4, desc: new Uint8Array(4) },
      { name: 'FDO', type: 0xcafe1a7e, desc: new Uint8Array(4) }, { name: 'GA$3p1113', type: 0x100, desc: new Uint8Array(0) },
    ])),
    why: 'SystemTap, Go, FDO and annobin notes',
  },
  'group-section': { spec: objectSpec(), why: 'a COMDAT group of .text (SHF_GROUP) named by a section symbol' },
  'compressed-section': { spec: helloWithCompressed(), why: 'a zlib .debug_str whose stream inflates to ch_size' },
  'relocatable-structure': { spec: objectSpec(), why: 'an object without program headers whose .rela.text patches .text' },
  'core-notes': { spec: coreSpec(), why: 'NT_PRSTATUS, NT_PRPSINFO, NT_AUXV ending in AT_NULL, NT_FILE inside the PT_LOAD' },
  'core-truncated': { spec: coreSpec(), why: 'every segment in the file' },
  'dynamic-null': { spec: linkedHelloSpec(), why: 'DT_NULL is the last entry, ending exactly at p_filesz' },
  'dynamic-address': { spec: linkedHelloSpec({ initArray: true }), why: 'DT_INIT_ARRAY over the last word of the data PT_LOAD\'s file image' },
  'dynamic-size': { spec: linkedHelloSpec({ initArray: true }), why: 'Elf64_Rela, Elf64_Sym and Elf64_Relr entry sizes, whole tables and a one-word DT_INIT_ARRAYSZ' },
  'dynamic-required': { spec: linkedHelloSpec({ initArray: true, tags: dropTag(DT_HASH) }), why: 'every table with its sizes, and an exported symbol found through DT_GNU_HASH alone' },
  'dynamic-string': { spec: linkedHelloSpec({ tags: setTag(DT_NEEDED, 16n) }), why: 'DT_NEEDED naming the last string, whose NUL is the last byte of DT_STRSZ' },
  'dynamic-flags': { spec: linkedHelloSpec({ tags: setTag(DT_FLAGS_1, DF_1_PIE | 0x40000000n) }), why: 'DF_1_PIE and DF_1_NOCOMMON, the highest DF_1_* bit' },
  'dynamic-duplicate': {
    spec: linkedHelloSpec({ tags: (tags) => [tags.find(([tag]) => tag === DT_NEEDED)!, ...tags] as readonly Tag[] }),
    why: 'two DT_NEEDED entries, which may repeat',
  },
  'interp-needed': { spec: linkedHelloSpec({ noInterp: true, tags: dropTag(DT_NEEDED) }), why: 'a static PIE: PT_DYNAMIC without PT_INTERP and without DT_NEEDED' },
  'hash-table': { spec: linkedHelloSpec(), why: 'one bucket chaining the exported symbol, then the import, then the end' },
  'gnu-hash-table': { spec: linkedHelloSpec(), why: 'an import below symoffset, the exported symbol hashed with its Bloom bits set' },
  'reloc-symbol': {
    spec: linkedHelloSpec({ rela: (records) => records.map((record) => ({ ...record, r_info: (2n << 32n) | (BigInt(record.r_info ?? 0n) & 0xffffffffn) })) }),
    why: 'relocations naming symbol 2, the last of .dynsym',
  },
  'reloc-offset': { spec: linkedHelloSpec({ rela: (records) => [{ r_offset: 0n, r_info: 0n }, ...records.slice(1)] }), why: 'an R_X86_64_NONE at 0, which writes nothing, and a GLOB_DAT in the writable PT_LOAD' },
  'reloc-type': { spec: linkedHelloSpec({ rela: (records) => records.map((record) => ({ ...record, r_info: 51n })) }), why: 'type 51 (R_X86_64_CODE_6_GOTPC32_TLSDESC), the highest the x86-64 psABI defines' },
  'relr-table': { spec: linkedHelloSpec({ relr: ([address]) => [address! - 8n, 3n] }), why: 'an address, then a bitmap that relocates the last word of the writable PT_LOAD' },
};

describe('every rule has a passing case', () => {
  it('covers every rule', () => {
    expect(Object.keys(passing).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });

  it.each(Object.entries(passing))('%s does not fire', (id, { spec, options }) => {
    // Every rule runs, the opt-in ones too.
    expect(ruleIds(lintSpec(spec, { rules: RULES, ...options }))).not.toContain(id);
  });

  it('hello is clean under the recommended rules', () => {
    expect(lintSpec(HELLO)).toEqual([]);
  });

  it('the 0x1000 twin is fine for a privileged process', () => {
    const spec = sizedLoad(0x1000n, 0x38en);
    expect(ruleIds(lintSpec(spec))).toContain('segment-below-mmap-min-addr');
    expect(ruleIds(lintSpec(spec, { assumptions: { ...DEFAULT_ASSUMPTIONS, privileged: true } }))).toEqual([]);
    expect(ruleIds(lintSpec(spec, { assumptions: { ...DEFAULT_ASSUMPTIONS, mmapMinAddr: 4096n } }))).toEqual([]);
  });
});

describe('rule details', () => {
  it('findings carry offsets, fields and exact values', () => {
    const [finding] = lintSpec(helloWithHeader({ e_entry: 0x500000n }));
    expect(finding).toMatchObject({
      rule: 'entry-in-load-segment', severity: 'error', category: 'loader',
      offset: 24, length: 8, field: 'e_entry', actual: '0x500000',
    });
  });

  it('locates program header fields through e_phoff', () => {
    const findings = lintSpec(withSegments(code, { p_type: PT_LOAD, p_flags: PF_R, p_vaddr: 0x300000n, p_offset: 0n, p_filesz: 0x78n, p_align: 0x1000n }));
    expect(findings.find((f) => f.rule === 'load-segments-sorted')).toMatchObject({ field: 'phdr[1].p_vaddr', offset: 64 + 56 + 16, length: 8 });
  });

  it('PN_XNUM is reported even though the real count resolves', () => {
    const spec: ElfSpec = { ...HELLO, header: { e_phnum: 0xffff }, sections: [{ sh_info: 1 }] };
    const findings = lintSpec(spec);
    expect(findings.find((f) => f.rule === 'phdr-count')?.message).toMatch(/PN_XNUM/);
  });

  it('parse-damage reports every parse issue with its offset', () => {
    const file = parseSpec(HELLO);
    const damaged: ElfFile = {
      kind: 'elf', size: file.size, bytes: file.bytes, ident: file.ident, layout: file.layout, byteOrder: file.byteOrder,
      container: file.container, declared: true, dynamic: file.dynamic,
      header: file.header, phnum: file.phnum, shnum: file.shnum, shstrndx: file.shstrndx,
      programHeaders: file.programHeaders, sectionHeaders: file.sectionHeaders, contents: file.contents,
      parseIssues: [{ message: 'cannot read the section header table: EOFError', offset: 0x123, field: 'e_shoff' }],
      viewAs() { return this; },
      slice: (offset: number, length: number) => file.slice(offset, length),
    };
    const findings = lintParsed(damaged).filter((f) => f.rule === 'parse-damage');
    expect(findings).toEqual([expect.objectContaining({ offset: 0x123, field: 'e_shoff', severity: 'error' })]);
  });

  it('a rule that throws becomes an internal-error finding naming it', () => {
    const broken: Rule = { ...RULES[0]!, id: 'broken-rule', check: () => { throw new TypeError('boom'); } };
    const findings = lintParsed(parseSpec(HELLO), { rules: [broken, ...RECOMMENDED_RULES] });
    expect(findings).toEqual([expect.objectContaining({ rule: 'internal-error', message: expect.stringContaining('broken-rule') })]);
  });

  it('PT_GNU_RELRO is judged by the pages ld.so protects, which must be writable', () => {
    const fired = (...segments: SegmentSpec[]) => ruleIds(lintSpec(withSegments(code, bss, ...segments)));
    expect(fired(relro(0x1000n, 0x400000n))).toContain('segment-outside-load');
    expect(fired(relro(0x3000n))).toContain('segment-outside-load');
    // The end rounds down to 0x602000, the end of the writable segment; a range within one page protects nothing.
    expect(fired(relro(0x2800n))).not.toContain('segment-outside-load');
    expect(fired(relro(0x800n, 0x400000n))).not.toContain('segment-outside-load');
    // lld before 18 rounded p_memsz up to the page end, past the PT_LOAD but not past its last page.
    expect(ruleIds(lintSpec(withSegments(code, { ...bss, p_memsz: 0x1e00n }, relro(0x2000n))))).not.toContain('segment-outside-load');
  });

  it('dynamic relocations may name no symbol table only in a file without .dynsym', () => {
    const rela = { name: '.rela.iplt', sh_type: SHT_RELA, sh_flags: SHF_ALLOC, sh_addr: 0x400080n, sh_offset: 0x80n, sh_size: 24n, sh_addralign: 8n, sh_entsize: 24n };
    const dynsym = { name: '.dynsym', sh_type: SHT_DYNSYM, sh_flags: SHF_ALLOC, sh_addr: 0x400098n, sh_offset: 0x98n, sh_size: 24n, sh_addralign: 8n, sh_entsize: 24n, sh_link: 1 };
    expect(ruleIds(lintSpec({ ...HELLO, sections: [...named, rela] }))).not.toContain('section-link');
    expect(ruleIds(lintSpec({ ...HELLO, sections: [...named, rela, dynsym] }))).toContain('section-link');
  });

  it('a separate debug file\'s emptied sections keep their names and links', () => {
    const nobits = (name: string, flags: bigint, address: bigint, fields = {}) => ({ name, sh_type: SHT_NOBITS, sh_flags: flags, sh_addr: address, sh_size: 0x10n, ...fields });
    const debug = [...named, nobits('.text', SHF_ALLOC | SHF_EXECINSTR, 0x401000n), nobits('.dynstr', SHF_ALLOC, 0x400300n), nobits('.data', SHF_ALLOC | SHF_WRITE, 0x900000n), nobits('.dynamic', SHF_ALLOC | SHF_WRITE, 0x900010n, { sh_link: 3 })];
    const sectionRules = (spec: ElfSpec) => ruleIds(lintSpec(spec)).filter((id) => id.startsWith('section'));
    expect(sectionRules({ ...HELLO, sections: debug })).toEqual([]);
    // The same sections in a file that holds its code are reported.
    expect(sectionRules({ ...HELLO, sections: [...debug, { ...text, name: '.init' }] })).toEqual(['section-outside-segment', 'section-special-type']);
  });

  it('every rule has an id, a summary and an explanation that says how to fix', () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.explanation).toMatch(/Fix:/);
    }
  });
});


describe('section-flags', () => {
  const merged = (e_type: number) => lintSpec({
    ...HELLO, header: { ...HELLO.header, e_type },
    sections: [...named, { name: '.rodata.str1.1', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_MERGE | SHF_STRINGS, sh_entsize: 0n, data: Buffer.from('a\0', 'latin1') }],
  }).filter((finding) => finding.rule === 'section-flags');

  it('wants the element size of a mergeable section in an object, where the linker reads it, and only there', () => {
    expect(merged(1).map((finding) => finding.field)).toEqual(['shdr[2].sh_entsize']);
    expect(merged(2)).toEqual([]);
  });

  const processorBits = (e_machine: number, sh_flags: bigint) => lintSpec({
    ...HELLO, header: { ...HELLO.header, e_machine },
    sections: [...named, { name: '.text.x', sh_type: SHT_PROGBITS, sh_flags, data: new Uint8Array(4) }],
  }).filter((finding) => finding.rule === 'section-flags').map((finding) => finding.message);

  it('reports processor bits the file\'s machine does not define, from its architecture profile', () => {
    // SHF_ARM_PURECODE: ARM's, not x86-64's; SHF_X86_64_LARGE: the reverse.
    expect(processorBits(62, 0x20000000n)).toEqual([expect.stringContaining('0x20000000, which this machine does not define (it defines SHF_X86_64_LARGE, SHF_EXCLUDE)')]);
    expect(processorBits(40, 0x20000000n)).toEqual([]);
    expect(processorBits(40, 0x10000000n | 0x40000000n)).toEqual([expect.stringContaining('bits 0x40000000,')]);
    expect(processorBits(8, 0x40000000n)).toEqual([]);
    // A machine no profile describes (SPARC): its processor bits are not judged.
    expect(processorBits(2, 0x40000000n)).toEqual([]);
  });
});
