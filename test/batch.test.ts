// End-to-end, the built CLI: batch runs (--output, --no-error-on-unmatched, --shard and
// merge). Every process goes through support.ts and is killed in afterEach whatever the
// outcome; nothing waits for a fixed time.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, killTracked, runCli, spawnTracked, type Finished } from './support.js';
import { workersFor } from '../src/cli/lint-pool.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-batch-'));
chmodSync(scratch, 0o755); // readable by the unprivileged user of the read-only test
afterEach(killTracked);
afterAll(() => {
  chmodSync(scratch, 0o755);
  for (const entry of readdirSync(scratch)) chmodSync(join(scratch, entry), 0o755);
  rmSync(scratch, { recursive: true, force: true });
});

/** The tests run from the repository root: paths in reports are relative to it, as a CI job's are. */
const CORPUS = 'corpus';
const corpus = (name: string) => `${CORPUS}/${name}`;

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** Runs a bash command line (with pipefail: the CLI's exit code survives a pipe). */
function shell(command: string): Promise<Finished> {
  return spawnTracked('bash', ['-c', `set -o pipefail; ${command}`]).result();
}

const cli = `${quote(process.execPath)} ${quote(CLI)}`;

function expectOneLineError(result: Finished, code: number, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(/^elf-lint: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

it('runs from the repository root', () => {
  expect(existsSync(corpus('hello'))).toBe(true);
});

describe('--output', () => {
  it('writes the same report as standard output, and leaves no temporary file', async () => {
    const target = join(scratch, 'report.json');
    writeFileSync(target, 'old contents');
    const [written, printed] = await Promise.all([
      runCli(['lint', '--format', 'json', '--output', target, CORPUS]),
      runCli(['lint', '--format', 'json', CORPUS]),
    ]);
    expect(written.code).toBe(printed.code);
    expect(written.stdout).toBe('');
    expect(readFileSync(target, 'utf8')).toBe(printed.stdout);
    expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a text report in a file has no colour, and a run without files writes an empty file', async () => {
    const target = join(scratch, 'report.txt');
    const empty = join(scratch, 'nothing-here');
    mkdirSync(empty, { recursive: true });
    const emptyTarget = join(scratch, 'empty.txt');
    const [text, none] = await Promise.all([
      runCli(['lint', '--output', target, corpus('hello')], { env: { FORCE_COLOR: '1' } }),
      runCli(['lint', '--no-error-on-unmatched', '--output', emptyTarget, empty]),
    ]);
    expect(text.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('corpus/hello: loader: runs: the program starts at 0x400078\ncorpus/hello: clean (no findings)\n');
    expect(none.code, none.stderr).toBe(0);
    expect(readFileSync(emptyTarget, 'utf8')).toBe('');
  });

  it('/dev/full as --output: one line and exit 2', async () => {
    expectOneLineError(await runCli(['lint', '--output', '/dev/full', corpus('hello')]), 2, /^elf-lint: cannot write \/dev\/full: no space left on device$/m);
  });

  it('standard output on /dev/full: one line and exit 2, even when the findings fail the run', async () => {
    const [clean, failing] = await Promise.all([
      shell(`${cli} ${corpus('hello')} > /dev/full`),
      shell(`${cli} --format json ${corpus('hello-entry-outside')} > /dev/full`),
    ]);
    expectOneLineError(clean, 2, /^elf-lint: cannot write to standard output: no space left on device$/m);
    expectOneLineError(failing, 2, /^elf-lint: cannot write to standard output: no space left on device$/m);
  });

  it('a pipe closed early (| head -c 1): one line and exit 2', async () => {
    // About 1 MB of JSON, far more than a pipe holds: the writer meets the closed pipe.
    const paths = Array.from({ length: 20 }, () => CORPUS).join(' ');
    const result = await shell(`${cli} --format json ${paths} | head -c 1 > /dev/null`);
    expectOneLineError(result, 2, /^elf-lint: cannot write to standard output: broken pipe$/m);
  });

  // root writes anywhere, so as root the CLI runs as nobody (uid 65534). Host fact relied on: nobody can
  // reach the built CLI and the corpus (not so in a checkout under a 0700 directory such as mktemp -d's).
  const asRoot = process.getuid?.() === 0;
  const nobodyReaches = !asRoot || spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', 'test', '-r', CLI, '-a', '-r', corpus('hello')]).status === 0;
  if (!nobodyReaches) console.warn('batch.test: uid 65534 cannot read the checkout; the read-only directory case is skipped');
  it.skipIf(!nobodyReaches)('a read-only directory: one line, exit 2, and the file there is left as it was', async () => {
    const directory = join(scratch, 'read-only');
    mkdirSync(directory, { recursive: true });
    const target = join(directory, 'report.json');
    writeFileSync(target, 'old contents');
    chmodSync(target, 0o666);
    chmodSync(directory, 0o555);
    const asUser = asRoot ? 'setpriv --reuid 65534 --regid 65534 --clear-groups -- ' : '';
    const result = await shell(`${asUser}${cli} lint --format json --output ${quote(target)} ${corpus('hello')}`);
    expectOneLineError(result, 2, /^elf-lint: cannot write .*report\.json: permission denied$/m);
    expect(readFileSync(target, 'utf8')).toBe('old contents');
    expect(readdirSync(directory)).toEqual(['report.json']);
  });
});

describe('a directory without ELF files beside other paths', () => {
  const empty = join(scratch, 'empty');
  const noElf = join(scratch, 'no-elf');
  mkdirSync(empty, { recursive: true });
  mkdirSync(noElf, { recursive: true });
  writeFileSync(join(noElf, 'notes.txt'), 'not an ELF file\n');

  it('is reported (exit 2), and the other files are still checked', async () => {
    const [withEmpty, withNoElf] = await Promise.all([
      runCli(['lint', corpus('hello'), empty]),
      runCli(['lint', '--format', 'json', noElf, corpus('hello')]),
    ]);
    expectOneLineError(withEmpty, 2, /^elf-lint: no ELF files found under .*empty \(--no-error-on-unmatched allows it\)$/m);
    expect(withEmpty.stdout).toMatch(/corpus\/hello: clean/);
    expectOneLineError(withNoElf, 2, /no ELF files found under .*no-elf /);
    expect((JSON.parse(withNoElf.stdout) as { files: unknown[] }).files).toHaveLength(1);
  });

  it('is allowed with --no-error-on-unmatched', async () => {
    const [beside, alone] = await Promise.all([
      runCli(['lint', '--no-error-on-unmatched', corpus('hello'), empty, noElf]),
      runCli(['lint', '--no-error-on-unmatched', '--format', 'json', empty]),
    ]);
    expect(beside.code, beside.stderr).toBe(0);
    expect(beside.stderr).toBe('');
    expect(alone.code, alone.stderr).toBe(0);
    expect((JSON.parse(alone.stdout) as { files: unknown[] }).files).toEqual([]);
  });

  it('a run that finds nothing at all is still exit 2 without the option', async () => {
    expectOneLineError(await runCli(['lint', empty, noElf]), 2, /^elf-lint: no ELF files found under /);
  });
});

describe('--shard and merge', () => {
  const shardFiles = [1, 2, 3].map((index) => join(scratch, `shard-${index}.json`));

  it('three shards partition the corpus, and merge rebuilds the unsharded JSON, SARIF and text byte for byte', async () => {
    const [json, sarif, text, ...shards] = await Promise.all([
      runCli(['lint', '--format', 'json', CORPUS]),
      runCli(['lint', '--format', 'sarif', CORPUS]),
      runCli(['lint', CORPUS]),
      ...shardFiles.map((file, index) => runCli(['lint', '--format', 'json', '--shard', `${index + 1}/3`, '--output', file, CORPUS])),
    ]);
    const paths = shardFiles.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { files: { path: string }[] }).files.map((entry) => entry.path));
    const all = (JSON.parse(json.stdout) as { files: { path: string }[] }).files.map((entry) => entry.path);
    expect(paths.flat().sort()).toEqual([...all].sort());
    for (const slice of paths) expect(slice.length).toBeGreaterThan(0);
    for (const shard of shards) expect([0, 1]).toContain(shard.code);
    // Shard membership is a pure function of the relative path: running again gives the same slice.
    const again = await runCli(['lint', '--format', 'json', '--shard', '2/3', CORPUS]);
    expect(again.stdout).toBe(readFileSync(shardFiles[1]!, 'utf8'));

    const [mergedJson, mergedSarif, mergedText] = await Promise.all([
      runCli(['merge', '--format', 'json', ...shardFiles]),
      runCli(['merge', '--format', 'sarif', ...[...shardFiles].reverse()]),
      runCli(['merge', ...shardFiles]),
    ]);
    expect(mergedJson.stdout).toBe(json.stdout);
    expect(mergedSarif.stdout).toBe(sarif.stdout);
    expect(mergedText.stdout).toBe(text.stdout);
    expect(json.code).toBe(1);
    for (const merged of [mergedJson, mergedSarif, mergedText]) expect(merged.code).toBe(json.code);
    expect(mergedText.stderr).toBe(text.stderr);
  });

  it('merge applies --fail-on and --fail-on-verdict as lint does', async () => {
    // In sorted order, the order merge restores (see the README's "Sharding").
    const inputs = [corpus('hello'), corpus('hello-entry-zero'), corpus('hello-wx')];
    const files = [1, 2].map((index) => join(scratch, `pair-${index}.json`));
    await Promise.all(files.map((file, index) => runCli(['lint', '--format', 'json', '--disable', 'entry-zero', '--shard', `${index + 1}/2`, '--output', file, ...inputs])));
    const settings = [[], ['--fail-on-verdict', 'none'], ['--fail-on', 'warning', '--fail-on-verdict', 'none'], ['--fail-on', 'info', '--fail-on-verdict', 'none']];
    const [linted, merged] = await Promise.all([
      Promise.all(settings.map((extra) => runCli(['lint', '--disable', 'entry-zero', ...extra, ...inputs]))),
      Promise.all(settings.map((extra) => runCli(['merge', ...extra, ...files]))),
    ]);
    // start-fault (entry-zero disabled) fails the run; without it, the warning of hello-wx fails it only at --fail-on warning.
    expect(linted.map((result) => result.code)).toEqual([1, 0, 1, 1]);
    expect(merged.map((result) => result.code)).toEqual(linted.map((result) => result.code));
    merged.forEach((result, index) => {
      expect(result.stdout).toBe(linted[index]!.stdout);
      expect(result.stderr).toBe(linted[index]!.stderr);
    });
  });

  it('checks a file named twice once, and merge refuses a report given twice or shards that overlap', async () => {
    const hello = join(CORPUS, 'hello');
    const twice = await runCli(['lint', '--format', 'json', hello, CORPUS, `${CORPUS}/./hello`]);
    const files = (JSON.parse(twice.stdout) as { files: { path: string }[] }).files.map((file) => file.path);
    expect(files.filter((path) => path.endsWith('/hello'))).toEqual([hello]);
    expect(new Set(files).size).toBe(files.length);
    const shard = join(scratch, 'shard-1-of-2.json');
    const copy = join(scratch, 'shard-1-of-2-copy.json');
    writeFileSync(shard, (await runCli(['lint', '--format', 'json', '--shard', '1/2', CORPUS])).stdout);
    writeFileSync(copy, readFileSync(shard));
    const [again, overlap] = await Promise.all([runCli(['merge', shard, shard]), runCli(['merge', shard, copy])]);
    expectOneLineError(again, 3, /shard-1-of-2\.json is given twice/);
    expectOneLineError(overlap, 3, /is in both .*shard-1-of-2\.json and .*shard-1-of-2-copy\.json/);
  });

  it('rejects a bad shard and a bad merge input with one line', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": 1, "files": "no"}');
    const notJson = join(scratch, 'not.json');
    writeFileSync(notJson, 'nope');
    const [zero, over, shape, broken, missing] = await Promise.all([
      runCli(['lint', '--shard', '0/3', CORPUS]),
      runCli(['lint', '--shard', '4/3', CORPUS]),
      runCli(['merge', bad]),
      runCli(['merge', notJson]),
      runCli(['merge', join(scratch, 'missing.json')]),
    ]);
    expectOneLineError(zero, 3, /--shard/);
    expectOneLineError(over, 3, /--shard/);
    expectOneLineError(shape, 2, /bad\.json: not an elf-lint JSON report/);
    expectOneLineError(broken, 2, /not\.json: not JSON/);
    expectOneLineError(missing, 2, /missing\.json: cannot read: no such file or directory$/m);
  });

  it('an empty shard is not an error', async () => {
    // One file, nine shards: most are empty.
    const results = await Promise.all(Array.from({ length: 9 }, (_, index) => runCli(['lint', '--format', 'json', '--shard', `${index + 1}/9`, corpus('hello')])));
    const counts = results.map((result) => (JSON.parse(result.stdout) as { files: unknown[] }).files.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });
});

describe('the README "Sharding" example', () => {
  it('runs as written (npx elf-lint being this build), and merge exits as lint does', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /### Sharding\n[\s\S]*?```bash\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const lines = block!.trim().split('\n');
    expect(lines).toHaveLength(4);
    const directory = join(scratch, 'readme-sharding');
    mkdirSync(directory, { recursive: true });
    const copy = await shell(`cp -r ${quote(CORPUS)} ${quote(directory)}/corpus`);
    expect(copy.code, copy.stderr).toBe(0);
    const codes: (number | null)[] = [];
    for (const line of lines) {
      const result = await shell(`cd ${quote(directory)} && ${line.replaceAll('npx elf-lint', cli)}`);
      codes.push(result.code);
    }
    // The corpus has failing files: the merge exits 1 as the unsharded lint does; cmp finds them equal.
    expect(codes.slice(1)).toEqual([1, 1, 0]);
    expect(readdirSync(directory).sort()).toEqual(['corpus', 'elf-lint.sarif', 'shard-1.json', 'shard-2.json', 'shard-3.json', 'unsharded.sarif']);
  });
});

describe('--jobs', () => {
  /** The corpus four times over: enough files for worker threads. */
  const tree = join(scratch, 'jobs-tree');
  const makeTree = () => {
    if (existsSync(tree)) return;
    for (const copy of ['a', 'b', 'c', 'd']) cpSync(CORPUS, join(tree, copy), { recursive: true });
  };

  it('gives the same reports and exit code on one thread and on several, in the same order', async () => {
    makeTree();
    const env = { ...process.env, ELF_LINT_DEBUG: '1' };
    for (const format of ['json', 'sarif', 'text']) {
      const [one, two, five] = await Promise.all(['1', '2', '5'].map((jobs) => spawnTracked(process.execPath, [CLI, 'lint', '--jobs', jobs, '--format', format, tree], { env }).result()));
      expect(one!.stderr).toContain('checked on the main thread');
      expect(two!.stderr).toContain('checked on 2 worker threads');
      const files = Number(/(\d+) files/.exec(five!.stderr)?.[1]);
      expect(workersFor(files, 5)).toBeGreaterThanOrEqual(2);
      expect(five!.stderr).toContain(`${files} files, checked on ${workersFor(files, 5)} worker threads`);
      expect(two!.stdout, format).toBe(one!.stdout);
      expect(five!.stdout, format).toBe(one!.stdout);
      expect([two!.code, five!.code]).toEqual([one!.code, one!.code]);
    }
  });

  it('gives each file its own directory\'s settings on worker threads too, as on one thread', async () => {
    // Two copies of the corpus, one under a configuration that turns off a rule the corpus trips and raises another's severity.
    const mixed = join(scratch, 'jobs-mixed');
    if (!existsSync(mixed)) {
      for (const copy of ['plain', 'configured']) cpSync(CORPUS, join(mixed, copy), { recursive: true });
      writeFileSync(join(mixed, 'configured', '.elf-lint.json'), JSON.stringify({ rules: { 'entry-in-load-segment': 'off', 'segment-page-congruence': 'error' } }));
    }
    const env = { ...process.env, ELF_LINT_DEBUG: '1' };
    const [one, two] = await Promise.all(['1', '2'].map((jobs) => spawnTracked(process.execPath, [CLI, 'lint', '--jobs', jobs, '--format', 'json', mixed], { env }).result()));
    expect(two!.stderr).toContain('checked on 2 worker threads');
    expect(two!.stdout).toBe(one!.stdout);
    const files = (JSON.parse(two!.stdout) as { files: { path: string; findings: { rule: string; severity: string }[] }[] }).files;
    const findingsUnder = (copy: string) => files.filter((file) => file.path.includes(`/${copy}/`)).flatMap((file) => file.findings);
    expect(findingsUnder('plain').some((finding) => finding.rule === 'entry-in-load-segment')).toBe(true);
    expect(findingsUnder('configured').some((finding) => finding.rule === 'entry-in-load-segment')).toBe(false);
    expect(findingsUnder('configured').filter((finding) => finding.rule === 'segment-page-congruence').every((finding) => finding.severity === 'error')).toBe(true);
    expect(findingsUnder('configured').some((finding) => finding.rule === 'segment-page-congruence')).toBe(true);
  });

  it('a few files stay on the main thread whatever --jobs says', async () => {
    const result = await spawnTracked(process.execPath, [CLI, 'lint', '--jobs', '8', CORPUS], { env: { ...process.env, ELF_LINT_DEBUG: '1' } }).result();
    expect(result.stderr).toContain('checked on the main thread');
  });

  it('rejects a count that is not a whole number from 1 to 256', async () => {
    for (const jobs of ['0', 'x', '2.5', '1000']) expectOneLineError(await runCli(['lint', '--jobs', jobs, CORPUS]), 3, /--jobs/);
  });
});
