// Configuration (.elf-lint.json, package.json "elf-lint", --config), per-rule
// severities and profiles, failing loader verdicts, and baselines: unit tests
// for the glob matcher, the schema and the fingerprint, then end to end
// through the built CLI (dist/), each run waited for (spawnSync).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globToRegExp, matchesGlob, matchesGlobOrParent, GlobError } from '../src/cli/config/glob.js';
import { configFromJson } from '../src/cli/config/schema.js';
import { DEFAULT_FAIL_ON_VERDICT, verdictFails } from '../src/cli/config/effective.js';
import { fingerprint, fingerprintPath } from '../src/report/fingerprint.js';
import { baselineDocument, baselineFromDocument, isBaselined } from '../src/cli/config/baseline.js';
import { verdict } from '../src/model/loader-verdict.js';
import type { Finding } from '../src/model/finding.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let projects = 0;
/** A fresh directory under the scratch directory with `files` (path → corpus name or JSON value). */
function project(files: Record<string, string | object>): string {
  const root = join(scratch, `p${projects++}`);
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === 'string') copyFileSync(corpus(content), target);
    else writeFileSync(target, JSON.stringify(content));
  }
  return root;
}

/** Runs the CLI in `cwd` to its end. */
function run(args: string[], cwd: string = scratch) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json(result: ReturnType<typeof run>) {
  return JSON.parse(result.stdout) as {
    files: { path: string; findings: (Finding & { baselineState?: string })[]; loader: { verdict: string; baselineState?: string } | null }[];
  };
}

function usageError(result: ReturnType<typeof run>, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(3);
  expect(result.stderr).toMatch(/^elf-lint: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stdout).toBe('');
}

describe('glob matcher', () => {
  it('matches *, **, ? and character classes against the whole relative path', () => {
    expect(matchesGlob('a.o', '*.o')).toBe(true);
    expect(matchesGlob('dir/a.o', '*.o')).toBe(false);
    expect(matchesGlob('a.o', '**/*.o')).toBe(true);
    expect(matchesGlob('x/y/a.o', '**/*.o')).toBe(true);
    expect(matchesGlob('x/y/a.so', '**/*.o')).toBe(false);
    expect(matchesGlob('build/x/y', 'build/**')).toBe(true);
    expect(matchesGlob('build', 'build/**')).toBe(false);
    expect(matchesGlob('src/a/b/t.o', 'src/**/t.o')).toBe(true);
    expect(matchesGlob('src/t.o', 'src/**/t.o')).toBe(true);
    expect(matchesGlob('lib1.so', 'lib?.so')).toBe(true);
    expect(matchesGlob('lib12.so', 'lib?.so')).toBe(false);
    expect(matchesGlob('a/b', 'a?b')).toBe(false);
    expect(matchesGlob('hello-arm', 'hello-[ab]*')).toBe(true);
    expect(matchesGlob('hello-wx', 'hello-[!ab]*')).toBe(true);
    expect(matchesGlob('hello-arm', 'hello-[^ab]*')).toBe(false);
    expect(matchesGlob('v7', 'v[0-9]')).toBe(true);
    expect(matchesGlob('vx', 'v[0-9]')).toBe(false);
    expect(matchesGlob('./bin/x', 'bin/*')).toBe(true);
    expect(matchesGlob('bin/x', './bin/*')).toBe(true);
  });

  it('takes regular-expression characters and escapes literally', () => {
    expect(matchesGlob('a+b(1).o', 'a+b(1).o')).toBe(true);
    expect(matchesGlob('axo', 'a.o')).toBe(false);
    expect(matchesGlob('a*b', 'a\\*b')).toBe(true);
    expect(matchesGlob('axb', 'a\\*b')).toBe(false);
    expect(matchesGlob('a]', 'a[]]')).toBe(true);
  });

  it('matches a directory pattern for everything below it (ignores)', () => {
    expect(matchesGlobOrParent('build/x/y.o', 'build')).toBe(true);
    expect(matchesGlobOrParent('build/x/y.o', 'build/**')).toBe(true);
    expect(matchesGlobOrParent('src/build.o', 'build')).toBe(false);
  });

  it('refuses an unclosed class and an empty pattern', () => {
    expect(() => globToRegExp('a[b')).toThrow(GlobError);
    expect(() => globToRegExp('')).toThrow(GlobError);
  });
});

describe('configuration schema', () => {
  const errors = (document: unknown) => {
    const result = configFromJson(document);
    return result.ok ? [] : result.errors;
  };

  it('accepts every key', () => {
    const result = configFromJson({
      $schema: 'x', rules: { 'wx-segment': 'error', 'exec-stack': 'off' }, profile: 'loader', failOn: 'warning',
      failOnVerdict: ['start-fault', 'uncertain'], ignores: ['build/**'],
      target: { machine: 'amd64', pageSize: 16384, mmapMinAddr: '0x1000', privileged: true, without: ['x32'], memory: '0x40000000', overcommit: 'never', cpuidFaults: true },
      overrides: [{ files: ['**/*.o'], rules: { 'ident-padding': 'off' }, target: { machine: 62 } }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.target).toEqual({
      machine: 'x86_64', pageSize: 16384n, mmapMinAddr: 0x1000n, privileged: true, without: ['x32'], memory: 0x40000000n, overcommit: 'never', cpuidFaults: true,
    });
    expect(result.config.overrides?.[0]?.target).toEqual({ machine: 'x86_64' });
  });

  it('names the key path of unknown keys, unknown rule ids and bad values', () => {
    expect(errors({ colour: true })).toEqual([expect.stringMatching(/^\(top level\): .*colour/)]);
    expect(errors({ rules: { 'no-such-rule': 'error' } })).toEqual(['rules.no-such-rule: unknown rule id "no-such-rule" (see `elf-lint rules`)']);
    expect(errors({ rules: { 'not-elf': 'off' } })[0]).toMatch(/^rules\.not-elf: .*engine/);
    expect(errors({ rules: { 'wx-segment': 'fatal' } })[0]).toMatch(/^rules\.wx-segment: /);
    expect(errors({ overrides: [{ files: ['ok', 'a[b'] }] })[0]).toBe('overrides[0].files[1]: bad glob "a[b": unclosed "["');
    expect(errors({ ignores: ['/build/**'] })[0]).toBe('ignores[0]: bad glob "/build/**": patterns are relative to the configuration file\'s directory; remove the leading /');
    expect(errors({ overrides: [{ rules: {} }] })[0]).toMatch(/^overrides\[0\]\.files: /);
    expect(errors({ overrides: [{ files: ['x'], ignores: [] }] })[0]).toMatch(/^overrides\[0\]: .*ignores/);
    expect(errors({ target: { pageSize: 1000 } })[0]).toMatch(/^target\.pageSize: 1000 is not a power of two/);
    expect(errors({ target: { machine: 'no-such-arch' } })[0]).toMatch(/^target\.machine: "no-such-arch" is not a known architecture/);
    expect(errors({ target: { without: ['ia32', 'ia64'] } })[0]).toMatch(/^target\.without\[1\]: unknown loader "ia64"/);
    expect(errors({ target: { overcommit: 'maybe' } })[0]).toMatch(/^target\.overcommit: /);
    expect(errors({ failOnVerdict: ['runs'] })[0]).toMatch(/^failOnVerdict\[0\]: /);
    expect(errors({ failOnVerdict: ['uncertain'] })[0]).toMatch(/^failOnVerdict: uncertain only adds the uncertain predictions/);
    expect(errors({ profile: 'strict' })[0]).toMatch(/^profile: /);
    expect(errors({ failOn: 'never' })[0]).toMatch(/^failOn: /);
    expect(errors([])[0]).toMatch(/^\(top level\): /);
  });
});

describe('fingerprints and verdicts', () => {
  const finding = (offset: number): Finding => ({ rule: 'entry-in-load-segment', severity: 'error', category: 'loader', message: 'm', offset, length: 8, field: 'phdr[1].p_vaddr' });

  it('ignore byte offsets and name the path relative to the working directory', () => {
    expect(fingerprint(finding(24), '/w/bin/a', '/w')).toBe(fingerprint(finding(4096), 'bin/a', '/w'));
    expect(fingerprint(finding(24), 'bin/a', '/w')).not.toBe(fingerprint({ ...finding(24), field: 'phdr[2].p_vaddr' }, 'bin/a', '/w'));
    expect(fingerprint(finding(24), 'bin/a', '/w')).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintPath('./x/../bin/a', '/w')).toBe('bin/a');
    expect(fingerprintPath('<stdin>', '/w')).toBe('<stdin>');
    const document = baselineDocument([{ path: '/w/bin/a', elf: undefined, findings: [finding(24)] }], '/w');
    expect(document.findings).toEqual([{ rule: 'entry-in-load-segment', field: 'phdr[1].p_vaddr', path: 'bin/a' }]);
    expect(isBaselined(baselineFromDocument(document), finding(9999), 'bin/a', '/w')).toBe(true);
    expect(isBaselined(baselineFromDocument(document), finding(24), 'bin/b', '/w')).toBe(false);
  });

  it('fail a run by default for certain failures only', () => {
    const fault = verdict('start-fault', 'r', { signal: 'SIGSEGV' });
    expect(verdictFails(fault, DEFAULT_FAIL_ON_VERDICT)).toBe(true);
    expect(verdictFails({ ...fault, uncertain: true }, DEFAULT_FAIL_ON_VERDICT)).toBe(false);
    expect(verdictFails({ ...fault, uncertain: true }, [...DEFAULT_FAIL_ON_VERDICT, 'uncertain'])).toBe(true);
    expect(verdictFails(verdict('runs', 'r'), DEFAULT_FAIL_ON_VERDICT)).toBe(false);
    expect(verdictFails(verdict('not-applicable', 'r'), DEFAULT_FAIL_ON_VERDICT)).toBe(false);
    expect(verdictFails(fault, ['exec-error'])).toBe(false);
    expect(verdictFails(fault, [])).toBe(false);
  });
});

describe('configuration files, end to end', () => {
  it('finds .elf-lint.json upward from each file and applies its rules and failOnVerdict', () => {
    const root = project({
      '.elf-lint.json': { rules: { 'entry-in-load-segment': 'warning' }, failOnVerdict: [] },
      'bin/deep/dir/outside': 'hello-entry-outside',
    });
    const result = run(['bin/deep/dir/outside'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('warning: e_entry 0x500000');
    expect(result.stdout).toContain('loader: start-fault');
    // From another working directory the same configuration applies (it is found from the file, not the cwd).
    expect(run([join(root, 'bin/deep/dir/outside')], scratch).code).toBe(0);
  });

  it('reads the "elf-lint" key of package.json, and the nearest configuration wins', () => {
    const root = project({
      'package.json': { name: 'x', 'elf-lint': { rules: { 'entry-zero': 'off' }, failOnVerdict: ['exec-error'] } },
      'a/zero': 'hello-entry-zero',
      'b/.elf-lint.json': {},
      'b/zero': 'hello-entry-zero',
      'c/package.json': { name: 'no-config-here' },
      'c/zero': 'hello-entry-zero',
    });
    expect(run(['a/zero'], root).code).toBe(0);
    expect(run(['c/zero'], root).code).toBe(0); // a package.json without the key is passed over
    const nearest = run(['b/zero'], root);
    expect(nearest.code).toBe(1);
    expect(nearest.stdout).toContain('[entry-zero]');
  });

  it('a package.json that is not JSON is passed over, unless it names the "elf-lint" key: then it is refused', () => {
    const root = project({ 'a/zero': 'hello-entry-zero', 'b/zero': 'hello-entry-zero', '.elf-lint.json': { rules: { 'entry-zero': 'off' }, failOnVerdict: [] } });
    writeFileSync(join(root, 'a/package.json'), '{not json');
    writeFileSync(join(root, 'b/package.json'), '{"name": "x", "elf-lint": {"failOn": "warning"},}');
    expect(run(['a/zero'], root).code).toBe(0);
    usageError(run(['b/zero'], root), /^elf-lint: b\/package\.json: invalid JSON \(.*\); it has an "elf-lint" key, so its settings cannot be applied\n$/);
  });

  it('--config FILE replaces the search', () => {
    const root = project({ '.elf-lint.json': { rules: { 'entry-zero': 'off' } }, 'other.json': { rules: { 'entry-zero': 'info' }, failOnVerdict: [] }, zero: 'hello-entry-zero' });
    const result = run(['--config', 'other.json', 'zero'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('info: ');
    expect(run(['-c', 'missing.json', 'zero'], root).code).toBe(2);
  });

  it('overrides apply in order to files matching their globs, relative to the configuration', () => {
    const root = project({
      'cfg/.elf-lint.json': { overrides: [{ files: ['vendor/**'], rules: { 'wx-segment': 'off' } }, { files: ['**/strict-*'], rules: { 'wx-segment': 'error' } }] },
      'cfg/vendor/wx': 'hello-wx',
      'cfg/vendor/strict-wx': 'hello-wx',
      'cfg/own/wx': 'hello-wx',
    });
    const result = run(['--format', 'json', 'cfg'], root);
    expect(result.code, result.stderr).toBe(1);
    const rules = Object.fromEntries(json(result).files.map((file) => [file.path, file.findings.map((finding) => `${finding.rule}:${finding.severity}`)]));
    expect(rules).toEqual({ 'cfg/own/wx': ['wx-segment:warning'], 'cfg/vendor/strict-wx': ['wx-segment:error'], 'cfg/vendor/wx': [] });
  });

  it('ignores skip files; when every file is ignored, exit 2 says so', () => {
    const root = project({ '.elf-lint.json': { ignores: ['build', '*.tmp'] }, 'build/x/outside': 'hello-entry-outside', 'a.tmp': 'hello-entry-outside', ok: 'hello' });
    const result = run(['.'], root);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('ok: loader: runs: the program starts at 0x400078\nok: clean (no findings)\n');
    const all = run(['build', 'a.tmp'], root);
    expect(all.code).toBe(2);
    expect(all.stderr).toBe('elf-lint: every file under build, a.tmp is ignored by the configuration (ignores)\n');
  });

  it('failOn from the configuration, overridden by an explicit --fail-on', () => {
    const root = project({ '.elf-lint.json': { failOn: 'warning' }, osabi: 'hello-ident-osabi' });
    expect(run(['osabi'], root).code).toBe(1);
    expect(run(['--fail-on', 'error', 'osabi'], root).code).toBe(0);
  });

  it('profile from the configuration, overridden by --profile; rules set on top of a profile still run', () => {
    const root = project({ '.elf-lint.json': { profile: 'hardening', failOnVerdict: [] }, outside: 'hello-entry-outside', wx: 'hello-wx', osabi: 'hello-ident-osabi' });
    const hardening = run(['--format', 'json', 'outside', 'wx', 'osabi'], root);
    expect(hardening.code, hardening.stderr).toBe(0);
    // The hardening category only, its opt-in rules included: none of these ET_EXEC twins is a PIE.
    const rulesOf = (result: ReturnType<typeof run>) => json(result).files.map((file) => file.findings.map((finding) => finding.rule));
    expect(json(hardening).files.every((file) => file.findings.every((finding) => finding.category === 'hardening'))).toBe(true);
    expect(rulesOf(hardening).map((rules) => rules.filter((id) => id !== 'hardening-pie' && id !== 'hardening-cet'))).toEqual([[], ['wx-segment'], []]);
    expect(rulesOf(hardening).every((rules) => rules.includes('hardening-pie'))).toBe(true);
    // The default profile leaves the opt-in rules off.
    expect(rulesOf(run(['--format', 'json', '--profile', 'recommended', 'wx'], root))).toEqual([['wx-segment']]);
    const loader = run(['--format', 'json', '--profile', 'loader', 'outside', 'wx', 'osabi'], root);
    expect(loader.code).toBe(1);
    expect(json(loader).files.map((file) => file.findings.map((finding) => finding.rule))).toEqual([['entry-in-load-segment'], [], []]);
    const gabi = run(['--format', 'json', '--profile', 'gabi', 'outside', 'wx', 'osabi'], root);
    expect(json(gabi).files.map((file) => file.findings.map((finding) => finding.rule))).toEqual([[], [], ['ident-osabi']]);
    const enabled = run(['--format', 'json', '--enable', 'entry-in-load-segment', 'outside'], root);
    expect(rulesOf(enabled)[0]!.filter((id) => id !== 'hardening-pie' && id !== 'hardening-cet')).toEqual(['entry-in-load-segment']);
  });

  it('target: mmapMinAddr, privileged and machine from the configuration change the prediction', () => {
    const low = project({ '.elf-lint.json': { target: { mmapMinAddr: 0 } }, low: 'hello-low-address' });
    expect(run(['low'], low).code).toBe(0);
    const privileged = project({ '.elf-lint.json': { target: { privileged: true } }, low: 'hello-low-address' });
    expect(run(['low'], privileged).code).toBe(0);
    const unprivileged = run(['low'], project({ low: 'hello-low-address' }));
    expect(unprivileged.code).toBe(1);
    const machine = project({ '.elf-lint.json': { target: { machine: 'x86_64' } }, arm: 'hello-aarch64' });
    const mismatch = run(['arm'], machine);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stdout).toContain('[machine-mismatch]');
    // The command line wins over the configuration.
    expect(run(['--machine', 'aarch64', 'arm'], machine).code).toBe(0);
  });

  it('--print-config shows every key of the effective configuration, command line included', () => {
    const root = project({
      '.elf-lint.json': {
        rules: { 'wx-segment': 'error' }, failOn: 'warning', failOnVerdict: ['exec-error', 'uncertain'], profile: 'loader',
        target: { machine: 'arm64', pageSize: '0x4000', mmapMinAddr: 4096, privileged: true, without: ['aarch32'], memory: '0x40000000', overcommit: 'always', cpuidFaults: true },
        overrides: [{ files: ['sub/**'], rules: { 'exec-stack': 'info' } }], ignores: ['skip/**'],
      },
    });
    const result = run(['--print-config', 'sub/x', '--rule', 'entry-zero=warning', '--rule', 'interp-nul=off', '--disable', 'wx-segment', '--page-size', '65536'], root);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown> & { rules: Record<string, string> };
    expect(printed).toMatchObject({
      file: 'sub/x', config: join(root, '.elf-lint.json'), ignored: false, profile: 'loader', failOn: 'warning', failOnVerdict: ['exec-error', 'uncertain'],
      target: { machine: 'aarch64', pageSize: '0x10000', mmapMinAddr: '0x1000', privileged: true, without: ['aarch32'], memory: '0x40000000', overcommit: 'always', cpuidFaults: true },
    });
    expect(printed.rules).toMatchObject({ 'entry-zero': 'warning', 'interp-nul': 'off', 'wx-segment': 'off', 'exec-stack': 'info', 'ident-osabi': 'off', 'entry-executable': 'error' });
    expect(JSON.parse(run(['--print-config', 'skip/y'], root).stdout)).toMatchObject({ ignored: true });
    const defaults = JSON.parse(run(['--print-config', 'x'], scratch).stdout) as Record<string, unknown>;
    expect(defaults).toMatchObject({ config: null, profile: 'recommended', failOn: 'error', failOnVerdict: ['exec-error', 'exec-killed', 'start-fault'], target: {} });
    // A second path would be ignored: refused instead.
    const extra = run(['--print-config', 'x', 'y'], scratch);
    expect(extra.code).toBe(3);
    expect(extra.stderr).toBe('elf-lint: --print-config prints the configuration of one file and checks none; "y" would be ignored\n');
  });

  it('rejects bad configurations with exit 3 and the key path', () => {
    const bad = (config: unknown, pattern: RegExp, file = '.elf-lint.json') => {
      const root = project({ [file]: config as object, hello: 'hello' });
      usageError(run(['hello'], root), pattern);
    };
    bad({ colour: 'always' }, /\.elf-lint\.json: \(top level\): .*"colour"/);
    bad({ rules: { 'entry-zer0': 'error' } }, /rules\.entry-zer0: unknown rule id "entry-zer0"/);
    bad({ rules: { 'entry-zero': 'fatal' } }, /rules\.entry-zero: /);
    bad({ overrides: [{ files: ['x'], rules: { 'entry-zer0': 'off' } }] }, /overrides\[0\]\.rules\.entry-zer0: unknown rule id/);
    bad({ target: { pageSize: 1000 } }, /target\.pageSize: 1000 is not a power of two/);
    bad({ failOnVerdict: 'start-fault' }, /failOnVerdict: /);
    bad({ name: 'x', 'elf-lint': { profile: 'strict' } }, /package\.json: elf-lint\.profile: /, 'package.json');
    bad({ name: 'x', 'elf-lint': 5 }, /package\.json: elf-lint: Invalid input: expected object, received number$/m, 'package.json');
    const root = project({ hello: 'hello' });
    writeFileSync(join(root, '.elf-lint.json'), '{ "rules": ');
    usageError(run(['hello'], root), /\.elf-lint\.json: invalid JSON/);
    usageError(run(['--config', join(root, '.elf-lint.json'), '--print-config', 'hello'], scratch), /invalid JSON/);
  });
});

describe('rule options, end to end', () => {
  it('--rule ID=SEVERITY is repeatable and sets severities; bad ids and values are usage errors', () => {
    const result = run(['--format', 'json', '--rule', 'entry-in-load-segment=info', '--rule', 'wx-segment=error', corpus('hello-entry-outside'), corpus('hello-wx')], scratch);
    expect(result.code).toBe(1);
    expect(json(result).files.map((file) => file.findings.map((finding) => `${finding.rule}:${finding.severity}`))).toEqual([['entry-in-load-segment:info'], ['wx-segment:error']]);
    const off = run(['--rule', 'wx-segment=off', corpus('hello-wx')]);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('clean');
    usageError(run(['--rule', 'wx-segmnt=off', corpus('hello')]), /unknown rule id "wx-segmnt" in --rule/);
    usageError(run(['--rule', 'wx-segment', corpus('hello')]), /--rule .*expected ID=SEVERITY/);
    usageError(run(['--rule', 'not-elf=warning', corpus('hello')]), /"not-elf" cannot be configured/);
  });

  it('--enable turns a rule on outside the profile; --disable wins; unknown ids are usage errors', () => {
    const enabled = run(['--format', 'json', '--profile', 'loader', '--enable', 'ident-osabi', corpus('hello-ident-osabi')]);
    expect(json(enabled).files[0]!.findings.map((finding) => finding.rule)).toEqual(['ident-osabi']);
    const both = run(['--format', 'json', '--enable', 'ident-osabi', '--disable', 'ident-osabi', corpus('hello-ident-osabi')]);
    expect(json(both).files[0]!.findings).toEqual([]);
    usageError(run(['--enable', 'no-such', corpus('hello')]), /unknown rule id "no-such" in --enable/);
    usageError(run(['--profile', 'strict', corpus('hello')]), /--profile/);
  });
});

describe('failing verdicts, end to end', () => {
  it('a predicted start-fault fails the run by default even when its rule is disabled, and says why', () => {
    const result = run(['--disable', 'entry-zero', corpus('hello-entry-zero')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('loader: start-fault');
    expect(result.stderr).toMatch(/^elf-lint: the loader verdict fails the run for .*hello-entry-zero \(start-fault\)/);
  });

  it('--fail-on-verdict chooses the verdicts; none turns it off', () => {
    expect(run(['--disable', 'entry-zero', '--fail-on-verdict', 'none', corpus('hello-entry-zero')]).code).toBe(0);
    expect(run(['--disable', 'entry-zero', '--fail-on-verdict', 'exec-error,exec-killed', corpus('hello-entry-zero')]).code).toBe(0);
    expect(run(['--disable', 'entry-zero', '--fail-on-verdict', 'start-fault,uncertain', corpus('hello-entry-zero')]).code).toBe(1);
    expect(run(['--rule', 'header-type=off', corpus('hello-type-none')]).code).toBe(1); // exec-error ENOEXEC
    expect(run(['--rule', 'entry-user-space=off', '--fail-on-verdict', 'exec-error', corpus('hello-entry-kernel')]).code).toBe(0);
    expect(run(['--rule', 'entry-user-space=off', '--fail-on-verdict', 'exec-killed', corpus('hello-entry-kernel')]).code).toBe(1);
    // A file that runs, or is not a program, never fails on its verdict.
    expect(run(['--fail-on-verdict', 'exec-error,exec-killed,start-fault,uncertain', corpus('hello'), corpus('hello-aarch64')]).code).toBe(0);
    usageError(run(['--fail-on-verdict', 'runs', corpus('hello')]), /--fail-on-verdict .*"runs" is not one of/);
  });

  it('--quiet never hides a failing verdict', () => {
    const result = run(['--quiet', '--disable', 'entry-zero', corpus('hello-entry-zero')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('loader: start-fault');
  });
});

describe('baselines, end to end', () => {
  it('--write-baseline records the findings atomically; --baseline counts only new ones and marks them in JSON', () => {
    const root = project({ 'bin/outside': 'hello-entry-outside', 'bin/wx': 'hello-wx' });
    const written = run(['--write-baseline', 'baseline.json', 'bin'], root);
    expect(written.code, written.stderr).toBe(0);
    expect(readdirSync(root).sort()).toEqual(['baseline.json', 'bin']); // no temporary file left behind
    const document = JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8')) as unknown;
    expect(document).toEqual({
      elfLintBaseline: 1,
      findings: [
        { rule: 'entry-in-load-segment', field: 'e_entry', path: 'bin/outside' },
        { rule: 'wx-segment', field: 'phdr[0].p_flags', path: 'bin/wx' },
      ],
      verdicts: [{ path: 'bin/outside', verdict: 'start-fault' }],
    });
    expect(run(['bin'], root).code).toBe(1);
    const again = run(['--baseline', 'baseline.json', '--format', 'json', 'bin'], root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^elf-lint: 2 findings are in the baseline baseline\.json and do not count toward the exit code\n$/);
    const files = json(again).files;
    expect(files.map((file) => file.findings.map((finding) => finding.baselineState))).toEqual([['unchanged'], ['unchanged']]);
    expect(files[0]!.loader).toMatchObject({ verdict: 'start-fault', baselineState: 'unchanged' });
    expect(files[1]!.loader).not.toHaveProperty('baselineState');
    // An absolute path names the same file.
    expect(run(['--baseline', join(root, 'baseline.json'), join(root, 'bin')], scratch).code).toBe(1); // paths relative to another cwd differ
    expect(run(['--baseline', 'baseline.json', join(root, 'bin')], root).code).toBe(0);
  });

  it('matching survives changes elsewhere in the file; a new finding or a new verdict counts', () => {
    const root = project({ outside: 'hello-entry-outside' });
    expect(run(['--write-baseline', 'b.json', 'outside'], root).code).toBe(0);
    // Unrelated change: bytes appended, EI_OSABI changed (a new warning, below --fail-on error).
    const bytes = Buffer.concat([readFileSync(join(root, 'outside')), Buffer.alloc(4096, 0x90)]);
    bytes[7] = 0x42;
    writeFileSync(join(root, 'outside'), bytes);
    const changed = run(['--baseline', 'b.json', '--format', 'json', 'outside'], root);
    expect(changed.code, changed.stderr).toBe(0);
    const states = Object.fromEntries(json(changed).files[0]!.findings.map((finding) => [finding.rule, finding.baselineState]));
    expect(states).toEqual({ 'entry-in-load-segment': 'unchanged', 'ident-osabi': 'new' });
    const text = run(['--baseline', 'b.json', '--fail-on', 'warning', 'outside'], root);
    expect(text.code).toBe(1);
    // Text marks what is new, and only that.
    expect(text.stdout.split('\n').filter((line) => line.endsWith(' (new)'))).toEqual([expect.stringMatching(/^outside:0x7: warning: .*\[ident-osabi\] \(new\)$/)]);
    // A new failing verdict in a file the baseline does not know counts, even with its rule off.
    copyFileSync(corpus('hello-entry-zero'), join(root, 'zero'));
    expect(run(['--baseline', 'b.json', '--disable', 'entry-zero', 'outside', 'zero'], root).code).toBe(1);
  });

  it('--write-baseline fails before linting when the file cannot be written; a bad baseline is refused', () => {
    const root = project({ outside: 'hello-entry-outside', 'bad.json': { findings: [] } });
    const unwritable = run(['--write-baseline', 'no/such/dir/b.json', 'outside'], root);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stdout).toBe('');
    expect(unwritable.stderr).toMatch(/^elf-lint: cannot write no\/such\/dir\/b\.json: its directory does not exist\n$/);
    usageError(run(['--baseline', 'bad.json', 'outside'], root), /bad\.json: not an elf-lint baseline/);
    const missing = run(['--baseline', 'missing.json', 'outside'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^elf-lint: cannot read baseline missing\.json: no such file or directory\n$/);
    expect(existsSync(join(root, 'missing.json'))).toBe(false);
  });
});

describe('README "Configuration" examples', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### Configuration'), readme.indexOf('## Generator'));

  it('the example configuration is valid, and the CLI reads it', () => {
    const block = /<!-- config-example -->\n```json\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    const result = configFromJson(JSON.parse(block![1]!));
    expect(result.ok, result.ok ? '' : result.errors.join('; ')).toBe(true);
    const root = project({});
    writeFileSync(join(root, '.elf-lint.json'), block![1]!);
    const printed = run(['--print-config', 'arm/x.ko'], root);
    expect(printed.code, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout)).toMatchObject({ target: { machine: 'arm' }, rules: { 'exec-stack': 'info', 'wx-segment': 'error', 'ident-padding': 'off' } });
    expect(JSON.parse(run(['--print-config', 'build/tmp/a/b'], root).stdout)).toMatchObject({ ignored: true });
  });

  it('the console examples print what they show, run in a copy of the corpus', () => {
    const blocks = [...section.matchAll(/```console\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const block of blocks) {
      const root = project({});
      mkdirSync(join(root, 'corpus'));
      for (const name of ['hello', 'hello-entry-zero', 'hello-entry-outside', 'hello-wx']) copyFileSync(corpus(name), join(root, 'corpus', name));
      // Each command with the output it shows (stdout, then stderr), run in the same directory in turn.
      const steps = block.split(/^\$ /m).filter(Boolean).map((step) => {
        const [command, ...output] = step.split('\n');
        return { command: command!, output: output.join('\n') };
      });
      for (const { command, output } of steps) {
        const shell = command.replace(/^npx elf-lint /, `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} `);
        const result = spawnSync('/bin/sh', ['-c', `${shell} 2>&1`], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        expect(result.stdout, command).toBe(output);
      }
    }
  });
});
