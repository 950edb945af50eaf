// Files of 2 GiB and more are linted by ranges: sparse files (a real ELF
// header and tables, the rest a hole) of exactly 2 GiB, 3 GiB and 5 GiB, with
// tables moved past 2 GiB and past 4 GiB. They cost a few KiB of disk and the
// ranges the checks read, never a buffer the size of the file.
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { examine } from '../src/examine.js';
import { readInput, type OpenFile } from '../src/cli/inputs.js';
import { parseElf } from '../src/parse/parse.js';
import { ELF64_LAYOUT, MAX_FILE_BYTES } from '../src/model/layout.js';
import { SHT_PROGBITS } from '../src/model/constants.js';
import type { ByteSource, ElfFile } from '../src/model/elf.js';
import type { Finding } from '../src/model/finding.js';
import { CLI, HELLO } from './support.js';

const GiB = 2 ** 30;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-large-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** hello with a section table: section 1 has an invalid sh_addralign, so a finding points into the table. */
const SPEC: ElfSpec = {
  ...HELLO,
  sections: [{}, { name: '.text', sh_type: SHT_PROGBITS, sh_offset: 0x78n, sh_size: 16n, sh_addralign: 3n }, { name: '.shstrtab' }],
};
const BASE = buildElf(SPEC);
const base = parsed(BASE);

function parsed(source: Uint8Array | ByteSource): ElfFile {
  const file = parseElf(source);
  if (file.kind !== 'elf') throw new Error('not ELF');
  return file;
}

interface Placement {
  /** Where the section header table goes, with the section name table right after it. */
  readonly shoff?: number;
  /** Where the program header table goes. */
  readonly phoff?: number;
}

/** A sparse file of `size` bytes: the base file at 0, its tables moved where `placement` says. */
function sparseElf(name: string, size: number, placement: Placement): string {
  const path = join(scratch, name);
  const head = Uint8Array.from(BASE);
  const view = new DataView(head.buffer);
  const header = base.header!;
  const pieces: [position: number, bytes: Uint8Array][] = [];
  if (placement.phoff !== undefined) {
    const start = Number(header.e_phoff);
    pieces.push([placement.phoff, BASE.slice(start, start + base.phnum * header.e_phentsize)]);
    view.setBigUint64(ELF64_LAYOUT.ehdr.e_phoff.offset, BigInt(placement.phoff), true);
  }
  if (placement.shoff !== undefined) {
    const start = Number(header.e_shoff);
    const table = BASE.slice(start, start + base.shnum * header.e_shentsize);
    const names = base.sectionHeaders.at(base.shstrndx)!;
    const namesAt = placement.shoff + table.length;
    new DataView(table.buffer).setBigUint64(base.shstrndx * header.e_shentsize + ELF64_LAYOUT.shdr.sh_offset.offset, BigInt(namesAt), true);
    pieces.push([placement.shoff, table], [namesAt, BASE.slice(Number(names.sh_offset), Number(names.sh_offset + names.sh_size))]);
    view.setBigUint64(ELF64_LAYOUT.ehdr.e_shoff.offset, BigInt(placement.shoff), true);
  }
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (const [position, bytes] of [[0, head] as const, ...pieces]) writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** The file as lint opens it (by ranges), counting the bytes read. */
function openCounted(path: string): { source: ByteSource; read: () => number; close: () => void } {
  const input = readInput(path, false, { onDemand: true });
  if (!input || !('file' in input)) throw new Error(`${path} was not opened for reading by ranges: ${JSON.stringify(input)}`);
  const file: OpenFile = input.file;
  let read = 0;
  const source: ByteSource = {
    size: file.size,
    read(target, position) {
      read += target.length;
      file.read(target, position);
    },
  };
  return { source, read: () => read, close: () => file.close() };
}

/** The offset of section `index`'s sh_addralign in a table at `shoff`. */
const alignAt = (shoff: number, index: number) => shoff + index * ELF64_LAYOUT.shdrSize + ELF64_LAYOUT.shdr.sh_addralign.offset;

const alignFindings = (findings: readonly Finding[]) =>
  findings.filter((finding) => finding.rule === 'section-align-invalid').map(({ field, offset, length }) => ({ field, offset, length }));

describe('the base file', () => {
  it('has the section finding the large files move', () => {
    const { findings, loader } = examine(BASE);
    expect(alignFindings(findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(Number(base.header!.e_shoff), 1), length: 8 }]);
    expect(loader.verdict).toBe('runs');
  });
});

describe('a file of exactly 2 GiB', () => {
  const size = 2 * GiB;
  const shoff = size - 0x1000;
  const path = sparseElf('2gib', size, { shoff });

  it('is read by ranges, to its last page', () => {
    const { source, read, close } = openCounted(path);
    try {
      const { file, findings, loader } = examine(source);
      expect(file).toMatchObject({ kind: 'elf', size, parseIssues: [] });
      const elf = file as ElfFile;
      expect(elf.header!.e_shoff).toBe(BigInt(shoff));
      expect(elf.sectionHeaders.map((section) => section.name)).toEqual(['', '.text', '.shstrtab']);
      expect(alignFindings(findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(shoff, 1), length: 8 }]);
      expect(loader.verdict).toBe('runs');
      expect(read()).toBeLessThan(1024 * 1024);
    } finally {
      close();
    }
  });

  it('lint reads it (it used to be refused)', () => {
    const result = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { files: { findings: Finding[]; loader: { verdict: string } }[]; summary: { unreadable: number } };
    expect(report.summary.unreadable).toBe(0);
    expect(report.files[0]!.loader.verdict).toBe('runs');
    expect(alignFindings(report.files[0]!.findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(shoff, 1), length: 8 }]);
  });

  it('spec and gen --from keep their limit (they hold the whole file) and say so in one line', () => {
    expect(size).toBeGreaterThan(MAX_FILE_BYTES);
    for (const args of [['spec', path], ['gen', '--from', path, '-o', join(scratch, 'never')]]) {
      const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^elf-lint: .*2gib: file is ${size} bytes; elf-lint holds a whole file in memory only up to ${MAX_FILE_BYTES} bytes.*\\n$`));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('a file of 3 GiB with its program header table past 2 GiB', () => {
  const size = 3 * GiB;
  const phoff = 2 * GiB + 0x40;
  const shoff = size - 0x1000;
  const path = sparseElf('3gib', size, { phoff, shoff });

  it('reads the tables where they are', () => {
    const { source, read, close } = openCounted(path);
    try {
      const { file, findings } = examine(source);
      const elf = file as ElfFile;
      expect(elf).toMatchObject({ kind: 'elf', size, parseIssues: [] });
      expect(elf.header!.e_phoff).toBe(BigInt(phoff));
      expect(elf.programHeaders).toEqual(base.programHeaders);
      expect(alignFindings(findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(shoff, 1), length: 8 }]);
      expect(read()).toBeLessThan(1024 * 1024);
    } finally {
      close();
    }
  });
});

describe('a file of 5 GiB with its section header table past 4 GiB', () => {
  const size = 5 * GiB;
  const shoff = 4 * GiB + 0x1000;
  const path = sparseElf('5gib', size, { shoff });

  it('reads the table at its 64-bit offset, and findings point at it', () => {
    const { source, read, close } = openCounted(path);
    try {
      const { file, findings, loader } = examine(source);
      const elf = file as ElfFile;
      expect(elf).toMatchObject({ kind: 'elf', size, parseIssues: [] });
      expect(elf.header!.e_shoff).toBe(0x1_0000_1000n);
      expect(elf.sectionHeaders.map(({ name, sh_addralign }) => ({ name, sh_addralign }))).toEqual(
        base.sectionHeaders.map(({ name, sh_addralign }) => ({ name, sh_addralign })));
      expect(elf.sectionHeaders.at(2)!.sh_offset).toBe(BigInt(shoff + 3 * ELF64_LAYOUT.shdrSize));
      expect(alignFindings(findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(shoff, 1), length: 8 }]);
      expect(findings.map((finding) => finding.rule).sort()).toEqual(examine(BASE).findings.map((finding) => finding.rule).sort());
      expect(loader).toEqual(examine(BASE).loader);
      expect(read()).toBeLessThan(1024 * 1024);
      // The whole file cannot be held in one buffer; its ranges can.
      expect(() => elf.bytes).toThrow(RangeError);
      expect(elf.slice(shoff + ELF64_LAYOUT.shdrSize, 4)).toEqual(BASE.slice(Number(base.header!.e_shoff) + ELF64_LAYOUT.shdrSize).subarray(0, 4));
    } finally {
      close();
    }
  });

  it('lint exits with the findings\' code and reports the exact offset in JSON and text', () => {
    const json = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', path], { encoding: 'utf8' });
    expect(json.status, json.stderr).toBe(0); // a warning: below the default --fail-on error
    const report = JSON.parse(json.stdout) as { files: { path: string; findings: Finding[]; loader: { verdict: string } }[]; summary: { unreadable: number } };
    expect(report.summary.unreadable).toBe(0);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]!.loader.verdict).toBe('runs');
    expect(alignFindings(report.files[0]!.findings)).toEqual([{ field: 'shdr[1].sh_addralign', offset: alignAt(shoff, 1), length: 8 }]);

    const text = spawnSync(process.execPath, [CLI, 'lint', '--fail-on', 'warning', path], { encoding: 'utf8' });
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain(`${path}:0x${alignAt(shoff, 1).toString(16)}: warning: `);
  });
});
