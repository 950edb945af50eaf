// The note, group, compressed-section, relocatable-object and core-dump rules
// beyond their twins and passing cases: each kind of fault they report, and
// real core dumps (the kernel's and gdb's) that they must accept whole and
// report once when cut short.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElfSpec, SectionSpec } from '../src/gen/spec.js';
import { encodeNotes } from '../src/gen/contents.js';
import {
  ABI_TAG, BUILD_ID, coreNotes, coreSpec, helloWithCompressed, helloWithNotes, noteSection, objectSpec, x86Property, ZLIB_STREAM,
} from '../src/gen/note-twins.js';
import { ELFCOMPRESS_ZSTD, ET_EXEC, NT_AUXV, NT_FILE, PT_GNU_PROPERTY, PT_NOTE, SHF_ALLOC, SHF_COMPRESSED, SHF_GROUP, SHT_GROUP, SHT_PROGBITS } from '../src/model/constants.js';
import { RULES } from '../src/rules/registry.js';
import type { Finding } from '../src/model/finding.js';
import { HELLO, lintBytes, lintSpec } from './support.js';

const MINE = new Set(['note-bounds', 'note-alignment', 'note-gnu-build-id', 'note-gnu-descriptor', 'note-gnu-property', 'note-unknown-type',
  'group-section', 'compressed-section', 'relocatable-structure', 'core-notes', 'core-truncated']);

const findingsOf = (spec: ElfSpec, rule: string): Finding[] => lintSpec(spec, { rules: RULES }).filter((finding) => finding.rule === rule);
const messagesOf = (spec: ElfSpec, rule: string): string[] => findingsOf(spec, rule).map((finding) => finding.message);

describe('notes', () => {
  it('reports an owner name without its NUL', () => {
    const bytes = encodeNotes([{ name: 'GNU', type: 3, desc: BUILD_ID.desc }], 'LSB', 4);
    bytes[15] = 0x21; // "GNU!" in the 4 bytes n_namesz counts
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.build-id', [], 4, { data: bytes })), 'note-bounds')).toEqual([
      expect.stringContaining('not NUL-terminated'),
    ]);
  });

  it('reports a PT_NOTE with p_align 8 over a 4-aligned note section, and not one with p_align 4', () => {
    const notes = encodeNotes([BUILD_ID, ABI_TAG], 'LSB', 4);
    const at = 0x1000n;
    const spec = (align: bigint): ElfSpec => ({
      ...HELLO,
      segments: [...HELLO.segments!, { p_type: PT_NOTE, p_offset: at, p_vaddr: 0x401000n, p_filesz: BigInt(notes.length), p_memsz: BigInt(notes.length), p_align: align }],
      sections: [{}, { name: '.shstrtab' }, { name: '.note.gnu.build-id', sh_type: 7, sh_offset: at, sh_size: BigInt(notes.length), sh_addralign: 4n }],
      raw: [{ offset: Number(at), bytes: notes }],
      size: Number(at) + notes.length,
    });
    expect(messagesOf(spec(8n), 'note-alignment')).toEqual([expect.stringContaining('has p_align 8 but holds section 2 (.note.gnu.build-id)')]);
    expect(messagesOf(spec(4n), 'note-alignment')).toEqual([]);
  });

  it('reports a second build id', () => {
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.build-id', [BUILD_ID, BUILD_ID])), 'note-gnu-build-id')).toEqual([expect.stringContaining('second build id')]);
  });

  it('reports an ABI tag of the wrong size and an empty gold version', () => {
    expect(messagesOf(helloWithNotes(noteSection('.note.ABI-tag', [{ ...ABI_TAG, desc: ABI_TAG.desc.subarray(0, 12) }])), 'note-gnu-descriptor'))
      .toEqual([expect.stringContaining('NT_GNU_ABI_TAG of 12 bytes')]);
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.gold-version', [{ name: 'GNU', type: 4, desc: new Uint8Array(0) }])), 'note-gnu-descriptor'))
      .toEqual([expect.stringContaining('version string is empty')]);
  });

  it('reports ELF64 property notes in a 4-aligned section, unsorted properties, and a PT_GNU_PROPERTY off its section', () => {
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.property', [x86Property()], 4)), 'note-gnu-property')).toEqual([expect.stringContaining('4-aligned section')]);
    const two = x86Property();
    const desc = new Uint8Array(32);
    desc.set(two.desc, 0);
    // FEATURE_1_AND (0xc0000002), then ISA_1_NEEDED (0xc0008002): sorted; swapped, they are not.
    desc.set(Uint8Array.of(0x02, 0x80, 0x00, 0xc0, 4, 0, 0, 0, 1, 0, 0, 0), 16);
    const swapped = new Uint8Array(32);
    swapped.set(desc.subarray(16), 0);
    swapped.set(desc.subarray(0, 16), 16);
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.property', [{ ...two, desc }], 8)), 'note-gnu-property')).toEqual([]);
    expect(messagesOf(helloWithNotes(noteSection('.note.gnu.property', [{ ...two, desc: swapped }], 8)), 'note-gnu-property')).toEqual([expect.stringContaining('must be sorted')]);
    const property: ElfSpec = { ...helloWithNotes(noteSection('.note.gnu.property', [x86Property()], 8)), segments: [...HELLO.segments!, { p_type: PT_GNU_PROPERTY, p_offset: 0x10n, p_filesz: 0x20n, p_align: 8n }] };
    expect(messagesOf(property, 'note-gnu-property')).toEqual([expect.stringContaining('not .note.gnu.property')]);
  });

  it('gives an unknown type of a known owner an info finding', () => {
    const findings = findingsOf(helloWithNotes(noteSection('.note.gnu.odd', [{ name: 'GNU', type: 0x99, desc: new Uint8Array(4) }])), 'note-unknown-type');
    expect(findings.map((finding) => [finding.severity, finding.field])).toEqual([['info', 'sec[2].note[0].n_type']]);
  });
});

describe('groups and relocatable objects', () => {
  const withSections = (change: (sections: SectionSpec[]) => SectionSpec[], spec: ElfSpec = objectSpec()): ElfSpec => ({ ...spec, sections: change([...spec.sections!]) });

  it('reports a null signature, a member in two groups and an SHF_GROUP section outside every group', () => {
    expect(messagesOf(withSections((sections) => sections.map((section) => (section.sh_type === SHT_GROUP ? { ...section, sh_info: 0 } : section))), 'group-section'))
      .toEqual([expect.stringContaining('the null symbol')]);
    const twice = withSections((sections) => [...sections, { ...sections[2]!, name: '.group2' }]);
    expect(messagesOf(twice, 'group-section')).toEqual([expect.stringContaining('already a member of section 2 (.group)')]);
    // A group's header comes before its members'.
    const member = { name: '.data.x', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_GROUP, data: new Uint8Array(4) };
    const group = (index: number) => ({ name: '.group2', sh_type: SHT_GROUP, data: Uint8Array.of(1, 0, 0, 0, index, 0, 0, 0), sh_link: 4, sh_info: 1, sh_entsize: 4n, sh_addralign: 4n });
    expect(messagesOf(withSections((sections) => [...sections, group(8), member]), 'group-section')).toEqual([]);
    expect(messagesOf(withSections((sections) => [...sections, member, group(7)]), 'group-section')).toEqual([expect.stringContaining('comes before the group')]);
    const loose = withSections((sections) => [...sections, { name: '.data.x', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_GROUP, data: new Uint8Array(4) }]);
    expect(messagesOf(loose, 'group-section')).toEqual([expect.stringContaining('no section group lists it')]);
    expect(messagesOf(objectSpec({ groupFlags: 3 }), 'group-section')).toEqual([expect.stringContaining('flag word 0x3')]);
    const linked = objectSpec();
    expect(messagesOf({ ...linked, header: { ...linked.header, e_type: ET_EXEC } }, 'group-section')).toEqual([expect.stringContaining('not a relocatable object')]);
  });

  it('reports relocations that patch no section or another relocation section', () => {
    expect(messagesOf(objectSpec({ relaInfo: 6 }), 'relocatable-structure')).toEqual([expect.stringContaining('naming section 6 (.rela.text), an SHT_RELA')]);
    const noInfoLink = withSections((sections) => sections.map((section) => (section.name === '.rela.text' ? { ...section, sh_flags: 0n, sh_info: 0 } : section)));
    expect(messagesOf(noInfoLink, 'relocatable-structure')).toEqual([expect.stringContaining('sh_info 0')]);
    // With SHF_INFO_LINK, sh_info 0 is section-link's finding alone.
    expect(ruleIdsOf(objectSpec({ relaInfo: 0 }))).toContain('section-link');
    expect(messagesOf(objectSpec({ relaInfo: 0 }), 'relocatable-structure')).toEqual([]);
  });
});

function ruleIdsOf(spec: ElfSpec): string[] {
  return lintSpec(spec, { rules: RULES }).map((finding) => finding.rule);
}

describe('compressed sections', () => {
  it('reports allocated, unknown, misaligned and corrupt compressed sections', () => {
    expect(messagesOf(helloWithCompressed({ flags: SHF_ALLOC | SHF_COMPRESSED }), 'compressed-section')).toEqual([expect.stringContaining('SHF_ALLOC')]);
    expect(messagesOf(helloWithCompressed({ ch_type: 7 }), 'compressed-section')).toEqual([expect.stringContaining('ch_type 7')]);
    expect(messagesOf(helloWithCompressed({ ch_addralign: 3n }), 'compressed-section')).toEqual([expect.stringContaining('ch_addralign 3')]);
    expect(messagesOf(helloWithCompressed({ ch_type: ELFCOMPRESS_ZSTD }), 'compressed-section')).toEqual([expect.stringContaining('zstd frame magic')]);
    const spec = helloWithCompressed();
    const section = spec.sections!.at(-1)!;
    const data = Uint8Array.from(section.data!);
    data[24] = 0x78;
    data[25] = 0x00; // not a multiple of 31 with 0x78
    expect(messagesOf({ ...spec, sections: [...spec.sections!.slice(0, -1), { ...section, data }] }, 'compressed-section')).toEqual([expect.stringContaining('not a zlib header')]);
    expect(ZLIB_STREAM[0]).toBe(0x78);
  });
});

describe('core dumps', () => {
  it('reports an NT_FILE range outside the PT_LOADs and an auxiliary vector without AT_NULL', () => {
    const notes = coreNotes();
    const file = notes.find((note) => note.type === NT_FILE)!;
    const moved = Uint8Array.from(file.desc);
    new DataView(moved.buffer).setBigUint64(16, 0x500000n, true);
    new DataView(moved.buffer).setBigUint64(24, 0x501000n, true);
    expect(messagesOf(coreSpec({ notes: notes.map((note) => (note === file ? { ...note, desc: moved } : note)) }), 'core-notes'))
      .toEqual([expect.stringContaining('range 0 [0x500000, 0x501000) is not inside the PT_LOAD segments')]);
    const auxv = notes.map((note) => (note.type === NT_AUXV ? { ...note, desc: note.desc.subarray(0, 16) } : note));
    expect(messagesOf(coreSpec({ notes: auxv }), 'core-notes')).toEqual([expect.stringContaining('not AT_NULL')]);
  });

  it('checks the sizes of NT_PRSTATUS, NT_PRPSINFO and NT_PRFPREG against the machine and class the profiles list', () => {
    expect(messagesOf(coreSpec({ notes: coreNotes({ prstatusSize: 144 }) }), 'core-notes'))
      .toEqual([expect.stringContaining('an NT_PRSTATUS, has 144 bytes, but struct elf_prstatus is 336 bytes')]);
    const fpregs = (size: number) => coreSpec({ notes: [...coreNotes(), { name: 'CORE', type: 2, desc: new Uint8Array(size) }] });
    expect(messagesOf(fpregs(512), 'core-notes')).toEqual([]);
    expect(messagesOf(fpregs(108), 'core-notes')).toEqual([expect.stringContaining('an NT_PRFPREG, has 108 bytes')]);
    // The same 144-byte NT_PRSTATUS is right for i386, and a machine no profile describes (SPARC) is not judged.
    const withMachine = (e_machine: number) => { const spec = coreSpec({ notes: coreNotes({ prstatusSize: 144 }) }); return { ...spec, header: { ...spec.header, e_machine } }; };
    expect(messagesOf(withMachine(2), 'core-notes')).toEqual([]);
  });

  it('reports a core without PT_NOTE', () => {
    const spec = coreSpec();
    expect(messagesOf({ ...spec, segments: spec.segments!.slice(1) }, 'core-notes')).toEqual([expect.stringContaining('no PT_NOTE segment')]);
  });
});

// ---- real core dumps ----
// The kernel writes one where /proc/sys/kernel/core_pattern is a plain file name (not a pipe to
// systemd-coredump or apport, not a path elsewhere) and RLIMIT_CORE allows it; gdb's
// generate-core-file writes one wherever gdb is installed and may trace its child.

const ABORT_PROGRAM = '#include <stdlib.h>\nint main(void) { abort(); }\n';

interface Cores {
  readonly dir: string;
  readonly kernel: Uint8Array | string;
  readonly gdb: Uint8Array | string;
}

function newCore(dir: string, before: ReadonlySet<string>): Uint8Array | undefined {
  const fresh = readdirSync(dir).filter((name) => !before.has(name));
  for (const name of fresh) {
    const bytes = readFileSync(join(dir, name));
    if (bytes.length > 20 && bytes.readUInt32BE(0) === 0x7f454c46 && bytes.readUInt16LE(16) === 4) return bytes;
  }
  return undefined;
}

function kernelCore(dir: string): Uint8Array | string {
  const pattern = readFileSync('/proc/sys/kernel/core_pattern', 'utf8').trim();
  if (pattern.startsWith('|') || pattern.includes('/')) return `core_pattern is ${JSON.stringify(pattern)}, not a plain file name in the working directory`;
  const before = new Set(readdirSync(dir));
  spawnSync('sh', ['-c', 'ulimit -c unlimited && exec ./abort'], { cwd: dir, timeout: 30_000, stdio: 'ignore' });
  return newCore(dir, before) ?? `the kernel wrote no core file for core_pattern ${JSON.stringify(pattern)} (RLIMIT_CORE hard limit, or a file system that refuses it)`;
}

function gdbCore(dir: string): Uint8Array | string {
  if (spawnSync('gdb', ['--version'], { stdio: 'ignore' }).status !== 0) return 'gdb is not installed';
  spawnSync('gdb', ['-nx', '-batch', '-ex', 'break main', '-ex', 'run', '-ex', 'generate-core-file gdb.core', '-ex', 'kill', './abort'], { cwd: dir, timeout: 60_000, stdio: 'ignore' });
  try {
    return readFileSync(join(dir, 'gdb.core'));
  } catch {
    return 'gdb could not write a core (ptrace not permitted here?)';
  }
}

describe('real core dumps', () => {
  let cores: Cores | string;

  beforeAll(() => {
    if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status !== 0) {
      cores = 'gcc is not installed';
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'elf-lint-core-'));
    writeFileSync(join(dir, 'abort.c'), ABORT_PROGRAM);
    spawnSync('gcc', ['-O0', '-o', 'abort', 'abort.c'], { cwd: dir, stdio: 'ignore' });
    cores = { dir, kernel: kernelCore(dir), gdb: gdbCore(dir) };
  }, 120_000);

  afterAll(() => {
    if (typeof cores !== 'string') rmSync(cores.dir, { recursive: true, force: true });
  });

  const mine = (bytes: Uint8Array) => lintBytes(bytes, { rules: RULES }).filter((finding) => MINE.has(finding.rule));

  for (const which of ['kernel', 'gdb'] as const) it(`accepts a whole ${which} core dump and reports a cut one once`, (context) => {
    const core = typeof cores === 'string' ? cores : cores[which];
    if (typeof core === 'string') {
      console.log(`skipped: no ${which} core dump on this host: ${core}`);
      context.skip();
      return;
    }
    expect(mine(core)).toEqual([]);
    // Cut the memory in half: one finding for the dump, not one per segment or lost note. The kernel
    // writes its notes first, so they survive; gdb writes them last, so they are lost with the memory.
    const cut = lintBytes(core.subarray(0, Math.floor(core.length / 2)), { rules: RULES }).map((finding) => finding.rule);
    // gdb's dumps have section headers, at the end: their table is cut off too (shdr-table-bounds).
    expect(cut.filter((rule) => rule !== 'shdr-table-bounds')).toEqual(['core-truncated']);
  }, 60_000);
});
