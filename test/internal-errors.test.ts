// A bug in elf-lint is reported as one: exit 4 and one `elf-lint: internal
// error: ...` line (the stack trace only with ELF_LINT_DEBUG=1), never as a
// usage error or as a property of the file. The CLI tests inject the bug with
// a module preloaded by --import.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { examine } from '../src/examine.js';
import { predictExecve } from '../src/loader/predict.js';
import { parseElf } from '../src/parse/parse.js';
import { lintParsed, withLoaderFailure } from '../src/rules/engine.js';
import { RULES } from '../src/rules/registry.js';
import type { Rule } from '../src/rules/rule.js';
import { EXIT_FINDINGS, EXIT_INTERNAL } from '../src/cli/exit-codes.js';
import { exitCodeFor } from '../src/cli/lint-command.js';
import type { ElfFile } from '../src/model/elf.js';
import type { FileReport } from '../src/report/file-report.js';
import { parseSpec, HELLO } from './support.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const dist = (path: string) => new URL(`../dist/${path}`, import.meta.url).href;

/**
 * The CLI's program unbundled (dist/cli/main.js runs the bundle, which holds its own copy of every
 * module): a preload that patches one of dist's modules then reaches the modules the program runs.
 */
const PROGRAM = new URL('../dist/cli/program.js', import.meta.url).pathname;

/** The CLI with `preload` (module source) run first, as `node --import`. */
function run(preload: string, args: string[], env: Record<string, string> = {}) {
  const hook = `data:text/javascript,${encodeURIComponent(preload)}`;
  const result = spawnSync(process.execPath, ['--import', hook, PROGRAM, ...args], { encoding: 'utf8', env: { ...process.env, ELF_LINT_DEBUG: '', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** JSON.stringify fails as it does on a report too large for a string. */
const JSON_FAILS = 'JSON.stringify = () => { throw new RangeError("Invalid string length"); };';

/** Every file's view for another class and byte order fails: the loader model (which reads one per handler) throws. */
const LOADER_FAILS = `
  import { parseElf } from ${JSON.stringify(dist('parse/parse.js'))};
  const file = parseElf(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...new Array(57).fill(0)]));
  Object.getPrototypeOf(file).viewAs = () => { throw new RangeError('boom in the model'); };`;

/** A file whose every view for another class or byte order throws, as a bug in the model would. */
function brokenViews(file: ElfFile): ElfFile {
  return new Proxy(file, {
    get(target, key) {
      if (key === 'viewAs') return () => { throw new RangeError('boom in the model'); };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a command that fails with a bug', () => {
  it('exits 4 with one line that says it is a bug, and no stack trace', () => {
    const result = run(JSON_FAILS, ['--format', 'json', corpus('hello')]);
    expect(result.code).toBe(EXIT_INTERNAL);
    expect(result.stderr).toMatch(/^elf-lint: internal error: RangeError: Invalid string length; this is a bug in elf-lint, please report it \(ELF_LINT_DEBUG=1 prints the stack trace\)\n$/);
    expect(result.stdout).toBe('');
  });

  it('prints the stack trace with ELF_LINT_DEBUG=1', () => {
    const result = run(JSON_FAILS, ['--format', 'json', corpus('hello')], { ELF_LINT_DEBUG: '1' });
    expect(result.code).toBe(EXIT_INTERNAL);
    // Debugging also says how many threads checked the files (a line before the error).
    expect(result.stderr).toMatch(/^elf-lint: 1 files, checked on the main thread\nelf-lint: internal error: RangeError: Invalid string length;[^\n]*\nRangeError: Invalid string length\n\s+at /);
  });

  it('usage errors stay usage errors', () => {
    expect(run(JSON_FAILS, ['--format', 'yaml', corpus('hello')]).code).toBe(3);
  });

  it('--help documents exit code 4', () => {
    const result = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/\n4 internal error \(a bug in elf-lint: please report it\)/);
  });

  it('an unwritable standard output is an output error (2), not a bug', () => {
    const result = spawnSync(process.execPath, [CLI, corpus('hello')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(result.status).toBe(0);
    const full = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" "${corpus('hello')}" > /dev/full`], { encoding: 'utf8' });
    expect(full.status).toBe(2);
    expect(full.stderr).toMatch(/^elf-lint: cannot write to standard output: no space left on device\n$/);
  });
});

describe('the loader model failing on a file', () => {
  it('gives no verdict about the file: internal-error is the cause, and the prediction is uncertain', () => {
    const verdict = predictExecve(brokenViews(parseSpec(HELLO)));
    expect(verdict).toMatchObject({
      because: ['internal-error'], uncertain: true,
      reason: 'the loader model failed: RangeError: boom in the model; please report this bug',
    });
  });

  it('becomes an internal-error finding, as a failing rule does', () => {
    const file = brokenViews(parseSpec(HELLO));
    const findings = withLoaderFailure(lintParsed(file), predictExecve(file));
    expect(findings).toContainEqual(expect.objectContaining({
      rule: 'internal-error', severity: 'error', actual: 'loader', offset: 0, length: 0,
      message: 'the loader model failed: RangeError: boom in the model; please report this bug',
    }));
    // A model that works adds nothing.
    const { findings: clean, loader } = examine(parseSpec(HELLO).bytes);
    expect(withLoaderFailure(clean, loader)).toEqual(clean);
  });

  it('the CLI reports it and exits 4', () => {
    const result = run(LOADER_FAILS, [corpus('hello')]);
    expect(result.code, result.stderr).toBe(EXIT_INTERNAL);
    expect(result.stdout).toContain(`${corpus('hello')}:0x0: error: the loader model failed: RangeError: boom in the model; please report this bug [internal-error]`);
    expect(result.stderr).toBe('');
    const json = JSON.parse(run(LOADER_FAILS, ['--format', 'json', corpus('hello')]).stdout) as { files: { loader: object }[] };
    expect(json.files[0]!.loader).toMatchObject({ because: ['internal-error'], uncertain: true });
  });
});

describe('lint exit codes', () => {
  const report = (rule: string): FileReport => ({
    path: 'x', elf: { class: 'ELF64', data: 'LSB', type: 'EXEC', machine: 'X86_64' },
    findings: [{ rule, severity: 'error', category: 'gabi', message: 'm', offset: 0, length: 0 }],
  });

  it('an internal-error finding (a rule or the model failed) is exit 4, above findings and unreadable files', () => {
    expect(exitCodeFor([report('entry-zero')], 'error')).toBe(EXIT_FINDINGS);
    expect(exitCodeFor([report('entry-zero'), report('internal-error')], 'error')).toBe(EXIT_INTERNAL);
    expect(exitCodeFor([report('internal-error'), { path: 'y', elf: undefined, findings: [], error: 'gone' }], 'error')).toBe(EXIT_INTERNAL);
  });

  it('a throwing rule is still one finding naming the rule, and the other rules still run', () => {
    const broken: Rule = { ...RULES[0]!, id: 'broken-rule', check: () => { throw new TypeError('boom'); } };
    const findings = lintParsed(parseElf(parseSpec({ ...HELLO, header: { ...HELLO.header, e_entry: 0n } }).bytes), { rules: [broken, ...RULES] });
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'internal-error', actual: 'broken-rule', message: 'rule broken-rule failed: TypeError: boom; please report this bug' }));
    expect(findings.some((finding) => finding.rule === 'entry-zero')).toBe(true);
  });
});
