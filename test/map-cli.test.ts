// `elf-lint map` and `elf-lint lint --format html` through the built CLI:
// outputs, exit codes, one-line errors, and a 100 MB file with thousands of sections.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { SHT_PROGBITS } from '../src/model/constants.js';
import { MAX_FILE_ROWS } from '../src/report/map.js';
import { HELLO, killTracked, runCli } from './support.js';

afterEach(killTracked);

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'elf-lint-map-cli-'));
}

describe('elf-lint map', () => {
  it('prints the text map of a file, and the same map as SVG with --format svg', async () => {
    const text = await runCli(['map', 'corpus/hello-s390x']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^corpus\/hello-s390x: ELF64 MSB EXEC S390, 162 bytes; memory as the s390x loader maps it, page 0x1000\n/);
    expect(text.stdout).toContain('0x400000-0x401000 r-x LOAD 0 (file 0x0+0xa2)');
    const svg = await runCli(['map', '--format', 'svg', 'corpus/hello-i386']);
    expect(svg.code, svg.stderr).toBe(0);
    expect(svg.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /);
    expect(svg.stdout).toContain('<title id="map-title">Layout map of corpus/hello-i386</title>');
    expect(svg.stdout).not.toMatch(/<script/i);
  });

  it('reads standard input, writes -o atomically, and draws ASCII with --ascii', async () => {
    const dir = scratch();
    try {
      const out = join(dir, 'map.txt');
      const run = await runCli(['map', '--ascii', '-o', out, '-'], { input: readFileSync('corpus/hello-arm') });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('');
      const written = readFileSync(out, 'utf8');
      expect(written).toMatch(/^<stdin>: ELF32 LSB EXEC ARM, 136 bytes/);
      expect(written).toMatch(/^[\u0020-\u007e\n]*$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['map', 'corpus/README.md'], 2, 'elf-lint: corpus/README.md: not an ELF file (it does not start with \\x7fELF)\n'],
    [['map', 'no/such/file'], 2, 'elf-lint: no/such/file: cannot read: no such file or directory\n'],
    [['map', 'corpus'], 2, 'elf-lint: corpus: is a directory\n'],
    [['map'], 3, "elf-lint: missing required argument 'file' (run with --help for usage)\n"],
    [['map', '--format', 'png', 'corpus/hello'], 3, "elf-lint: option '-f, --format <format>' argument 'png' is invalid. Allowed choices are text, svg. (run with --help for usage)\n"],
    [['map', '--machine', 'vax', 'corpus/hello'], 3, undefined],
  ] as const)('%j exits %i with one elf-lint: line', async (args, code, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
    expect(run.stdout).toBe('');
    if (message !== undefined) expect(run.stderr).toBe(message);
    expect(run.stderr).toMatch(/^elf-lint: [^\n]*\n$/);
  });

  it('summarises a 100 MB file with 3,000 sections in at most 40 rows', async () => {
    const dir = scratch();
    try {
      const path = join(dir, 'big');
      const sections = [{}, { name: '.shstrtab' }, ...Array.from({ length: 3000 }, (_, i) => ({ name: `.text.f${i}`, sh_type: SHT_PROGBITS, data: new Uint8Array(16) }))];
      writeFileSync(path, buildElf({ ...HELLO, sections }));
      truncateSync(path, 100_000_000); // a sparse tail: 100 MB on paper
      const run = await runCli(['map', path]);
      expect(run.code, run.stderr).toBe(0);
      const rows = run.stdout.split('\n').filter((line) => /^│ 0x[0-9a-f]+-0x[0-9a-f]+ /.test(line));
      expect(rows.length).toBeLessThanOrEqual(MAX_FILE_ROWS);
      expect(rows.length).toBeGreaterThan(10);
      // The 3,000 sections and the name table.
      expect(run.stdout).toContain('(3001 small sections are grouped into runs)');
      expect(rows.at(-1)).toMatch(/^│ 0x[0-9a-f]+-0x5f5e100 past the last segment/);
      const svg = await runCli(['map', '--format', 'svg', path]);
      expect(svg.code, svg.stderr).toBe(0);
      expect(svg.stdout.match(/<g class="file-row"/g)!.length).toBe(rows.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('elf-lint lint --format html', () => {
  it('writes one page with the lint exit code, and refuses --quiet', async () => {
    const run = await runCli(['lint', '--format', 'html', 'corpus/hello', 'corpus/hello-entry-outside']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(run.stdout).toContain('<details class="file" id="file-1" data-index="1">');
    expect(run.stdout).toContain('"maps":[{"path":"corpus/hello",');
    const clean = await runCli(['lint', '--format', 'html', 'corpus/hello']);
    expect(clean.code, clean.stderr).toBe(0);
    const quiet = await runCli(['lint', '--format', 'html', '--quiet', 'corpus/hello']);
    expect(quiet.code, quiet.stderr).toBe(3);
    expect(quiet.stderr).toBe('elf-lint: --quiet applies to text output only, not to --format html\n');
  });
});
