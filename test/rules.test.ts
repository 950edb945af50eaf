// A passing case for every rule: a file as close to the rule's boundary as
// possible that must not trip it. The failing cases are the corpus twins
// (corpus.test.ts), one per rule.
import { describe, expect, it } from 'vitest';
import type { ElfSpec, SegmentSpec } from '../src/gen/spec.js';
import { RULES } from '../src/rules/registry.js';
import { lintParsed } from '../src/rules/engine.js';
import type { Rule } from '../src/rules/rule.js';
import { DEFAULT_ASSUMPTIONS } from '../src/model/assumptions.js';
import { PF_R, PF_W, PF_X, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_NULL, PT_PHDR, SHT_NOBITS } from '../src/model/constants.js';
import type { ElfFile } from '../src/model/elf.js';
import { helloSpec } from '../src/gen/templates.js';
import { HELLO, helloWithHeader, helloWithSegment, lintSpec, parseSpec, ruleIds } from './support.js';
import type { LintOptions } from '../src/rules/engine.js';

const code: SegmentSpec = HELLO.segments![0]!;
const interp = (path: string, fields: SegmentSpec = {}): SegmentSpec => ({ p_type: PT_INTERP, p_align: 1n, data: Buffer.from(path, 'latin1'), ...fields });
const withSegments = (...segments: SegmentSpec[]): ElfSpec => ({ ...HELLO, header: { e_entry: 0x400078n }, segments });
const named = [{}, { name: '.shstrtab' }];
const sizedLoad = (vaddr: bigint, size: bigint): ElfSpec => ({
  ...helloWithSegment({ p_vaddr: vaddr, p_paddr: vaddr, p_align: 0x1000n, p_filesz: size, p_memsz: size }),
  header: { e_entry: vaddr + 0x78n },
  size: Number(size),
});

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
};

describe('every rule has a passing case', () => {
  it('covers every rule', () => {
    expect(Object.keys(passing).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });

  it.each(Object.entries(passing))('%s does not fire', (id, { spec, options }) => {
    expect(ruleIds(lintSpec(spec, options))).not.toContain(id);
  });

  it('hello is clean under every rule', () => {
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
      programHeaders: file.programHeaders, sectionHeaders: file.sectionHeaders,
      parseIssues: [{ message: 'cannot read the section header table: EOFError', offset: 0x123, field: 'e_shoff' }],
      viewAs() { return this; },
      slice: (offset: number, length: number) => file.slice(offset, length),
    };
    const findings = lintParsed(damaged).filter((f) => f.rule === 'parse-damage');
    expect(findings).toEqual([expect.objectContaining({ offset: 0x123, field: 'e_shoff', severity: 'error' })]);
  });

  it('a rule that throws becomes an internal-error finding naming it', () => {
    const broken: Rule = { ...RULES[0]!, id: 'broken-rule', check: () => { throw new TypeError('boom'); } };
    const findings = lintParsed(parseSpec(HELLO), { rules: [broken, ...RULES] });
    expect(findings).toEqual([expect.objectContaining({ rule: 'internal-error', message: expect.stringContaining('broken-rule') })]);
  });

  it('every rule has an id, a summary and an explanation that says how to fix', () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.explanation).toMatch(/Fix:/);
    }
  });
});

