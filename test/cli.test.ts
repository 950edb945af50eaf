// End-to-end: the built CLI (dist/, made by `npm run build`, which `npm test` runs first).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** A usage or input error: the documented code and exactly one `elf-lint:` line, no stack trace. */
function expectOneLineError(result: ReturnType<typeof run>, code: number, pattern?: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(/^elf-lint: [^\n]+\n$/);
  if (pattern) expect(result.stderr).toMatch(pattern);
}

/** Processes whose /proc/PID/`file` contains `text`. */
function processesWith(file: 'environ' | 'cmdline', text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/${file}`).includes(text)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Processes whose environment holds `marker` (the CLI and the runners it spawned; mutants get an empty environment). */
const processesMarked = (marker: string) => processesWith('environ', marker);

/** The work directories (`runner -d DIR`) of the marked runners: a mutant's argv[0] lies in one. */
function runnerWorkDirs(marker: string): string[] {
  return processesMarked(marker).flatMap((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = args.indexOf('-d');
      return at >= 0 && args[at + 1] ? [args[at + 1]!] : [];
    } catch {
      return [];
    }
  });
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
      ['--page-size', '1000', corpus('hello')], ['--page-size', '0x80000000', corpus('hello')], ['--mmap-min-addr', '0x10000000000000000', corpus('hello')],
      ['--machine', 'vax11', corpus('hello')], ['--machine', '65536', corpus('hello')],
      ['--disable', 'no-such-rule', corpus('hello')], ['--disable', 'not-elf', corpus('hello')], ['--disable', 'internal-error', corpus('hello')],
      ['--quiet', '--format', 'json', corpus('hello')], ['explain', 'no-such-rule'], ['help', 'no-such-command'], []]) {
      expectOneLineError(run(args), 3);
    }
  });

  it('commander\'s own errors start with elf-lint: too', () => {
    expectOneLineError(run(['--bogus', corpus('hello')]), 3, /^elf-lint: unknown option '--bogus'/);
    expectOneLineError(run(['--formt', 'json', corpus('hello')]), 3, /Did you mean --format\?/);
  });

  it('engine findings cannot be disabled', () => {
    expectOneLineError(run(['--disable', 'not-elf', corpus('hello')]), 3, /"not-elf" cannot be disabled/);
  });

  it('--help works for every command', () => {
    for (const args of [['--help'], ['help'], ['lint', '--help'], ['fuzz', '--help'], ['rules', '--help'], ['explain', '--help'], ['gen', '--help'],
      ['spec', '--help'], ['help', 'lint'], ['help', 'fuzz'], ['help', 'gen']]) {
      const result = run(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: elf-lint/);
      expect(result.stderr, args.join(' ')).toBe('');
    }
    expect(run(['lint', '--help']).stdout).toMatch(/--page-size <bytes> [^]*default: the target's usual one/);
  });

  it('--machine takes numbers before names, any case, and common aliases', () => {
    const machineOf = (value: string) => JSON.parse(run(['-f', 'json', '--machine', value, corpus('hello')]).stdout).files[0].findings
      .filter((finding: { rule: string }) => finding.rule === 'machine-mismatch').length;
    for (const value of ['62', '0x3e', 'x86_64', 'X86-64', 'amd64', 'EM_X86_64', 'em_x86_64']) expect(machineOf(value), value).toBe(0);
    // arm64 is AArch64, and so is 183: they mismatch an x86-64 file; 3 is i386, ppc64el a Debian name.
    for (const value of ['arm64', 'aarch64', '183', 'ppc64el']) expect(machineOf(value), value).toBe(1);
    // 860 is a number (not the name of EM_860 = 7), and no profile runs EM_860 files.
    expectOneLineError(run(['--machine', '860', corpus('hello')]), 3, /e_machine 860 has no loader profile; targets: x86_64, /);
  });

  it('2 and a one-line message when a directory holds no ELF file', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    const result = run([empty]);
    expectOneLineError(result, 2, /^elf-lint: no ELF files found under /);
    expect(result.stdout).toBe('');
  });

  it('a file that cannot be read is not counted as checked', () => {
    const missing = join(scratch, 'missing');
    const many = run([corpus('hello'), missing, corpus('hello-wx'), corpus('hello')]);
    expect(many.code).toBe(2);
    expect(many.stdout).toContain(`${missing}: error: cannot read: no such file or directory`);
    expect(many.stdout.trim().split('\n').at(-1)).toBe('3 files checked, 2 clean: 0 errors, 1 warning, 0 infos, 1 could not be read');
    const one = run([missing]);
    expect(one.code).toBe(2);
    expect(one.stdout.trim().split('\n')).toEqual([`${missing}: error: cannot read: no such file or directory`, `${missing}: could not be read`]);
  });

  it('- reads standard input, from a pipe or a socket', () => {
    const piped = spawnSync('sh', ['-c', `cat "$1" | "$2" "$3" -`, 'sh', corpus('hello'), process.execPath, CLI], { encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout).toBe('<stdin>: loader: runs: the program starts at 0x400078\n<stdin>: clean (no findings)\n');
    const fed = spawnSync(process.execPath, [CLI, '-', corpus('hello-entry-outside')], { input: readFileSync(corpus('hello-wx')), encoding: 'utf8' });
    expect(fed.status).toBe(1);
    expect(fed.stdout).toMatch(/^<stdin>:0x[0-9a-f]+: warning: .*\[wx-segment\]$/m);
  });

  it('reads files that report no size (/proc, process substitution)', () => {
    const result = run(['-f', 'json', '/proc/self/status']);
    expect(JSON.parse(result.stdout).files[0].findings[0].message).toMatch(/starts with 0x4e616d65/); // "Name"
  });

  it('--quiet prints errors and a loader line only for files that would not run', () => {
    const result = run(['-q', corpus('hello'), corpus('hello-wx'), corpus('hello-entry-outside')]);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/hello-entry-outside:0x18: error: .*\[entry-in-load-segment\]$/),
      expect.stringMatching(/hello-entry-outside: loader: start-fault \(SIGSEGV\): /),
      '3 files checked, 1 clean: 1 error, 1 warning, 0 infos',
    ]);
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
      summary: { files: 2, unreadable: 0, errors: 1, warnings: 0, infos: 0 },
    });
    expect(document.files[0]).toEqual({
      path: corpus('hello-entry-outside'),
      elf: { class: 'ELF64', data: 'LSB', type: 'EXEC', machine: 'X86_64' },
      findings: [{
        rule: 'entry-in-load-segment', severity: 'error', category: 'loader', message: expect.any(String),
        offset: 24, length: 8, field: 'e_entry', actual: '0x500000', expected: 'an address inside a PT_LOAD',
      }],
      loader: { verdict: 'start-fault', errno: null, signal: 'SIGSEGV', because: ['entry-in-load-segment'], reason: expect.any(String), uncertain: false },
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

  it('gen rejects options its template does not read', () => {
    const output = join(scratch, 'y');
    expectOneLineError(run(['gen', 'hello', '--status', '3', '-o', output]), 3, /--status applies to `gen exit` only/);
    for (const extra of [['--pie'], ['--message', 'hi'], ['--message-file', corpus('hello')]]) {
      expectOneLineError(run(['gen', 'exit', '--status', '3', ...extra, '-o', output]), 3, /applies to `gen hello` only/);
    }
    expect(existsSync(output)).toBe(false);
  });

  it('gen -o - writes to stdout', () => {
    const result = spawnSync(process.execPath, [CLI, 'gen', 'hello', '-o', '-']);
    expect(result.status).toBe(0);
    expect(Buffer.compare(result.stdout, readFileSync(corpus('hello')))).toBe(0);
  });

  it('gen -o through a symlink writes the file it points to and keeps the link', () => {
    const directory = join(scratch, 'links');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'target'), 'old');
    symlinkSync('target', join(directory, 'link'));
    expect(run(['gen', 'hello', '-o', join(directory, 'link')]).code).toBe(0);
    expect(lstatSync(join(directory, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(directory, 'link'))).toBe('target');
    expect(readFileSync(join(directory, 'target')).equals(readFileSync(corpus('hello')))).toBe(true);
    expect(statSync(join(directory, 'target')).mode & 0o777).toBe(0o755);
  });

  it('gen -o a FIFO writes into it and leaves it a FIFO', async () => {
    const fifo = join(scratch, 'fifo');
    rmSync(fifo, { force: true });
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const result = spawn(process.execPath, [CLI, 'gen', 'hello', '-o', fifo], { stdio: 'ignore' });
    expect(await new Promise((resolve) => result.on('exit', resolve))).toBe(0);
    await closed;
    expect(Buffer.concat(chunks).equals(readFileSync(corpus('hello')))).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('gen -o a directory or a missing directory is a one-line input error', () => {
    expectOneLineError(run(['gen', 'hello', '-o', scratch]), 2, /is a directory/);
    expectOneLineError(run(['gen', 'hello', '-o', join(scratch, 'no', 'such', 'file')]), 2, /its directory does not exist/);
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

  it('checks --report, --study and --out before starting', () => {
    const started = performance.now();
    const missing = join(scratch, 'no-such-dir', 'report.json');
    expectOneLineError(run(['fuzz', corpus('hello'), '--no-exec', '--count', '100000000', '--report', missing]), 2, /cannot write .*report\.json/);
    expectOneLineError(run(['fuzz', corpus('hello'), '--no-exec', '--count', '100000000', '--study', scratch]), 2, /is a directory/);
    const file = join(scratch, 'plain-file');
    writeFileSync(file, '');
    expectOneLineError(run(['fuzz', corpus('hello'), '--no-exec', '--count', '100000000', '--out', join(file, 'sub')]), 2, /--out/);
    expect(performance.now() - started).toBeLessThan(30_000); // nothing ran
    const out = join(scratch, 'fresh-out');
    expect(run(['fuzz', corpus('hello'), '--no-exec', '--count', '10', '--out', out]).code).toBe(0);
    expect(statSync(out).isDirectory()).toBe(true);
  });

  it('prints the summary even when the report cannot be written at the end', async () => {
    const directory = join(scratch, 'vanishing');
    mkdirSync(directory, { recursive: true });
    const child = spawn(process.execPath, [CLI, 'fuzz', corpus('hello'), '--no-exec', '--count', '100000000', '--report', join(directory, 'r.json')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(directory, { recursive: true, force: true });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/mutants linted \(not executed\)/);
    expect(stderr).toMatch(/^elf-lint: cannot write .*r\.json: its directory does not exist$/m);
  });

  it.skipIf(!linux)('target options with execution are a usage error', () => {
    for (const option of [['--page-size', '8192'], ['--mmap-min-addr', '0'], ['--machine', 'x86_64'], ['--privileged']]) {
      expectOneLineError(run(['fuzz', corpus('hello'), '--count', '10', ...option]), 3, /apply to --no-exec only|applies to --no-exec only/);
    }
    expect(run(['fuzz', corpus('hello'), '--count', '10', '--no-exec', '--page-size', '8192']).code).toBe(0);
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

  /**
   * Starts a long campaign marked with a unique environment variable: the runners inherit it, so
   * /proc/PID/environ finds exactly this campaign's processes, not those of tests running in parallel.
   */
  function markedCampaign(args: string[], seed = corpus('hello')) {
    const marker = `ELF_LINT_TEST_MARK=${randomBytes(8).toString('hex')}`;
    const [name, value] = marker.split('=') as [string, string];
    const child = spawn(process.execPath, [CLI, 'fuzz', seed, '--count', '10000000', ...args],
      { stdio: 'ignore', detached: true, env: { ...process.env, [name]: value } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    return { child, marker, exited };
  }

  it.skipIf(!linux)('Ctrl-C leaves a valid report and no stray processes', async () => {
    const report = join(scratch, 'interrupted.json');
    const { child, marker, exited } = markedCampaign(['--report', report]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(processesMarked(marker).length).toBeGreaterThan(1); // the CLI and its runners
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document.interrupted).toBe(true);
    expect(document.completed).toBeGreaterThan(0);
    expect(processesMarked(marker)).toEqual([]);
  });

  it.skipIf(!linux)('a second Ctrl-C stops at once and kills the runners and their mutants', async () => {
    // A seed that loops forever (jmp $): most mutants run until the 60 s timeout, so the first Ctrl-C has to wait.
    const spec = join(scratch, 'loop.json');
    writeFileSync(spec, JSON.stringify({
      header: { e_type: 'ET_EXEC', e_machine: 'EM_X86_64' },
      segments: [{ p_type: 'PT_LOAD', p_flags: 'R-X', p_vaddr: '0x400000', withHeaders: true, data: { hex: 'ebfe' } }],
    }));
    const seed = join(scratch, 'loop');
    expect(run(['gen', '--spec', spec, '-o', seed]).code).toBe(0);
    const report = join(scratch, 'stopped.json');
    const { child, marker, exited } = markedCampaign(['--report', report, '--timeout', '60000'], seed);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const workDirs = runnerWorkDirs(marker);
    expect(workDirs.length).toBeGreaterThan(0);
    expect(workDirs.flatMap((dir) => processesWith('cmdline', `${dir}/mutant-`)).length).toBeGreaterThan(0); // mutants in flight
    process.kill(-child.pid!, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(performance.now() - stopped).toBeLessThan(5000);
    expect(existsSync(report)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 500)); // SIGKILL and PDEATHSIG are delivered asynchronously
    expect(processesMarked(marker)).toEqual([]);
    expect(workDirs.flatMap((dir) => processesWith('cmdline', `${dir}/mutant-`))).toEqual([]);
  });
});
