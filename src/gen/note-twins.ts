// Twins for the note, group, compressed-section, relocatable-object and core
// dump rules: hello with a non-allocated note section, a small relocatable
// object (a COMDAT group over .text, a symbol table naming its signature) and
// a small core dump (a PT_NOTE with the CORE notes and one PT_LOAD), each
// written the way the toolchain or the kernel writes it, and one thing broken.
import type { CorpusEntry } from './corpus.js';
import type { ElfSpec, SectionSpec, SegmentSpec } from './spec.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from './templates.js';
import { encodeNotes, encodeStrings, encodeStructs, encodeWords, type NoteSpec } from './contents.js';
import {
  ELFCOMPRESS_ZLIB, ET_CORE, ET_REL, GNU_PROPERTY_X86_FEATURE_1_AND, GNU_PROPERTY_X86_FEATURE_1_IBT, GRP_COMDAT, NT_AUXV, NT_FILE,
  NT_GNU_ABI_TAG, NT_GNU_BUILD_ID, NT_GNU_PROPERTY_TYPE_0, NT_PRPSINFO, NT_PRSTATUS, PF_R, PF_X, PT_LOAD, PT_NOTE, PT_NULL,
  SHF_ALLOC, SHF_COMPRESSED, SHF_EXECINSTR, SHF_GROUP, SHF_INFO_LINK, SHT_GROUP, SHT_NOTE, SHT_PROGBITS,
  SHT_RELA, SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STT_FUNC,
} from '../model/constants.js';
import { ELF64_LAYOUT } from '../model/layout.js';

const hello = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'));
const nameTable: SectionSpec[] = [{}, { name: '.shstrtab' }];

const u32 = (...values: number[]) => encodeWords(4, 'LSB', values);

/** A non-allocated note section of `notes`, as an assembler writes a .note section. */
export function noteSection(name: string, notes: readonly NoteSpec[], align: 4 | 8 = 4, fields: SectionSpec = {}): SectionSpec {
  return { name, sh_type: SHT_NOTE, data: encodeNotes(notes, 'LSB', align), sh_addralign: BigInt(align), ...fields };
}

/** hello with note sections after .shstrtab. */
export function helloWithNotes(...sections: SectionSpec[]): ElfSpec {
  return { ...hello, sections: [...nameTable, ...sections] };
}

export const BUILD_ID: NoteSpec = { name: 'GNU', type: NT_GNU_BUILD_ID, desc: Uint8Array.from({ length: 20 }, (_, index) => index * 13) };
/** Linux, 3.2.0: what crt1.o carries. */
export const ABI_TAG: NoteSpec = { name: 'GNU', type: NT_GNU_ABI_TAG, desc: u32(0, 3, 2, 0) };
/** GNU_PROPERTY_X86_FEATURE_1_AND with `size` bytes of data (4 is right), padded to 8. */
export function x86Property(size = 4): NoteSpec {
  const data = new Uint8Array(8 + Math.ceil(size / 8) * 8);
  data.set(u32(GNU_PROPERTY_X86_FEATURE_1_AND, size, GNU_PROPERTY_X86_FEATURE_1_IBT));
  return { name: 'GNU', type: NT_GNU_PROPERTY_TYPE_0, desc: data };
}

/** A SystemTap probe note (owner stapsdt, type 3): known, and not checked further. */
const PROBE: NoteSpec = { name: 'stapsdt', type: 3, desc: new Uint8Array(24) };

/** hello.o's sections: .text in a COMDAT group whose signature is symbol 1, the global function hello in .text. */
export interface ObjectOptions {
  readonly groupFlags?: number;
  /** SHF_GROUP on .text. */
  readonly textInGroup?: boolean;
  /** Extra program headers (an object has none). */
  readonly segments?: readonly SegmentSpec[];
  /** sh_info of .rela.text (3: .text). */
  readonly relaInfo?: number;
}

const { size: SYM_SIZE } = ELF64_LAYOUT.contents.sym;
const { size: RELA_SIZE } = ELF64_LAYOUT.contents.rela;

/** A relocatable object: [0] null, [1] .shstrtab, [2] .group, [3] .text, [4] .symtab, [5] .strtab, [6] .rela.text (empty). */
export function objectSpec(options: ObjectOptions = {}): ElfSpec {
  const strings = encodeStrings(['hello']);
  const symbols = encodeStructs(ELF64_LAYOUT.contents.sym, 'LSB', [{}, {
    st_name: strings.offsets.get('hello')!, st_info: (STB_GLOBAL << 4) | STT_FUNC, st_shndx: 3, st_size: 1n,
  }]);
  return {
    ...hello,
    header: { ...hello.header, e_type: ET_REL, e_entry: 0n },
    segments: options.segments ?? [],
    sections: [
      ...nameTable,
      // The gABI puts a group before its members in the section table.
      { name: '.group', sh_type: SHT_GROUP, data: u32(options.groupFlags ?? GRP_COMDAT, 3), sh_link: 4, sh_info: 1, sh_entsize: 4n, sh_addralign: 4n },
      { name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR | (options.textInGroup === false ? 0n : SHF_GROUP), data: Uint8Array.of(0xc3), sh_addralign: 16n },
      { name: '.symtab', sh_type: SHT_SYMTAB, data: symbols, sh_link: 5, sh_info: 1, sh_entsize: BigInt(SYM_SIZE), sh_addralign: 8n },
      { name: '.strtab', sh_type: SHT_STRTAB, data: strings.bytes },
      { name: '.rela.text', sh_type: SHT_RELA, sh_flags: SHF_INFO_LINK, data: new Uint8Array(0), sh_link: 4, sh_info: options.relaInfo ?? 3, sh_entsize: BigInt(RELA_SIZE), sh_addralign: 8n },
    ],
  };
}

/** "hello, debug\0" deflated by zlib (level 6), fixed here so the corpus does not depend on the zlib version. */
export const ZLIB_STREAM = Buffer.from('789ccb48cdc9c9d75148494d2a4d670000211a0468', 'hex');
const ZLIB_PLAIN_SIZE = 13n;

/** hello with a .debug_str compressed by zlib: an Elf64_Chdr then the stream. */
export function helloWithCompressed(fields: { ch_type?: number; ch_size?: bigint; ch_addralign?: bigint; flags?: bigint } = {}): ElfSpec {
  const chdr = encodeStructs(ELF64_LAYOUT.contents.chdr, 'LSB', [{
    ch_type: fields.ch_type ?? ELFCOMPRESS_ZLIB, ch_size: fields.ch_size ?? ZLIB_PLAIN_SIZE, ch_addralign: fields.ch_addralign ?? 1n,
  }]);
  const data = new Uint8Array(chdr.length + ZLIB_STREAM.length);
  data.set(chdr);
  data.set(ZLIB_STREAM, chdr.length);
  return helloWithNotes({ name: '.debug_str', sh_type: SHT_PROGBITS, sh_flags: fields.flags ?? SHF_COMPRESSED, data, sh_entsize: 1n, sh_addralign: 8n });
}

const CORE_LOAD = 0x400000n;
/** The kernel's notes for one thread of a process that mapped /bin/true at 0x400000. */
export function coreNotes(options: { prstatus?: boolean; prstatusSize?: number } = {}): NoteSpec[] {
  const mapped = Buffer.from('/bin/true\0', 'latin1');
  const file = new Uint8Array(5 * 8 + mapped.length);
  file.set(encodeWords(8, 'LSB', [1n, 0x1000n, CORE_LOAD, CORE_LOAD + 0x1000n, 0n]));
  file.set(mapped, 5 * 8);
  return [
    // sizeof(struct elf_prstatus) on x86-64 (336) unless the twin says otherwise.
    ...(options.prstatus === false ? [] : [{ name: 'CORE', type: NT_PRSTATUS, desc: new Uint8Array(options.prstatusSize ?? 0x150) }]),
    { name: 'CORE', type: NT_PRPSINFO, desc: new Uint8Array(0x88) },
    { name: 'CORE', type: NT_AUXV, desc: encodeWords(8, 'LSB', [6n, 0x1000n, 0n, 0n]) },
    { name: 'CORE', type: NT_FILE, desc: file },
  ];
}

/** A core dump: PT_NOTE, then one PT_LOAD of a page of the process's memory. */
export function coreSpec(options: { notes?: readonly NoteSpec[] } = {}): ElfSpec {
  return {
    ...hello,
    header: { ...hello.header, e_type: ET_CORE, e_entry: 0n },
    segments: [
      { p_type: PT_NOTE, p_flags: 0, p_vaddr: 0n, p_paddr: 0n, data: encodeNotes(options.notes ?? coreNotes(), 'LSB', 4), p_memsz: 0n, p_align: 4n },
      { p_type: PT_LOAD, p_flags: PF_R | PF_X, p_vaddr: CORE_LOAD, p_paddr: 0n, data: new Uint8Array(0x1000).fill(0x90), p_align: 0x1000n },
    ],
  };
}

/** What hello lacks (a static ET_EXEC without CET markings), and what the object lacks (no CET markings, no stack protector calls). */
const HELLO_OPT_IN = ['hardening-pie', 'hardening-cet'];
const OBJECT_OPT_IN = ['hardening-cet', 'hardening-canary'];

export const NOTE_TWINS: readonly CorpusEntry[] = [
  {
    name: 'hello-note-bounds', trips: 'note-bounds', optInTrips: HELLO_OPT_IN, description: 'a SystemTap probe note whose n_descsz (256) runs past the end of its section',
    spec: helloWithNotes(noteSection('.note.stapsdt', [PROBE], 4, {
      data: (() => { const bytes = encodeNotes([PROBE], 'LSB', 4); new DataView(bytes.buffer).setUint32(4, 256, true); return bytes; })(),
    })),
  },
  { name: 'hello-note-alignment', trips: 'note-alignment', optInTrips: HELLO_OPT_IN, description: 'a build-id note section with sh_addralign 16: readers pad notes to 4 or 8 only', spec: helloWithNotes(noteSection('.note.gnu.build-id', [BUILD_ID], 4, { sh_addralign: 16n })) },
  { name: 'hello-note-build-id', trips: 'note-gnu-build-id', optInTrips: HELLO_OPT_IN, description: 'a 4-byte NT_GNU_BUILD_ID, too short to identify a build', spec: helloWithNotes(noteSection('.note.gnu.build-id', [{ ...BUILD_ID, desc: u32(0x1234) }])) },
  { name: 'hello-note-abi-tag', trips: 'note-gnu-descriptor', optInTrips: HELLO_OPT_IN, description: 'an NT_GNU_ABI_TAG for OS 7, which no system defines', spec: helloWithNotes(noteSection('.note.ABI-tag', [{ ...ABI_TAG, desc: u32(7, 3, 2, 0) }])) },
  { name: 'hello-note-property', trips: 'note-gnu-property', optInTrips: HELLO_OPT_IN, description: 'GNU_PROPERTY_X86_FEATURE_1_AND with pr_datasz 8 instead of 4', spec: helloWithNotes(noteSection('.note.gnu.property', [x86Property(8)], 8)) },
  { name: 'hello-note-unknown', trips: 'note-unknown-type', optInTrips: HELLO_OPT_IN, description: 'a note of owner "ACME", which no toolchain or system defines', spec: helloWithNotes(noteSection('.note.acme', [{ name: 'ACME', type: 1, desc: u32(1) }])) },
  { name: 'object-group-member', trips: 'group-section', optInTrips: OBJECT_OPT_IN, description: 'a relocatable object whose COMDAT group lists .text, which lacks SHF_GROUP', spec: objectSpec({ textInGroup: false }) },
  { name: 'hello-compressed-size', trips: 'compressed-section', optInTrips: HELLO_OPT_IN, description: 'a zlib-compressed .debug_str whose ch_size says 100 bytes; the stream inflates to 13', spec: helloWithCompressed({ ch_size: 100n }) },
  // No symbol table: whether it calls __stack_chk_fail cannot be told, so hardening-canary says nothing.
  { name: 'object-no-sections', trips: 'relocatable-structure', optInTrips: ['hardening-cet'], description: 'a relocatable object with no section header table (e_shnum 0), as sstrip leaves one', spec: { ...objectSpec(), sections: [] } },
  { name: 'object-phdr', trips: 'relocatable-structure', optInTrips: OBJECT_OPT_IN, description: 'a relocatable object with a (PT_NULL) program header table', spec: objectSpec({ segments: [{ p_type: PT_NULL, p_align: 0n }] }) },
  { name: 'core-prstatus-size', trips: 'core-notes', description: 'an x86-64 core dump whose NT_PRSTATUS has 144 bytes, i386\'s struct elf_prstatus instead of x86-64\'s 336', spec: coreSpec({ notes: coreNotes({ prstatusSize: 144 }) }) },
  { name: 'core-no-prstatus', trips: 'core-notes', description: 'a core dump whose PT_NOTE has no NT_PRSTATUS: no thread, no registers', spec: coreSpec({ notes: coreNotes({ prstatus: false }) }) },
  { name: 'core-truncated', trips: 'core-truncated', description: 'a core dump cut off in the middle of its memory, as RLIMIT_CORE leaves it', spec: { ...coreSpec(), size: 0x1800 } },
];
