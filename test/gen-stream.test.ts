// spec and gen --from read a large file by ranges and write their output a
// window at a time; these tests hold them to the in-memory path they replace,
// byte for byte, and check that no read or write holds the file whole.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePiecesAtomic } from '../src/cli/atomic-write.js';
import { InputError } from '../src/cli/exit-codes.js';
import { buildElf, ElfImage, WINDOW_BYTES } from '../src/gen/build.js';
import { fileSpecOf, specFromFile } from '../src/gen/from-file.js';
import { specJsonPieces, specToJson } from '../src/gen/json.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { exitSpec } from '../src/gen/templates.js';
import { SHT_PROGBITS } from '../src/model/constants.js';
import type { ByteSource, ElfFile } from '../src/model/elf.js';
import { parseElf } from '../src/parse/parse.js';
import { CLI, HELLO } from './support.js';

const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-gen-stream-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const parsed = (bytes: Uint8Array): ElfFile => {
  const file = parseElf(bytes);
  if (file.kind !== 'elf') throw new Error('not ELF');
  return file;
};

/** The windows joined, each copied as it comes (the next one overwrites it). */
function concat(windows: Iterable<Uint8Array>): Buffer {
  const copies: Buffer[] = [];
  for (const window of windows) copies.push(Buffer.from(window));
  return Buffer.concat(copies);
}
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The bytes as a file read by ranges, remembering the longest read. */
function countedSource(bytes: Uint8Array): ByteSource & { longest: number } {
  const source = {
    size: bytes.length,
    longest: 0,
    read(target: Uint8Array, position: number) {
      source.longest = Math.max(source.longest, target.length);
      target.set(bytes.subarray(position, position + target.length));
    },
  };
  return source;
}

/** A file of several windows whose raw chunks (section contents) cross window boundaries. */
function multiWindowFile(): Uint8Array {
  const content = (seed: number, length: number) => Uint8Array.from({ length }, (_, i) => ((i * 31 + seed) % 251) + 1);
  const spec: ElfSpec = {
    sections: [
      {},
      { name: '.a', sh_type: SHT_PROGBITS, sh_addralign: 16n, data: content(1, WINDOW_BYTES + 12_345) },
      { name: '.b', sh_type: SHT_PROGBITS, sh_addralign: 16n, data: content(2, 2 * WINDOW_BYTES - 77) },
      { name: '.shstrtab' },
    ],
  };
  return buildElf(spec);
}

describe('ElfImage windows', () => {
  const specs: [string, ElfSpec][] = [
    ['hello', HELLO],
    ['exit', exitSpec(3)],
    ...['hello', 'hello-interp-nul'].map((name): [string, ElfSpec] => [name, specFromFile(parsed(readFileSync(corpus(name))))]),
  ];

  it.each(specs)('make the file buildElf makes, whatever their size (%s)', (_name, spec) => {
    const whole = buildElf(spec);
    for (const size of [1, 7, 64, 4096, WINDOW_BYTES]) expect(same(concat(new ElfImage(spec).windows(size)), whole), `windows of ${size}`).toBe(true);
  });

  it('write a header table and its fields across a window edge', () => {
    // Section 1's header straddles the first window edge, and so does its sh_offset field (bytes 24-31 of the record); the raw chunk, the second.
    const shoff = WINDOW_BYTES - 64 - 28;
    const spec: ElfSpec = {
      header: { e_shoff: BigInt(shoff) },
      sections: [{}, { name: '.x', sh_type: SHT_PROGBITS, sh_offset: 0x1234_5678_9abcn, sh_size: 0x10n }, { name: '.shstrtab' }],
      size: 2 * WINDOW_BYTES + 4096,
      raw: [{ offset: 2 * WINDOW_BYTES - 1, bytes: Uint8Array.of(0xaa, 0xbb) }],
    };
    const whole = buildElf(spec);
    expect(same(concat(new ElfImage(spec).windows()), whole)).toBe(true);
    expect(same(concat(new ElfImage(spec).windows(4096)), whole)).toBe(true);
    const header = parsed(whole).sectionHeaders.at(1)!;
    expect([header.sh_offset, header.sh_size, header.name]).toEqual([0x1234_5678_9abcn, 0x10n, '.x']);
    expect([...whole.subarray(2 * WINDOW_BYTES - 1, 2 * WINDOW_BYTES + 1)]).toEqual([0xaa, 0xbb]);
  });
});

describe('a file read by ranges', () => {
  const bytes = multiWindowFile();

  it('gives the spec and the rebuilt file of the file in memory, reading at most a window at a time', () => {
    const source = countedSource(bytes);
    const inMemory = specFromFile(parsed(bytes));
    expect(inMemory.raw!.length).toBeGreaterThan(0);
    const { structure, raw } = fileSpecOf(parseElf(source) as ElfFile, source);
    expect([...specJsonPieces(structure, raw)].join('')).toBe(specToJson(inMemory));
    expect(same(concat(new ElfImage(structure, raw).windows()), bytes)).toBe(true);
    expect(same(buildElf(inMemory), bytes)).toBe(true);
    expect(source.longest).toBeLessThanOrEqual(WINDOW_BYTES);
  });
});

describe('the CLI streams exactly what the in-memory path makes', () => {
  const big = join(scratch, 'multi-window');
  writeFileSync(big, multiWindowFile());
  // /usr/bin/ls is read whole (below the size at which files are read by ranges); libc, when there, by ranges.
  const files = [corpus('hello'), corpus('hello-interp-nul'), big, '/usr/bin/ls', '/usr/lib/x86_64-linux-gnu/libc.so.6'].filter((path) => existsSync(path));

  it.each(files)('spec and gen --from on %s', (path) => {
    const bytes = readFileSync(path);
    const spec = specFromFile(parsed(bytes));
    const printed = spawnSync(process.execPath, [CLI, 'spec', path], { maxBuffer: 1 << 30 });
    expect(printed.status, printed.stderr.toString()).toBe(0);
    expect(printed.stdout.equals(Buffer.from(specToJson(spec), 'utf8'))).toBe(true);
    const output = join(scratch, 'rebuilt');
    const rebuilt = spawnSync(process.execPath, [CLI, 'gen', '--from', path, '-o', output]);
    expect(rebuilt.status, rebuilt.stderr.toString()).toBe(0);
    const written = readFileSync(output);
    expect(same(written, buildElf(spec))).toBe(true);
    expect(same(written, bytes)).toBe(true);
    const toStdout = spawnSync(process.execPath, [CLI, 'gen', '--from', path, '-o', '-'], { maxBuffer: 1 << 30 });
    expect(same(toStdout.stdout, bytes)).toBe(true);
  });
});

describe('writePiecesAtomic', () => {
  it('leaves nothing behind when a piece fails, and the error goes on as it is', () => {
    const directory = mkdtempSync(join(scratch, 'atomic-'));
    const target = join(directory, 'out');
    const failure = new InputError('source: cannot read: EIO');
    function* pieces() {
      yield Uint8Array.of(1, 2, 3);
      throw failure;
    }
    expect(() => writePiecesAtomic(target, pieces(), 0o755)).toThrow(failure);
    expect(readdirSync(directory)).toEqual([]);
    writePiecesAtomic(target, [Uint8Array.of(1), Uint8Array.of(2, 3)], 0o755);
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
  });
});
