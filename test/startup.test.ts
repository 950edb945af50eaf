// How the command line starts: dist/cli/main.js compiles the bundled CLI
// (dist/cli/elf-lint.cjs) with the V8 code cache the build recorded. These
// tests check the build's output is what a start uses, and that a cache V8
// refuses costs time only. (How fast it starts is measured by npm run bench.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const DIST_CLI = new URL('../dist/cli/', import.meta.url).pathname;
const HELLO = new URL('../corpus/hello', import.meta.url).pathname;
// The build makes main.js self-contained: one ES module fewer to resolve and read at each start.
const LAUNCHER_FILES = ['main.js', 'elf-lint.cjs'];

function start(directory: string, args: string[]) {
  const result = spawnSync(process.execPath, [join(directory, 'main.js'), ...args], {
    encoding: 'utf8', env: { ...process.env, ELF_LINT_DEBUG: '1', NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('start-up', () => {
  const scratch: string[] = [];
  afterEach(() => {
    for (const directory of scratch.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  /** The launcher and the bundle copied into another package (dist/cli/ and the manifest), with `cache` as the code cache (none when undefined). */
  function copyOfLauncher(cache: Buffer | undefined): string {
    const root = mkdtempSync(join(tmpdir(), 'elf-lint-start-'));
    scratch.push(root);
    const directory = join(root, 'dist', 'cli');
    mkdirSync(directory, { recursive: true });
    copyFileSync(new URL('../package.json', import.meta.url), join(root, 'package.json'));
    for (const name of LAUNCHER_FILES) copyFileSync(join(DIST_CLI, name), join(directory, name));
    if (cache) writeFileSync(join(directory, 'elf-lint.cache'), cache);
    return directory;
  }

  it('runs the bundle with the code cache the build recorded, which V8 accepts', () => {
    const result = start(DIST_CLI, [HELLO]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`elf-lint: code cache ${join(DIST_CLI, 'elf-lint.cache')}: used\n`);
    expect(result.stdout).toContain('clean (no findings)');
  });

  it('gives the same output with a cache V8 refuses, or none', () => {
    const reference = start(DIST_CLI, ['lint', '--format', 'json', HELLO]);
    const refused = start(copyOfLauncher(Buffer.from('not a code cache')), ['lint', '--format', 'json', HELLO]);
    expect(refused.stderr).toMatch(/code cache .*: refused by V8 \(compiled anew\)\n/);
    const missing = start(copyOfLauncher(undefined), ['lint', '--format', 'json', HELLO]);
    expect(missing.stderr).toMatch(/code cache .*: missing\n/);
    for (const run of [refused, missing]) {
      expect(run.code).toBe(reference.code);
      expect(run.stdout).toBe(reference.stdout);
    }
  });

  it('says in one line that an unbuilt copy must be built', () => {
    const directory = copyOfLauncher(undefined);
    rmSync(join(directory, 'elf-lint.cjs'));
    const result = spawnSync(process.execPath, [join(directory, 'main.js'), HELLO], { encoding: 'utf8' });
    expect(result.status).toBe(4);
    expect(result.stderr).toBe(`elf-lint: ${join(directory, 'elf-lint.cjs')} is missing: this copy of elf-lint is not built (run npm run build)\n`);
  });

  it('writes a one-file report without making the process.stdout and process.stderr streams', () => {
    // The streams and the modules behind them are a few milliseconds of a one-file run; a preload reports any use.
    const scratchDirectory = mkdtempSync(join(tmpdir(), 'elf-lint-streams-'));
    scratch.push(scratchDirectory);
    const preload = join(scratchDirectory, 'watch-streams.cjs');
    writeFileSync(preload, `for (const name of ['stdout', 'stderr']) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get() {
    require('node:fs').writeSync(2, 'made process.' + name + '\\n');
    Object.defineProperty(process, name, own);
    return own.get.call(process);
  } });
}
`);
    // Both launchers: the CommonJS one package.json's bin names, and the ES module one.
    for (const launcher of ['main.cjs', 'main.js']) {
      const result = spawnSync(process.execPath, ['--require', preload, join(DIST_CLI, launcher), HELLO], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('clean (no findings)');
      expect(result.stderr).toBe('');
    }
  });

  it('names the CommonJS launcher as the bin: an ES module entry would start the ESM loader first', () => {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin['elf-lint']).toBe('dist/cli/main.cjs');
    expect(readFileSync(join(DIST_CLI, 'main.cjs'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('keeps the bundle pure ASCII, which the launcher decodes as Latin-1', () => {
    const bytes = readFileSync(join(DIST_CLI, 'elf-lint.cjs'));
    expect(bytes.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });
});
