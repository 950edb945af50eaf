// `elf-lint map` and `elf-lint lint --format html` through the built CLI:
// outputs, exit codes, one-line errors, and a 100 MB file with thousands of sections.
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { SHT_PROGBITS } from '../src/model/constants.js';
import { MAX_FILE_ROWS } from '../src/report/map.js';
import { workersFor } from '../src/cli/lint-pool.js';
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
    [['map', '--ascii', '--format', 'svg', 'corpus/hello'], 3, 'elf-lint: --ascii applies to text output only, not to --format svg\n'],
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

/** The maps a page embeds, by file index (null where a file has none). */
function embeddedMaps(page: string): ({ path: string; memory: string } | null)[] {
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (json === undefined) throw new Error('no report data in the page');
  return (JSON.parse(json) as { maps: ({ path: string; memory: string } | null)[] }).maps;
}

describe('the HTML report, each file parsed once', () => {
  it('is byte for byte the same on one thread and with worker threads, which make the maps of the files it checks', async () => {
    const dir = scratch();
    try {
      // The corpus twice over: enough files for a worker thread at --jobs 2.
      for (const copy of ['a', 'b']) cpSync('corpus', join(dir, copy), { recursive: true });
      const env = { ...process.env, ELF_LINT_DEBUG: '1' };
      const [one, two] = await Promise.all(['1', '2'].map((jobs) => runCli(['lint', '--format', 'html', '--jobs', jobs, dir], { env })));
      const files = Number(/(\d+) files/.exec(two!.stderr)?.[1]);
      expect(workersFor(files, 2)).toBe(2);
      expect(two!.stderr).toContain('checked on 2 worker threads');
      expect(two!.stdout).toBe(one!.stdout);
      expect(two!.code).toBe(one!.code);
      const maps = embeddedMaps(one!.stdout);
      expect(maps).toHaveLength(files);
      // Every ELF file of the corpus has its map (only README.md is not ELF, and the lint walk skips it).
      expect(maps.every((map) => map !== null)).toBe(true);
      expect(maps.map((map) => map!.path)).toContain(join(dir, 'b', 'hello-s390x'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws the map of standard input too', async () => {
    const run = await runCli(['lint', '--format', 'html', '-'], { input: readFileSync('corpus/hello') });
    expect(run.code, run.stderr).toBe(0);
    expect(embeddedMaps(run.stdout)).toEqual([expect.objectContaining({ path: '<stdin>', memory: 'memory as the x86_64 loader maps it' })]);
  });
});

describe('elf-lint merge --format html', () => {
  it('writes the page lint writes for the same files, drawing each map from the file at its path', async () => {
    const dir = scratch();
    try {
      const inputs = ['corpus/hello', 'corpus/hello-aarch64', 'corpus/hello-entry-outside', 'corpus/hello-pie'];
      const shards = [1, 2].map((index) => join(dir, `shard-${index}.json`));
      await Promise.all(shards.map((file, index) => runCli(['lint', '--format', 'json', '--shard', `${index + 1}/2`, '--output', file, ...inputs])));
      const [linted, merged] = await Promise.all([runCli(['lint', '--format', 'html', ...inputs]), runCli(['merge', '--format', 'html', ...shards])]);
      expect(linted.code, linted.stderr).toBe(1);
      expect(merged.code, merged.stderr).toBe(linted.code);
      expect(merged.stdout).toBe(linted.stdout);
      expect(embeddedMaps(merged.stdout).every((map) => map !== null)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the map is unavailable for a file that is no longer at its path, and draws the target it is given', async () => {
    const dir = scratch();
    try {
      const [kept, gone] = [join(dir, 'hello'), join(dir, 'hello-wx')];
      cpSync('corpus/hello', kept);
      cpSync('corpus/hello-wx', gone);
      const report = join(dir, 'report.json');
      expect((await runCli(['lint', '--format', 'json', '--output', report, kept, gone])).code).toBe(0);
      rmSync(gone);
      const merged = await runCli(['merge', '--format', 'html', report]);
      expect(merged.code, merged.stderr).toBe(0);
      expect(embeddedMaps(merged.stdout)).toEqual([expect.objectContaining({ path: kept }), null]);
      expect(merged.stdout).toContain('<p class="muted">map unavailable: the file cannot be read at its path</p>');
      // The target options reach the maps (the verdicts are the report's).
      const aarch64 = await runCli(['merge', '--format', 'html', '--machine', 'aarch64', report]);
      expect(embeddedMaps(aarch64.stdout)[0]).toMatchObject({ memory: 'memory as the aarch64 loader maps it' });
      expect(embeddedMaps(merged.stdout)[0]).toMatchObject({ memory: 'memory as the x86_64 loader maps it' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
