// What the README's "In CI" section and action.yml tell CI users to write, run
// offline: the YAML parses with the keys GitHub and GitLab need, and every shell
// line that runs elf-lint runs as written in a project that installed this
// checkout, against a copy of the corpus as its build/ directory.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SECTION = README.slice(README.indexOf('\n## In CI\n'), README.indexOf('\n## Generator\n'));
const temps: string[] = [];
/** A cache of its own: npm processes of other test files never share logs or locks with these. */
const NPM_CACHE = mkdtempSync(join(tmpdir(), 'elf-lint-npm-cache-'));
temps.push(NPM_CACHE);
/**
 * npx must find the installed copy and never ask a registry. It must not run the checkout's
 * `prepare` either: `npx --package=DIR` would rebuild DIR/dist while other test files run it
 * (a published package comes built, and installing it runs no prepare).
 */
const ENV = { ...process.env, NO_COLOR: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_cache: NPM_CACHE, npm_config_ignore_scripts: 'true' };
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A project with elf-lint installed (this checkout) and build/ holding the given corpus files. */
function project(files: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'elf-lint-ci-'));
  temps.push(dir);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'elf-lint'));
  symlinkSync('../elf-lint/dist/cli/main.js', join(dir, 'node_modules', '.bin', 'elf-lint'));
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  mkdirSync(join(dir, 'build'));
  for (const name of files) copyFileSync(join(ROOT, 'corpus', name), join(dir, 'build', name));
  cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), { recursive: true });
  return dir;
}

/** Runs a script in a process group of its own (setsid) and kills the group after it, timed out or not, so nothing it started outlives the test. */
function bash(script: string, cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync('setsid', ['bash', '-c', script], { cwd, encoding: 'utf8', env: { ...ENV, ...env }, timeout: 120_000 });
  try {
    if (result.pid) process.kill(-result.pid, 'SIGKILL');
  } catch {
    // Nothing of the group is left.
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function blocks(language: string): string[] {
  return [...SECTION.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
}

type Yaml = Record<string, unknown>;
const asRecord = (value: unknown): Yaml => {
  expect(typeof value === 'object' && value !== null && !Array.isArray(value), JSON.stringify(value)).toBe(true);
  return value as Yaml;
};

describe('action.yml', () => {
  const action = asRecord(yaml.load(readFileSync(join(ROOT, 'action.yml'), 'utf8')));
  const runs = asRecord(action['runs']);
  const steps = runs['steps'] as Yaml[];

  it('is a composite action with the documented inputs', () => {
    expect(typeof action['name']).toBe('string');
    expect(typeof action['description']).toBe('string');
    const inputs = asRecord(action['inputs']);
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['paths', 'args', 'sarif-file', 'upload']));
    expect(asRecord(inputs['paths'])['required']).toBe(true);
    for (const name of Object.keys(inputs)) expect(typeof asRecord(inputs[name])['description'], name).toBe('string');
    expect(asRecord(inputs['upload'])['default']).toBe('true');
    expect(asRecord(inputs['package'])['default']).toBe(`elf-lint@${VERSION}`);
    expect(runs['using']).toBe('composite');
    for (const step of steps) {
      // A composite run step must name its shell.
      if ('run' in step) expect(step['shell']).toBe('bash');
    }
    const upload = steps.find((step) => String(step['uses']).startsWith('github/codeql-action/upload-sarif@'));
    expect(upload).toBeDefined();
    expect(asRecord(upload!['with'])['sarif_file']).toBe('${{ inputs.sarif-file }}');
    expect(upload!['if']).toContain("inputs.upload == 'true'");
    expect(asRecord(asRecord(action['outputs'])['exit-code'])['value']).toBe('${{ steps.lint.outputs.exit-code }}');
  });

  it('its lint step writes SARIF, keeps the exit code for the last step, and that step fails the job with it', () => {
    const lint = steps.find((step) => step['id'] === 'lint')!;
    const last = steps[steps.length - 1]!;
    // The checkout's dist/ is what every other test file runs: installing it with npx must leave it alone.
    const built = statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs;
    for (const [files, args, expected] of [[['hello'], '', 0], [['hello', 'hello-wx'], '--fail-on warning', 1], [['hello-entry-outside'], '', 1]] as const) {
      const dir = project(files);
      const output = join(dir, 'github-output');
      writeFileSync(output, '');
      const result = bash(String(lint['run']), dir, {
        ELF_LINT_PACKAGE: ROOT, ELF_LINT_PATHS: files.map((name) => `build/${name}`).join(' '), ELF_LINT_ARGS: args,
        ELF_LINT_SARIF: 'results.sarif', GITHUB_OUTPUT: output,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(readFileSync(output, 'utf8')).toBe(`exit-code=${expected}\n`);
      const log = JSON.parse(readFileSync(join(dir, 'results.sarif'), 'utf8')) as { version: string; runs: { artifacts: unknown[] }[] };
      expect(log.version).toBe('2.1.0');
      expect(log.runs[0]!.artifacts).toHaveLength(files.length);
      expect(bash(String(last['run']), dir, { ELF_LINT_EXIT: String(expected) }).code).toBe(expected);
    }
    expect(statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs, 'npx rebuilt the checkout (its prepare script ran)').toBe(built);
  }, 120_000);
});

describe('README "In CI"', () => {
  it('the GitHub Actions workflow parses, uploads SARIF even on failure, and its elf-lint step runs as written', () => {
    const [workflow] = blocks('yaml').map((text) => asRecord(yaml.load(text))).filter((document) => 'jobs' in document);
    expect(workflow).toBeDefined();
    const job = asRecord(asRecord(workflow!['jobs'])['elf-lint']);
    expect(asRecord(job['permissions'])['security-events']).toBe('write');
    const steps = job['steps'] as Yaml[];
    const upload = steps.find((step) => String(step['uses']).startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload['if']).toContain('!cancelled()');
    const file = String(asRecord(upload['with'])['sarif_file']);
    const lint = steps.map((step) => String(step['run'] ?? '')).find((run) => run.includes('elf-lint'))!;
    expect(lint).toContain(`elf-lint@${VERSION}`);
    const dir = project(['hello', 'hello-wx', 'hello-entry-outside']);
    expect(bash(lint, dir).code).toBe(1);
    const log = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]!.results.map((result) => result.ruleId)).toEqual(expect.arrayContaining(['entry-in-load-segment', 'wx-segment', 'loader-verdict']));
    expect(bash(lint, project(['hello'])).code).toBe(0);
  }, 60_000);

  it('the GitLab CI job parses, keeps the code quality report, and its script runs as written', () => {
    const [gitlab] = blocks('yaml').map((text) => asRecord(yaml.load(text))).filter((document) => !('jobs' in document));
    const job = asRecord(gitlab!['elf-lint']);
    const artifacts = asRecord(job['artifacts']);
    expect(artifacts['when']).toBe('always');
    const report = String(asRecord(artifacts['reports'])['codequality']);
    const script = (job['script'] as string[]).join('\n');
    expect(script).toContain('--format gitlab');
    const dir = project(['hello', 'hello-entry-outside']);
    expect(bash(script, dir).code).toBe(1);
    const issues = JSON.parse(readFileSync(join(dir, report), 'utf8')) as { check_name: string; location: { path: string } }[];
    expect(issues.map((issue) => issue.check_name)).toEqual(expect.arrayContaining(['entry-in-load-segment', 'loader-verdict']));
    expect(issues.every((issue) => issue.location.path === 'build/hello-entry-outside')).toBe(true);
  }, 60_000);

  it('the Makefile target runs as written', () => {
    const [makefile] = blocks('make');
    expect(makefile).toMatch(/^\t\$\(ELF_LINT\) /m);
    expect(makefile).toContain(`elf-lint@${VERSION}`);
    const clean = project(['hello']);
    writeFileSync(join(clean, 'Makefile'), makefile!);
    const ok = bash('make lint-elf', clean);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(clean, 'elf-lint.json'), 'utf8'))).toMatchObject({ files: [{ path: 'build/hello', findings: [] }] });
    const broken = project(['hello', 'hello-entry-outside']);
    writeFileSync(join(broken, 'Makefile'), makefile!);
    const failed = bash('make lint-elf', broken);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/lint-elf.*Error 1/);
  }, 60_000);

  it('adopting with a baseline: the steps run as written, and afterwards only something new fails', () => {
    const [steps] = blocks('sh');
    const lines = steps!.split('\n').map((line) => line.replace(/\s+#.*$/, '')).filter(Boolean);
    expect(lines.some((line) => line.includes('--write-baseline elf-lint-baseline.json'))).toBe(true);
    const dir = project(['hello', 'hello-wx', 'hello-entry-outside']);
    expect(bash('git init -q .', dir).code).toBe(0);
    for (const line of lines) {
      const result = bash(line, dir);
      expect(result.code, `${line}: ${result.stderr}`).toBe(0);
    }
    expect(existsSync(join(dir, 'elf-lint-baseline.json'))).toBe(true);
    const check = lines.find((line) => line.includes('--baseline elf-lint-baseline.json'))!;
    copyFileSync(join(ROOT, 'corpus', 'hello-entry-zero'), join(dir, 'build', 'hello-entry-zero'));
    const next = bash(check, dir);
    expect(next.code).toBe(1);
    expect(next.stdout).toContain('build/hello-entry-zero');
  }, 60_000);
});
