// End-to-end: the built CLI (dist/, made by `npm run build`, which `npm test` runs first).
// Every process is started through support.ts (its own process group, a marker its runners
// inherit) and killed in afterEach whatever the outcome; nothing waits for a fixed time.
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ALL_RULE_METAS } from '../src/rules/registry.js';
import { MUTANTS_PER_WORKER } from '../src/fuzz/campaign.js';
import { CLI, killTracked, processesMarked, processesWith, runCli, spawnCli, spawnTracked, waitUntil, type Finished, type SpawnOptions } from './support.js';

const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-cli-'));
afterEach(killTracked);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}, options: Omit<SpawnOptions, 'env'> = {}): Promise<Finished> => runCli(args, { ...options, env });

/** Runs independent invocations at once: each is a separate process, so load makes them slower together, not one after another. */
const runAll = (cases: readonly string[][]): Promise<Finished[]> => Promise.all(cases.map((args) => run(args)));

/** A usage or input error: the documented code and exactly one `elf-lint:` line, no stack trace. */
function expectOneLineError(result: Finished, code: number, pattern?: RegExp, what = '') {
  expect(result.code, `${what} ${result.stderr}`).toBe(code);
  expect(result.stderr, what).toMatch(/^elf-lint: [^\n]+\n$/);
  if (pattern) expect(result.stderr, what).toMatch(pattern);
}

/** The first line a fuzz campaign prints on stderr, once its seed is read and its outputs checked (Ctrl-C is handled from then on). */
const FUZZ_STARTED = /^elf-lint: fuzzing .*: \d+ mutants, seed \d+$/m;
/** The line it prints once its runners are ready, naming their work directory; the first mutants are claimed before any signal is handled. */
const FUZZ_EXECUTING = /^elf-lint: executing with \d+ runners? in (\S+)$/m;

describe('exit codes', () => {
  it('0 and a clean verdict for hello, with the loader verdict', async () => {
    const result = await run([corpus('hello')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/hello: clean/);
    expect(result.stdout).toMatch(/hello: loader: runs: the program starts at 0x400078/);
    expect(result.stderr).toBe('');
  });

  it('1 for an error finding, with a gcc-style line', async () => {
    const result = await run([corpus('hello-entry-outside')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^.*hello-entry-outside:0x18: error: e_entry 0x500000 .* \[entry-in-load-segment\]$/m);
  });

  it('--fail-on moves the threshold', async () => {
    const [wx, wxWarning, padding, paddingInfo] = await runAll([
      [corpus('hello-wx')], ['--fail-on', 'warning', corpus('hello-wx')],
      ['--fail-on', 'warning', corpus('hello-ident-padding')], ['--fail-on', 'info', corpus('hello-ident-padding')],
    ]);
    expect(wx!.code, wx!.stderr).toBe(0);
    expect(wxWarning!.code, wxWarning!.stderr).toBe(1);
    expect(padding!.code, padding!.stderr).toBe(0);
    expect(paddingInfo!.code, paddingInfo!.stderr).toBe(1);
  });

  it('2 for a missing file and for a non-ELF file named explicitly', async () => {
    const text = join(scratch, 'notes.txt');
    writeFileSync(text, 'not a binary');
    const [missing, result] = await runAll([[join(scratch, 'missing')], [text]]);
    expect(missing).toMatchObject({ code: 2 });
    expect(result!.code, result!.stderr).toBe(2);
    expect(result!.stdout).toMatch(/not an ELF file.*\[not-elf\]/);
  });

  it('2 names the input on stderr when the report is JSON or SARIF, or written to a file; text on stdout already says it', async () => {
    const text = join(scratch, 'notes-2.txt');
    writeFileSync(text, 'not a binary');
    const missing = join(scratch, 'missing');
    const [json, sarif, toFile, plain] = await runAll([
      ['lint', '--format', 'json', missing, text, corpus('hello')], ['lint', '--format', 'sarif', missing],
      ['lint', '-o', join(scratch, 'report.txt'), text], ['lint', missing, text],
    ]);
    expect(json!.code).toBe(2);
    expect(json!.stderr).toBe(`elf-lint: ${missing}: cannot read: no such file or directory\nelf-lint: ${text}: not an ELF file: starts with 0x6e6f7420, not the ELF magic 0x7f454c46\n`);
    expect(sarif!.code).toBe(2);
    expect(sarif!.stderr).toBe(`elf-lint: ${missing}: cannot read: no such file or directory\n`);
    expect(toFile!.code).toBe(2);
    expect(toFile!.stderr).toMatch(/^elf-lint: .*notes-2\.txt: not an ELF file/);
    expect(plain!.code).toBe(2);
    expect(plain!.stderr).toBe('');
  });

  it('checksec: 2, with the reason on stderr, for a path with no file in it and for unreadable inputs in JSON', async () => {
    const empty = join(scratch, 'empty-dir');
    mkdirSync(empty, { recursive: true });
    const missing = join(scratch, 'missing');
    const [withEmpty, json, clean] = await runAll([['checksec', corpus('hello'), empty], ['checksec', '--format', 'json', missing, corpus('hello')], ['checksec', corpus('hello')]]);
    expect(withEmpty!.code).toBe(2);
    expect(withEmpty!.stderr).toBe(`elf-lint: no ELF files found under ${empty}\n`);
    expect(json!.code).toBe(2);
    expect(json!.stderr).toBe(`elf-lint: ${missing}: cannot read: no such file or directory\n`);
    expect(clean).toMatchObject({ code: 0, stderr: '' });
  });

  it('2 wins over 1 when both happen', async () => {
    const result = await run([corpus('hello-entry-zero'), join(scratch, 'missing')]);
    expect(result.code, result.stderr).toBe(2);
  });

  it('3 for usage errors, with a message and no stack trace', async () => {
    const cases = [['--bogus', corpus('hello')], ['--format', 'xml', corpus('hello')], ['--fail-on', 'fatal', corpus('hello')],
      ['--page-size', '1000', corpus('hello')], ['--page-size', '0x80000000', corpus('hello')], ['--mmap-min-addr', '0x10000000000000000', corpus('hello')],
      ['--machine', 'vax11', corpus('hello')], ['--machine', '65536', corpus('hello')],
      ['--disable', 'no-such-rule', corpus('hello')], ['--disable', 'not-elf', corpus('hello')], ['--disable', 'internal-error', corpus('hello')],
      ['--quiet', '--format', 'json', corpus('hello')], ['explain', 'no-such-rule'], ['help', 'no-such-command'], [],
      ['--fail-on-verdict', 'uncertain', corpus('hello')], ['--fail-on-verdict', '', corpus('hello')]];
    // Independent processes, run at once: the test takes about as long as the slowest one, not their sum.
    const results = await runAll(cases);
    results.forEach((result, index) => expectOneLineError(result, 3, undefined, `elf-lint ${cases[index]!.join(' ')}:`));
  });

  it('commander\'s own errors start with elf-lint: too', async () => {
    const [bogus, typo] = await runAll([['--bogus', corpus('hello')], ['--formt', 'json', corpus('hello')]]);
    expectOneLineError(bogus!, 3, /^elf-lint: unknown option '--bogus'/);
    expectOneLineError(typo!, 3, /Did you mean --format\?/);
  });

  it('engine findings cannot be disabled', async () => {
    expectOneLineError(await run(['--disable', 'not-elf', corpus('hello')]), 3, /"not-elf" cannot be disabled/);
  });

  it('--help works for every command', async () => {
    const cases = [['--help'], ['help'], ['lint', '--help'], ['fuzz', '--help'], ['rules', '--help'], ['explain', '--help'], ['gen', '--help'],
      ['spec', '--help'], ['help', 'lint'], ['help', 'fuzz'], ['help', 'gen']];
    const results = await runAll(cases);
    results.forEach((result, index) => {
      const args = cases[index]!.join(' ');
      expect(result.code, `${args} ${result.stderr}`).toBe(0);
      expect(result.stdout, args).toMatch(/^Usage: elf-lint/);
      expect(result.stderr, args).toBe('');
    });
    expect(results[cases.findIndex((args) => args.join(' ') === 'lint --help')]!.stdout).toMatch(/--page-size <bytes> [^]*default: the target's usual one/);
  });

  it('--machine takes numbers before names, any case, and common aliases', async () => {
    const mismatches = async (value: string) => {
      const result = await run(['-f', 'json', '--machine', value, corpus('hello')]);
      expect(result.stderr, value).toBe('');
      return JSON.parse(result.stdout).files[0].findings.filter((finding: { rule: string }) => finding.rule === 'machine-mismatch').length as number;
    };
    const same = ['62', '0x3e', 'x86_64', 'X86-64', 'amd64', 'EM_X86_64', 'em_x86_64'];
    // arm64 is AArch64, and so is 183: they mismatch an x86-64 file; 3 is i386, ppc64el a Debian name.
    const other = ['arm64', 'aarch64', '183', 'ppc64el'];
    const [sameCounts, otherCounts, em860] = await Promise.all([
      Promise.all(same.map(mismatches)), Promise.all(other.map(mismatches)), run(['--machine', '860', corpus('hello')]),
    ]);
    sameCounts.forEach((count, index) => expect(count, same[index]).toBe(0));
    otherCounts.forEach((count, index) => expect(count, other[index]).toBe(1));
    // 860 is a number (not the name of EM_860 = 7), and no profile runs EM_860 files.
    expectOneLineError(em860, 3, /e_machine 860 has no loader profile; targets: x86_64, /);
  });

  it('2 and a one-line message when a directory holds no ELF file', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty, { recursive: true });
    const result = await run([empty]);
    expectOneLineError(result, 2, /^elf-lint: no ELF files found under /);
    expect(result.stdout).toBe('');
  });

  it('a file that cannot be read is not counted as checked', async () => {
    const missing = join(scratch, 'missing');
    // hello twice is checked once.
    const [many, one, cleanAndMissing] = await runAll([[corpus('hello'), missing, corpus('hello-wx'), corpus('hello')], [missing], [corpus('hello'), missing]]);
    expect(many!.code, many!.stderr).toBe(2);
    expect(many!.stdout).toContain(`${missing}: error: cannot read: no such file or directory`);
    expect(many!.stdout.trim().split('\n').at(-1)).toBe('2 files checked, 1 clean: 0 errors, 1 warning, 0 infos, 1 could not be read');
    // Not "all clean" while a file is missing.
    expect(cleanAndMissing!.stdout.trim().split('\n').at(-1)).toBe('1 file checked, 1 clean: 0 errors, 0 warnings, 0 infos, 1 could not be read');
    expect(one!.code, one!.stderr).toBe(2);
    expect(one!.stdout.trim().split('\n')).toEqual([`${missing}: error: cannot read: no such file or directory`, `${missing}: could not be read`]);
  });

  it('drops a `--` before every other word (npx passes its own on), and reads a path after `lint --` as a path', async () => {
    const [leading, afterCommand] = await runAll([['--', '--format', 'json', corpus('hello')], ['lint', '--format', 'json', '--', '--format']]);
    expect(leading!.code, leading!.stderr).toBe(0);
    expect(JSON.parse(leading!.stdout)).toMatchObject({ files: [{ path: corpus('hello'), findings: [] }] });
    expect(afterCommand!.code).toBe(2);
    expect(JSON.parse(afterCommand!.stdout)).toMatchObject({ files: [{ path: '--format', error: 'cannot read: no such file or directory' }] });
  });

  it('- reads standard input, from a pipe or a socket', async () => {
    const [piped, fed] = await Promise.all([
      spawnTracked('sh', ['-c', `cat "$1" | "$2" "$3" -`, 'sh', corpus('hello'), process.execPath, CLI]).result(),
      run(['-', corpus('hello-entry-outside')], {}, { input: readFileSync(corpus('hello-wx')) }),
    ]);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe('<stdin>: loader: runs: the program starts at 0x400078\n<stdin>: clean (no findings)\n');
    expect(fed.code, fed.stderr).toBe(1);
    expect(fed.stdout).toMatch(/^<stdin>:0x[0-9a-f]+: warning: .*\[wx-segment\]$/m);
  });

  it('reads files that report no size (/proc, process substitution)', async () => {
    const result = await run(['-f', 'json', '/proc/self/status']);
    expect(JSON.parse(result.stdout).files[0].findings[0].message).toMatch(/starts with 0x4e616d65/); // "Name"
  });

  it('--quiet prints errors and a loader line only for files that would not run', async () => {
    const result = await run(['-q', corpus('hello'), corpus('hello-wx'), corpus('hello-entry-outside')]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/hello-entry-outside:0x18: error: .*\[entry-in-load-segment\]$/),
      expect.stringMatching(/hello-entry-outside: loader: start-fault \(SIGSEGV\): /),
      '3 files checked, 1 clean: 1 error, 1 warning, 0 infos',
    ]);
  });

  it('directories recurse and skip non-ELF files silently', async () => {
    const directory = join(scratch, 'tree');
    rmSync(directory, { recursive: true, force: true });
    const nested = join(directory, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'hello'), readFileSync(corpus('hello')));
    writeFileSync(join(directory, 'README'), 'text');
    const result = await run(['--format', 'json', directory]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).files.map((f: { path: string }) => f.path)).toEqual([join(nested, 'hello')]);
  });
});

describe('formats', () => {
  it('JSON follows schemaVersion 1', async () => {
    const result = await run(['--format', 'json', corpus('hello-entry-outside'), corpus('hello')]);
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
      loader: { verdict: 'start-fault', errno: null, signal: 'SIGSEGV', because: ['entry-in-load-segment'], reason: expect.any(String), uncertain: false, stage: 'entry' },
    });
    expect(document.files[1].findings).toEqual([]);
  });

  it('JSON has elf null for a non-ELF file', async () => {
    const text = join(scratch, 'plain');
    writeFileSync(text, 'plain');
    const document = JSON.parse((await run(['-f', 'json', text])).stdout);
    expect(document.files[0].elf).toBeNull();
    expect(document.files[0].findings[0].rule).toBe('not-elf');
    expect(document.files[0].loader).toMatchObject({ verdict: 'not-applicable', errno: 'ENOEXEC' });
  });

  it('never colours a pipe, and NO_COLOR is honoured', async () => {
    const [plain, noColor] = await Promise.all([run([corpus('hello-wx')]), run([corpus('hello-wx')], { NO_COLOR: '1' })]);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('summarises many files in one line', async () => {
    const result = await run([corpus('hello'), corpus('hello-wx')]);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('2 files checked, 1 clean: 0 errors, 1 warning, 0 infos');
  });
});

describe('rules and explain', () => {
  it('rules --format json lists every rule', async () => {
    const list = JSON.parse((await run(['rules', '--format', 'json'])).stdout);
    expect(list).toHaveLength(ALL_RULE_METAS.length);
    expect(list[0]).toEqual({ id: expect.any(String), category: expect.any(String), severity: expect.any(String), summary: expect.any(String) });
  });

  it('explain prints the explanation', async () => {
    const result = await run(['explain', 'segment-page-congruence']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^segment-page-congruence \(error, loader\)/);
    expect(result.stdout).toMatch(/Fix:/);
  });

  it('explain knows the ids the reports use beside the rules (SARIF ruleId, GitLab check_name)', async () => {
    const [verdict, readError] = await runAll([['explain', 'loader-verdict'], ['explain', 'read-error']]);
    expect(verdict!.code, verdict!.stderr).toBe(0);
    expect(verdict!.stdout).toMatch(/^loader-verdict \(error, loader\)\n/);
    expect(readError!.code, readError!.stderr).toBe(0);
    expect(readError!.stdout).toMatch(/^read-error \(error, gabi\)\nThe file could not be read/);
  });

  it('--disable turns a rule off', async () => {
    // Its start-fault verdict would still fail the run (--fail-on-verdict, test/config.test.ts).
    const result = await run(['--disable', 'entry-in-load-segment', '--fail-on-verdict', 'none', corpus('hello-entry-outside')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('[entry-in-load-segment]');
  });
});

describe('gen and spec', () => {
  it('gen hello reproduces corpus/hello, mode 0755, atomically', async () => {
    const output = join(scratch, 'hello');
    const result = await run(['gen', 'hello', '-o', output]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(output).equals(readFileSync(corpus('hello')))).toBe(true);
    expect(statSync(output).mode & 0o777).toBe(0o755);
    expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('spec then gen --spec and gen --from round-trip a file', async () => {
    const specPath = join(scratch, 'hello.json');
    const fromSpec = join(scratch, 'from-spec');
    const fromFile = join(scratch, 'from-file');
    const [spec, generated] = await Promise.all([
      run(['spec', corpus('hello-interp-nul')]),
      run(['gen', '--from', corpus('hello-interp-nul'), '-o', fromFile]),
    ]);
    expect(spec.code, spec.stderr).toBe(0);
    expect(generated.code, generated.stderr).toBe(0);
    writeFileSync(specPath, spec.stdout);
    const fromSpecResult = await run(['gen', '--spec', specPath, '-o', fromSpec]);
    expect(fromSpecResult.code, fromSpecResult.stderr).toBe(0);
    expect(readFileSync(fromSpec).equals(readFileSync(corpus('hello-interp-nul')))).toBe(true);
    expect(readFileSync(fromFile).equals(readFileSync(corpus('hello-interp-nul')))).toBe(true);
  });

  it('a bad spec names the field, exits 3 and writes nothing', async () => {
    const specPath = join(scratch, 'bad.json');
    writeFileSync(specPath, JSON.stringify({ segments: [{ p_vaddr: '0x1ffffffffffffffff' }] }));
    const output = join(scratch, 'never');
    const result = await run(['gen', '--spec', specPath, '-o', output]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('segments[0].p_vaddr');
    expect(existsSync(output)).toBe(false);
  });

  it('gen exit --status validates its value', async () => {
    const [tooBig, missing] = await runAll([['gen', 'exit', '--status', '256', '-o', join(scratch, 'x')], ['gen', 'exit', '-o', join(scratch, 'x')]]);
    expect(tooBig!.code, tooBig!.stderr).toBe(3);
    expect(missing!.code, missing!.stderr).toBe(3);
  });

  it('gen rejects options its template does not read', async () => {
    const output = join(scratch, 'y');
    const extras = [['--pie'], ['--message', 'hi'], ['--message-file', corpus('hello')]];
    const [status, ...others] = await runAll([
      ['gen', 'hello', '--status', '3', '-o', output],
      ...extras.map((extra) => ['gen', 'exit', '--status', '3', ...extra, '-o', output]),
    ]);
    expectOneLineError(status!, 3, /--status applies to `gen exit` only/);
    others.forEach((result, index) => expectOneLineError(result, 3, /applies to `gen hello` only/, extras[index]!.join(' ')));
    expect(existsSync(output)).toBe(false);
  });

  it('gen -o - writes to stdout', async () => {
    const result = await run(['gen', 'hello', '-o', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(Buffer.compare(result.stdoutBytes, readFileSync(corpus('hello')))).toBe(0);
  });

  it('gen -o through a symlink writes the file it points to and keeps the link', async () => {
    const directory = join(scratch, 'links');
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'target'), 'old');
    symlinkSync('target', join(directory, 'link'));
    const result = await run(['gen', 'hello', '-o', join(directory, 'link')]);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(join(directory, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(directory, 'link'))).toBe('target');
    expect(readFileSync(join(directory, 'target')).equals(readFileSync(corpus('hello')))).toBe(true);
    expect(statSync(join(directory, 'target')).mode & 0o777).toBe(0o755);
  });

  it('gen -o a FIFO writes into it and leaves it a FIFO', async () => {
    const fifo = join(scratch, 'fifo');
    rmSync(fifo, { force: true });
    const mkfifo = await spawnTracked('mkfifo', [fifo]).result();
    expect(mkfifo.code, mkfifo.stderr).toBe(0);
    // Both ends are tracked: if either fails to open the FIFO, afterEach kills the one left blocked.
    const reader = spawnTracked('cat', [fifo]);
    const written = await spawnCli(['gen', 'hello', '-o', fifo]).result();
    expect(written.code, written.stderr).toBe(0);
    const read = await reader.result();
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdoutBytes.equals(readFileSync(corpus('hello')))).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('gen -o a directory or a missing directory is a one-line input error', async () => {
    const [directory, missing] = await runAll([['gen', 'hello', '-o', scratch], ['gen', 'hello', '-o', join(scratch, 'no', 'such', 'file')]]);
    expectOneLineError(directory!, 2, /is a directory/);
    expectOneLineError(missing!, 2, /its directory does not exist/);
  });

  it('spec of a non-ELF file exits 2', async () => {
    const text = join(scratch, 'text');
    writeFileSync(text, 'hello');
    chmodSync(text, 0o644);
    const result = await run(['spec', text]);
    expect(result.code, result.stderr).toBe(2);
  });
});

describe('fuzz', () => {
  const linux = process.platform === 'linux' && process.arch === 'x64';

  it('lints and predicts without executing, and writes a JSON report', async () => {
    const report = join(scratch, 'fuzz.json');
    const result = await run(['fuzz', corpus('hello'), '--no-exec', '--count', '500', '--seed', '5', '--report', report]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/500 of 500 mutants linted \(not executed\)/);
    expect(result.stderr).toMatch(FUZZ_STARTED);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document).toMatchObject({ schemaVersion: 1, completed: 500, executed: false, randomSeed: 5, interrupted: false });
    expect(Object.keys(document.byField).length).toBeGreaterThan(10);
  });

  it('is reproducible from --seed', async () => {
    const first = join(scratch, 'a.json');
    const second = join(scratch, 'b.json');
    const results = await runAll([
      ['fuzz', corpus('hello'), '--no-exec', '--count', '300', '--seed', '9', '--report', first],
      ['fuzz', corpus('hello'), '--no-exec', '--count', '300', '--seed', '9', '--report', second],
    ]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const strip = (path: string) => JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), durationMs: 0, command: '' });
    expect(strip(first)).toBe(strip(second));
  });

  it('spreads a long lint-only campaign over worker threads, with the tallies of one thread', async () => {
    const one = join(scratch, 'one-thread.json');
    const two = join(scratch, 'two-workers.json');
    // 200,000 mutants: the shortest campaign that --jobs 2 gives two workers (MUTANTS_PER_WORKER each).
    const count = String(2 * MUTANTS_PER_WORKER);
    const [single, workers] = await Promise.all([['1', one], ['2', two]].map(([jobs, report]) =>
      run(['fuzz', corpus('hello'), '--no-exec', '--count', count, '--seed', '4', '--jobs', jobs!, '--report', report!], { ELF_LINT_DEBUG: '1' })));
    expect(single!.stderr).toContain('linted on the main thread');
    expect(workers!.stderr).toContain('linted on 2 worker threads');
    // The counts are the same; the examples kept (the first few values of each outcome) depend on which thread saw a value first.
    const tallies = (path: string) => {
      const { byField, byRule, completed, uncertain } = JSON.parse(readFileSync(path, 'utf8')) as {
        byField: Record<string, Record<string, { count: number }>>; byRule: unknown; completed: number; uncertain: number;
      };
      const counts = Object.fromEntries(Object.entries(byField).map(([field, outcomes]) => [field, Object.fromEntries(Object.entries(outcomes).map(([key, stats]) => [key, stats.count]))]));
      return { counts, byRule, completed, uncertain };
    };
    expect(tallies(two)).toEqual(tallies(one));
  });

  it('checks --report, --study and --out before starting', async () => {
    const file = join(scratch, 'plain-file');
    writeFileSync(file, '');
    const cases: [string[], RegExp][] = [
      [['--report', join(scratch, 'no-such-dir', 'report.json')], /cannot write .*report\.json/],
      [['--study', scratch], /is a directory/],
      [['--out', join(file, 'sub')], /--out/],
      [['--out', join(scratch, 'dangling', 'out')], /--out .*dangling is not a directory$/m],
      // procfs answers ENOENT to mkdir, where Node's recursive mkdir retries for ever.
      ...(existsSync('/proc/self') ? [[['--out', '/proc/elf-lint-out'], /--out \/proc\/elf-lint-out: it cannot be made there/] as [string[], RegExp]] : []),
    ];
    symlinkSync(join(scratch, 'nowhere'), join(scratch, 'dangling'));
    await Promise.all(cases.map(async ([options, pattern]) => {
      const child = spawnCli(['fuzz', corpus('hello'), '--no-exec', '--count', '100000000', ...options]);
      // Nothing ran: the campaign never announced itself (were it to start, the test fails at once and afterEach kills it).
      expect(await child.sawStderr(FUZZ_STARTED), `${options.join(' ')}: the campaign started: ${child.stderr}`).toBe(false);
      expectOneLineError(await child.result(), 2, pattern, options.join(' '));
    }));
    const out = join(scratch, 'fresh', 'nested', 'out');
    const result = await run(['fuzz', corpus('hello'), '--no-exec', '--count', '10', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(out).isDirectory()).toBe(true);
  });

  it('prints the summary even when the report cannot be written at the end', async () => {
    const directory = join(scratch, 'vanishing');
    mkdirSync(directory, { recursive: true });
    const child = spawnCli(['fuzz', corpus('hello'), '--no-exec', '--count', '100000000', '--report', join(directory, 'r.json')]);
    await child.expectStderr(FUZZ_STARTED); // the destinations were checked; Ctrl-C is handled from now on
    rmSync(directory, { recursive: true, force: true });
    child.signalGroup('SIGINT');
    const result = await child.result();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toMatch(/mutants linted \(not executed\)/);
    expect(result.stderr).toMatch(/^elf-lint: cannot write .*r\.json: its directory does not exist$/m);
  });

  it.skipIf(!linux)('target options with execution are a usage error', async () => {
    const options = [['--page-size', '8192'], ['--mmap-min-addr', '0'], ['--machine', 'x86_64'], ['--privileged']];
    const [noExec, ...results] = await runAll([
      ['fuzz', corpus('hello'), '--count', '10', '--no-exec', '--page-size', '8192'],
      ...options.map((option) => ['fuzz', corpus('hello'), '--count', '10', ...option]),
    ]);
    results.forEach((result, index) => expectOneLineError(result, 3, /apply to --no-exec only|applies to --no-exec only/, options[index]!.join(' ')));
    expect(noExec!.code, noExec!.stderr).toBe(0);
  });

  it('rejects a bad seed file and bad counts', async () => {
    const text = join(scratch, 'seed.txt');
    writeFileSync(text, 'text');
    const [seed, count] = await runAll([['fuzz', text, '--no-exec'], ['fuzz', corpus('hello'), '--count', '0']]);
    expect(seed!.code, seed!.stderr).toBe(2);
    expect(count!.code, count!.stderr).toBe(3);
  });

  it.skipIf(!linux)('executes mutants and finds no disagreement', async () => {
    const result = await run(['fuzz', corpus('hello'), '--count', '800', '--seed', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/800 of 800 mutants executed .*: 800 agree with the prediction, 0 disagree/);
  });

  /**
   * A campaign too long to end by itself. spawnCli marks it with a unique environment variable that
   * its runners inherit, so /proc/PID/environ finds exactly this campaign's processes, not those of
   * tests running in parallel; afterEach kills them all, whatever the test's outcome.
   */
  const longCampaign = (args: string[], seed = corpus('hello')) => spawnCli(['fuzz', seed, '--count', '10000000', ...args]);

  it.skipIf(!linux)('Ctrl-C before the runners are up still writes the report and exits 130', async () => {
    const report = join(scratch, 'early.json');
    const child = longCampaign(['--report', report]);
    // The seed is read and the outputs checked; the runners are being started (or, on a fast machine, just started).
    await child.expectStderr(FUZZ_STARTED);
    child.signalGroup('SIGINT');
    const result = await child.result();
    expect(result.code, result.stderr).toBe(130);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document).toMatchObject({ interrupted: true, requested: 10_000_000 });
    expect(document.completed).toBeLessThan(10_000_000);
    expect(result.stdout).toMatch(/of 10000000 mutants .*, interrupted$/m);
    expect(processesMarked(child.marker)).toEqual([]); // the runners it started were closed before it exited
  });

  it.skipIf(!linux)('Ctrl-C leaves a valid report and no stray processes', async () => {
    const report = join(scratch, 'interrupted.json');
    const child = longCampaign(['--report', report]);
    await child.expectStderr(FUZZ_EXECUTING); // the runners are up and the first mutants claimed
    expect(processesMarked(child.marker).length).toBeGreaterThan(1); // the CLI and its runners
    child.signalGroup('SIGINT');
    const result = await child.result();
    expect(result.code, result.stderr).toBe(130);
    const document = JSON.parse(readFileSync(report, 'utf8'));
    expect(document.interrupted).toBe(true);
    expect(document.completed).toBeGreaterThan(0);
    expect(processesMarked(child.marker)).toEqual([]);
  });

  it.skipIf(!linux).each([['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s stops at once: no runner, mutant or work directory is left, exit %i', async (signal, code) => {
    const child = longCampaign(['--report', join(scratch, `${signal}.json`)]);
    const workDir = (await child.expectStderr(FUZZ_EXECUTING))[1]!;
    expect(existsSync(workDir)).toBe(true);
    child.signalGroup(signal);
    const result = await child.result();
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toMatch(new RegExp(`^elf-lint: ${signal}; stopping now without a report$`, 'm'));
    expect(existsSync(join(scratch, `${signal}.json`))).toBe(false);
    expect(existsSync(workDir)).toBe(false);
    // SIGKILL and PDEATHSIG are delivered asynchronously: wait for them to land.
    await waitUntil(() => processesMarked(child.marker).length === 0, 'the runners and their mutants to die', 30_000);
  });

  it.skipIf(!linux)('a second Ctrl-C stops at once and kills the runners and their mutants', async () => {
    // A seed that loops forever (jmp $): most mutants run until the 60 s timeout, so the first Ctrl-C has to wait.
    const spec = join(scratch, 'loop.json');
    writeFileSync(spec, JSON.stringify({
      header: { e_type: 'ET_EXEC', e_machine: 'EM_X86_64' },
      segments: [{ p_type: 'PT_LOAD', p_flags: 'R-X', p_vaddr: '0x400000', withHeaders: true, data: { hex: 'ebfe' } }],
    }));
    const seed = join(scratch, 'loop');
    const generated = await run(['gen', '--spec', spec, '-o', seed]);
    expect(generated.code, generated.stderr).toBe(0);
    const report = join(scratch, 'stopped.json');
    const child = longCampaign(['--report', report, '--timeout', '60000'], seed);
    const workDir = (await child.expectStderr(FUZZ_EXECUTING))[1]!;
    const mutants = () => processesWith('cmdline', `${workDir}/`);
    await waitUntil(() => mutants().length > 0, 'mutants in flight');
    expect(processesMarked(child.marker).length).toBeGreaterThan(1); // the CLI and its runners
    child.signalGroup('SIGINT');
    await child.expectStderr(/^elf-lint: interrupted; /m); // the first one was handled: the campaign waits for its mutants
    const stopped = performance.now();
    child.signalGroup('SIGINT');
    const result = await child.result();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^elf-lint: interrupted again; stopping now without a report$/m);
    // Only a bound that tells "at once" from "after the mutants' 60 s timeout", far above any delay load causes.
    expect(performance.now() - stopped).toBeLessThan(30_000);
    expect(existsSync(report)).toBe(false);
    // SIGKILL and PDEATHSIG are delivered asynchronously: wait for them to land (again well within the mutants' 60 s).
    await waitUntil(() => processesMarked(child.marker).length === 0 && mutants().length === 0, 'the runners and their mutants to die', 30_000);
  });
});
