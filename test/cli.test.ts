// End-to-end: the built CLI (dist/, made by `npm run build`, which `npm test` runs first).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_RULE_METAS } from '../src/rules/registry.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('exit codes', () => {
  it('0 and a clean verdict for hello, with the loader verdict', () => {
    const result = run([corpus('hello')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/hello: clean/);
    expect(result.stdout).toMatch(/hello: loader: runs: the program starts at 0x400078/);
    expect(result.stderr).toBe('');
  });

  it('1 for an error finding, with a gcc-style line', () => {
    const result = run([corpus('hello-entry-outside')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^.*hello-entry-outside:0x18: error: e_entry 0x500000 .* \[entry-in-load-segment\]$/m);
  });

  it('--fail-on moves the threshold', () => {
    expect(run([corpus('hello-wx')]).code).toBe(0);
    expect(run(['--fail-on', 'warning', corpus('hello-wx')]).code).toBe(1);
    expect(run(['--fail-on', 'warning', corpus('hello-ident-padding')]).code).toBe(0);
    expect(run(['--fail-on', 'info', corpus('hello-ident-padding')]).code).toBe(1);
  });

  it('2 for a missing file and for a non-ELF file named explicitly', () => {
    expect(run([join(scratch, 'missing')])).toMatchObject({ code: 2 });
    const text = join(scratch, 'notes.txt');
    writeFileSync(text, 'not a binary');
    const result = run([text]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/not an ELF file.*\[not-elf\]/);
  });

  it('2 wins over 1 when both happen', () => {
    expect(run([corpus('hello-entry-zero'), join(scratch, 'missing')]).code).toBe(2);
  });

  it('3 for usage errors, with a message and no stack trace', () => {
    for (const args of [['--bogus', corpus('hello')], ['--format', 'xml', corpus('hello')], ['--fail-on', 'fatal', corpus('hello')],
      ['--page-size', '1000', corpus('hello')], ['--disable', 'no-such-rule', corpus('hello')], ['explain', 'no-such-rule'], []]) {
      const result = run(args);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr.length).toBeGreaterThan(0);
    }
  });

  it('directories recurse and skip non-ELF files silently', () => {
    const directory = join(scratch, 'tree');
    rmSync(directory, { recursive: true, force: true });
    const nested = join(directory, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'hello'), readFileSync(corpus('hello')));
    writeFileSync(join(directory, 'README'), 'text');
    const result = run(['--format', 'json', directory]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files.map((f: { path: string }) => f.path)).toEqual([join(nested, 'hello')]);
  });
});

describe('formats', () => {
  it('JSON follows schemaVersion 1', () => {
    const result = run(['--format', 'json', corpus('hello-entry-outside'), corpus('hello')]);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'elf-lint', version: expect.any(String) },
      summary: { files: 2, errors: 1, warnings: 0, infos: 0 },
    });
    expect(document.files[0]).toEqual({
      path: corpus('hello-entry-outside'),
      elf: { class: 'ELF64', data: 'LSB', type: 'EXEC', machine: 'X86_64' },
      findings: [{
        rule: 'entry-in-load-segment', severity: 'error', category: 'loader', message: expect.any(String),
        offset: 24, length: 8, field: 'e_entry', actual: '0x500000', expected: 'an address inside a PT_LOAD',
      }],
      loader: { verdict: 'start-fault', errno: null, signal: 'SIGSEGV', because: ['entry-in-load-segment'], reason: expect.any(String) },
    });
    expect(document.files[1].findings).toEqual([]);
  });

  it('JSON has elf null for a non-ELF file', () => {
    const text = join(scratch, 'plain');
    writeFileSync(text, 'plain');
    const document = JSON.parse(run(['-f', 'json', text]).stdout);
    expect(document.files[0].elf).toBeNull();
    expect(document.files[0].findings[0].rule).toBe('not-elf');
    expect(document.files[0].loader).toMatchObject({ verdict: 'not-applicable', errno: 'ENOEXEC' });
  });

  it('never colours a pipe, and NO_COLOR is honoured', () => {
    expect(run([corpus('hello-wx')]).stdout).not.toContain('\u001b[');
    expect(run([corpus('hello-wx')], { NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('summarises many files in one line', () => {
    const result = run([corpus('hello'), corpus('hello-wx')]);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('2 files checked, 1 clean: 0 errors, 1 warning, 0 infos');
  });
});

describe('rules and explain', () => {
  it('rules --format json lists every rule', () => {
    const list = JSON.parse(run(['rules', '--format', 'json']).stdout);
    expect(list).toHaveLength(ALL_RULE_METAS.length);
    expect(list[0]).toEqual({ id: expect.any(String), category: expect.any(String), severity: expect.any(String), summary: expect.any(String) });
  });

  it('explain prints the explanation', () => {
    const result = run(['explain', 'segment-page-congruence']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^segment-page-congruence \(error, loader\)/);
    expect(result.stdout).toMatch(/Fix:/);
  });

  it('--disable turns a rule off', () => {
    expect(run(['--disable', 'entry-in-load-segment', corpus('hello-entry-outside')]).code).toBe(0);
  });
});

describe('gen and spec', () => {
  it('gen hello reproduces corpus/hello, mode 0755, atomically', () => {
    const output = join(scratch, 'hello');
    expect(run(['gen', 'hello', '-o', output]).code).toBe(0);
    expect(readFileSync(output).equals(readFileSync(corpus('hello')))).toBe(true);
    expect(statSync(output).mode & 0o777).toBe(0o755);
    expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('spec then gen --spec and gen --from round-trip a file', () => {
    const specPath = join(scratch, 'hello.json');
    writeFileSync(specPath, run(['spec', corpus('hello-interp-nul')]).stdout);
    const fromSpec = join(scratch, 'from-spec');
    const fromFile = join(scratch, 'from-file');
    expect(run(['gen', '--spec', specPath, '-o', fromSpec]).code).toBe(0);
    expect(run(['gen', '--from', corpus('hello-interp-nul'), '-o', fromFile]).code).toBe(0);
    expect(readFileSync(fromSpec).equals(readFileSync(corpus('hello-interp-nul')))).toBe(true);
    expect(readFileSync(fromFile).equals(readFileSync(corpus('hello-interp-nul')))).toBe(true);
  });

  it('a bad spec names the field, exits 3 and writes nothing', () => {
    const specPath = join(scratch, 'bad.json');
    writeFileSync(specPath, JSON.stringify({ segments: [{ p_vaddr: '0x1ffffffffffffffff' }] }));
    const output = join(scratch, 'never');
    const result = run(['gen', '--spec', specPath, '-o', output]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('segments[0].p_vaddr');
    expect(existsSync(output)).toBe(false);
  });

  it('gen exit --status validates its value', () => {
    expect(run(['gen', 'exit', '--status', '256', '-o', join(scratch, 'x')]).code).toBe(3);
    expect(run(['gen', 'exit', '-o', join(scratch, 'x')]).code).toBe(3);
  });

  it('spec of a non-ELF file exits 2', () => {
    const text = join(scratch, 'text');
    writeFileSync(text, 'hello');
    chmodSync(text, 0o644);
    expect(run(['spec', text]).code).toBe(2);
  });
});

describe('fuzz', () => {
  const linux = process.platform === 'linux' && process.arch === 'x64';

  it('lints and predicts without executing, and writes a JSON report', () => {
    const report = join(scratch, 'fuzz.json');
    const result = run(['fuzz', corpus('hello'), '--no-exec', '--count', '500', '--seed', '5', '--report', report]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/500 of 500 mutants linted \(not executed\)/);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document).toMatchObject({ schemaVersion: 1, completed: 500, executed: false, randomSeed: 5, interrupted: false });
    expect(Object.keys(document.byField).length).toBeGreaterThan(10);
  });

  it('is reproducible from --seed', () => {
    const first = join(scratch, 'a.json');
    const second = join(scratch, 'b.json');
    run(['fuzz', corpus('hello'), '--no-exec', '--count', '300', '--seed', '9', '--report', first]);
    run(['fuzz', corpus('hello'), '--no-exec', '--count', '300', '--seed', '9', '--report', second]);
    const strip = (path: string) => JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), durationMs: 0, command: '' });
    expect(strip(first)).toBe(strip(second));
  });

  it('rejects a bad seed file and bad counts', () => {
    const text = join(scratch, 'seed.txt');
    writeFileSync(text, 'text');
    expect(run(['fuzz', text, '--no-exec']).code).toBe(2);
    expect(run(['fuzz', corpus('hello'), '--count', '0']).code).toBe(3);
  });

  it.skipIf(!linux)('executes mutants and finds no disagreement', () => {
    const result = run(['fuzz', corpus('hello'), '--count', '800', '--seed', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/800 of 800 mutants executed .*: 800 agree with the prediction, 0 disagree/);
  });

  it.skipIf(!linux)('Ctrl-C leaves a valid report and no stray processes', async () => {
    const report = join(scratch, 'interrupted.json');
    const child = spawn(process.execPath, [CLI, 'fuzz', corpus('hello'), '--count', '10000000', '--report', report], { stdio: 'ignore', detached: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.kill(-child.pid!, 'SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(130);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document.interrupted).toBe(true);
    expect(document.completed).toBeGreaterThan(0);
    const strays = spawnSync('pgrep', ['-f', 'elf-lint/runner-'], { encoding: 'utf8' }).stdout.trim();
    expect(strays).toBe('');
  });
});
