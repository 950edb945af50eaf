import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { examine } from '../src/examine.js';
import type { ByteSource } from '../src/model/elf.js';
import { describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { parseElf } from '../src/parse/parse.js';
import { lintParsed } from '../src/rules/engine.js';
import { HELLO, parseSpec } from './support.js';

const U64_MAX = (1n << 64n) - 1n;
const runs = Number(process.env['ELF_LINT_FUZZ_RUNS'] ?? 3000);

describe('exact 64-bit fields', () => {
  const extremes = [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 53n) + 1n, 0xfffffffffffffff0n, U64_MAX];
  it.each(extremes.map((value) => [`0x${value.toString(16)}`, value] as const))('e_entry %s survives exactly, in both byte orders', (_, value) => {
    for (const data of [1, 2]) {
      const file = parseSpec({ ...HELLO, ident: { data }, header: { e_entry: value } });
      expect(file.header?.e_entry).toBe(value);
    }
  });

  it('every program header field is exact', () => {
    const fields = { p_offset: U64_MAX, p_vaddr: 0xfffffffffffffff0n, p_paddr: 1n << 63n, p_filesz: (1n << 53n) + 1n, p_memsz: U64_MAX - 1n, p_align: 1n << 40n };
    const file = parseSpec({ ...HELLO, ident: { data: 2 }, segments: [{ ...fields }] });
    expect(file.programHeaders[0]).toMatchObject(fields);
  });

  it('reports 0xfffffffffffffff0 as exactly that in findings', () => {
    const findings = lintParsed(parseElf(buildElf({ ...HELLO, header: { e_entry: 0xfffffffffffffff0n } })));
    expect(findings.find((f) => f.rule === 'entry-user-space')?.actual).toBe('0xfffffffffffffff0');
  });
});

describe('tiny and damaged files', () => {
  it('parses the section-less hello layout', () => {
    const file = parseSpec(HELLO);
    expect(file.container).toEqual({ elfClass: 'ELF64', byteOrder: 'LSB' });
    expect(file.declared).toBe(true);
    expect(file.programHeaders).toHaveLength(1);
    expect(file.sectionHeaders).toHaveLength(0);
    expect(file.parseIssues).toEqual([]);
  });

  it('keeps the whole entries of a table cut by EOF', () => {
    const spec: ElfSpec = { ...HELLO, segments: [HELLO.segments![0]!, { p_type: 0 }, { p_type: 0 }] };
    const full = buildElf(spec);
    const cut = full.subarray(0, 64 + 56 * 2 + 20);
    const file = parseElf(cut);
    expect(file.kind === 'elf' && file.programHeaders.length).toBe(2);
    expect(file.kind === 'elf' && file.phnum).toBe(3);
  });

  it('reads missing header bytes as zero, as the kernel does', () => {
    const file = parseElf(buildElf(HELLO).subarray(0, 20));
    expect(file.kind).toBe('elf');
    if (file.kind !== 'elf') return;
    expect(file.header).toMatchObject({ e_type: 2, e_machine: 62, e_version: 0, e_entry: 0n, e_phnum: 0 });
  });

  it('treats absurd counts without allocating them', () => {
    const file = parseSpec({ ...HELLO, header: { e_phnum: 0xfffe } });
    expect(file.phnum).toBe(0xfffe);
    expect(file.programHeaders.length).toBeLessThan(20);
  });

  it.each([
    ['ELF32', 'LSB', 1, 1], ['ELF32', 'MSB', 1, 2], ['ELF64', 'LSB', 2, 1], ['ELF64', 'MSB', 2, 2],
  ] as const)('reads %s %s files with their own structures and byte order', (elfClass, byteOrder, classCode, dataCode) => {
    const spec: ElfSpec = { ...HELLO, ident: { class: classCode, data: dataCode }, header: { e_machine: 0x1234, e_entry: 0x400078n, e_flags: 0xa0b0c0d0 } };
    const file = parseSpec(spec);
    expect(file.container).toEqual({ elfClass, byteOrder });
    expect(file.layout.ehdrSize).toBe(elfClass === 'ELF32' ? 52 : 64);
    expect(file.header).toMatchObject({ e_machine: 0x1234, e_entry: 0x400078n, e_flags: 0xa0b0c0d0, e_phentsize: elfClass === 'ELF32' ? 32 : 56, e_phnum: 1 });
    expect(file.programHeaders[0]).toMatchObject({ p_type: 1, p_flags: 5, p_vaddr: 0x400000n, p_offset: 0n });
    expect(file.parseIssues).toEqual([]);
  });

  it('reads a file in another class and byte order on request, as a kernel does', () => {
    const file = parseSpec({ ...HELLO, raw: [{ offset: 4, bytes: Uint8Array.of(1, 2) }] });
    expect(file.container).toEqual({ elfClass: 'ELF32', byteOrder: 'MSB' });
    expect(file.header?.e_machine).toBe(0x3e00);
    const kernel = file.viewAs({ elfClass: 'ELF64', byteOrder: 'LSB' });
    expect(kernel.declared).toBe(false);
    expect(kernel.header).toMatchObject({ e_machine: 62, e_entry: 0x400078n, e_phnum: 1 });
    expect(kernel.viewAs(file.container)).toBe(file);
  });

  it('files without the magic are not ELF', () => {
    expect(parseElf(new Uint8Array()).kind).toBe('not-elf');
    expect(parseElf(Buffer.from('\x7fEL')).kind).toBe('not-elf');
    expect(parseElf(Buffer.from('#!/bin/sh\n')).kind).toBe('not-elf');
  });
});

describe('extended numbering', () => {
  it('resolves PN_XNUM through section 0 sh_info', () => {
    const file = parseSpec({ ...HELLO, header: { e_phnum: 0xffff }, sections: [{ sh_info: 1 }] });
    expect(file.header?.e_phnum).toBe(0xffff);
    expect(file.phnum).toBe(1);
    expect(file.programHeaders).toHaveLength(1);
  });

  it('resolves e_shnum 0 through section 0 sh_size and SHN_XINDEX through sh_link', () => {
    const file = parseSpec({
      ...HELLO,
      header: { e_shnum: 0, e_shstrndx: 0xffff },
      sections: [{ sh_size: 2n, sh_link: 1 }, { name: '.shstrtab' }],
    });
    expect(file.shnum).toBe(2);
    expect(file.shstrndx).toBe(1);
    expect(file.sectionHeaders.map((s) => s.name)).toEqual(['', '.shstrtab']);
  });

  it('the generator switches to extended numbering by itself past 0xff00 sections', () => {
    const sections = [{}, { name: '.shstrtab' }, ...Array.from({ length: 0xff00 }, () => ({ sh_type: 1 }))];
    const file = parseSpec({ ...HELLO, sections });
    expect(file.header?.e_shnum).toBe(0);
    expect(file.shnum).toBe(sections.length);
    expect(file.sectionHeaders.at(1)?.name).toBe('.shstrtab');
  });
});

describe('never throws', () => {
  const hello = buildElf(HELLO);
  const lintAll = (bytes: Uint8Array) => {
    const file = parseElf(bytes);
    const findings = lintParsed(file);
    if (file.kind === 'elf') {
      void file.sectionHeaders.map((s) => s.name);
    }
    return findings;
  };

  it('on random byte strings, with and without the magic', () => {
    fc.assert(fc.property(fc.boolean(), fc.uint8Array({ maxLength: 600 }), (magic, tail) => {
      const bytes = magic ? Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, ...tail]) : tail;
      expect(() => lintAll(bytes)).not.toThrow();
      expect(lintAll(bytes).some((f) => f.rule === 'internal-error')).toBe(false);
    }), { numRuns: runs });
  });

  it('on hello with random bytes overwritten and random truncation', () => {
    const patch = fc.record({ offset: fc.nat({ max: 200 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) });
    fc.assert(fc.property(fc.array(patch, { maxLength: 6 }), fc.nat({ max: hello.length }), (patches, length) => {
      const bytes = hello.slice();
      for (const { offset, bytes: data } of patches) bytes.set(data.subarray(0, bytes.length - offset), offset);
      const findings = lintAll(bytes.subarray(0, Math.max(4, length)));
      expect(findings.some((f) => f.rule === 'internal-error')).toBe(false);
    }), { numRuns: runs });
  });

  it('on files whose tables and counts are random', () => {
    const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
    const u16 = fc.integer({ min: 0, max: 0xffff });
    fc.assert(fc.property(u64, u64, u16, u16, u16, u16, u16, (phoff, shoff, phnum, shnum, shstrndx, phentsize, shentsize) => {
      const spec: ElfSpec = { ...HELLO, header: { e_phnum: phnum, e_shnum: shnum, e_shstrndx: shstrndx, e_phentsize: phentsize, e_shentsize: shentsize }, size: 910 };
      const bytes = buildElf(spec);
      const view = new DataView(bytes.buffer);
      view.setBigUint64(32, phoff, true);
      view.setBigUint64(40, shoff, true);
      expect(lintAll(bytes).some((f) => f.rule === 'internal-error')).toBe(false);
    }), { numRuns: runs });
  });
});

describe('reading on demand', () => {
  it('gives the same findings and verdict as reading whole, and reads far less of a large file', () => {
    const paths = ['/usr/lib/x86_64-linux-gnu/libc.so.6', process.execPath].filter((path) => existsSync(path));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const whole = readFileSync(path);
      const reads: { start: number; end: number }[] = [];
      const source: ByteSource = {
        size: whole.length,
        read(target, position) {
          const bytes = whole.subarray(position, position + target.length);
          reads.push({ start: position, end: position + bytes.length });
          target.set(bytes);
        },
      };
      const lazy = examine(source);
      const eager = examine(whole);
      expect(lazy.findings).toEqual(eager.findings);
      expect(lazy.loader).toEqual(eager.loader);
      if (whole.length <= 8 * 1024 * 1024 || eager.file.kind !== 'elf') continue;
      // The symbol, string, relocation and hash tables are read (the rules check them); code and
      // read-only data never are, beyond the 64 KiB chunks around the entry point and table edges.
      const payload = eager.file.sectionHeaders.filter((section) => section.name === '.text' || section.name === '.rodata');
      const readInside = payload.reduce((total, section) => {
        const [start, end] = [Number(section.sh_offset), Number(section.sh_offset + section.sh_size)];
        return total + reads.reduce((sum, read) => sum + Math.max(0, Math.min(end, read.end) - Math.max(start, read.start)), 0);
      }, 0);
      expect(payload.length).toBeGreaterThan(0);
      expect(readInside).toBeLessThan(4 * 64 * 1024);
      expect(reads.reduce((sum, read) => sum + read.end - read.start, 0)).toBeLessThan(whole.length / 2);
    }
  });
});
