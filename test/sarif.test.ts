// --format sarif and --format gitlab: the official SARIF validator
// (@microsoft/sarif-multitool, with its GitHub code scanning rules) accepts
// outputs that cover every rule; fingerprints are stable; GitLab issues.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ALL_RULE_METAS } from '../src/rules/registry.js';
import type { FileReport } from '../src/report/file-report.js';
import { buildSarif, FINGERPRINT_KEY, LOADER_VERDICT_RULE, SRCROOT, type SarifLog } from '../src/report/sarif.js';
import { buildGitLab, type GitLabIssue } from '../src/report/gitlab.js';
import { killTracked, runCli, spawnTracked } from './support.js';

afterEach(killTracked);

const TOOL = { name: 'elf-lint', version: '0.1.0' };
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-sarif-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The validator's native binary for this platform, or why there is none. */
function validatorBinary(): string {
  try {
    const path = createRequire(import.meta.url)(`@microsoft/sarif-multitool-${process.platform}`) as string;
    return existsSync(path) ? path : `${path} is missing`;
  } catch (error) {
    return `@microsoft/sarif-multitool has no binary for ${process.platform}: ${String(error)}`;
  }
}
const VALIDATOR = validatorBinary();
const HAVE_VALIDATOR = VALIDATOR.endsWith('Sarif.Multitool') || VALIDATOR.endsWith('Sarif.Multitool.exe');
if (!HAVE_VALIDATOR) console.warn(`skipping the SARIF validator tests: ${VALIDATOR}`);

/**
 * The multitool's schema check is lenient (it lets an unknown level or an
 * out-of-range ruleIndex through), so every log is also checked with ajv
 * against the SARIF 2.1.0 schema the same pinned package ships
 * (@microsoft/sarif-multitool-linux/sarif-2.1.0.json, the same for every platform).
 */
const SARIF_SCHEMA_PATH = (() => {
  try {
    return createRequire(import.meta.url).resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json');
  } catch {
    return undefined;
  }
})();
const schemaAjv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(schemaAjv);
const validateSarifSchema = SARIF_SCHEMA_PATH ? schemaAjv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')) as object) : undefined;

function schemaProblems(document: unknown): string {
  if (!validateSarifSchema) return '';
  return validateSarifSchema(document) ? '' : schemaAjv.errorsText(validateSarifSchema.errors, { separator: '\n' });
}

/** The SARIF of the corpus under every rule, opt-in ones too (each but parse-damage and internal-error fires), and of the machine-mismatch twin with its --machine. */
const CORPUS_ARGS = ['--profile', 'all', 'corpus', 'corpus/README.md', 'corpus/no-such-file'];
const MISMATCH_ARGS = ['--machine', 'x86_64', 'corpus/hello-machine-aarch64'];

interface ValidatorResult {
  readonly ruleId: string;
  readonly level?: string;
  readonly message: { readonly text?: string; readonly id?: string; readonly arguments?: readonly string[] };
}

/** Runs `Sarif.Multitool validate` with the SARIF and the GitHub rules; returns its results. */
async function validate(sarifFile: string): Promise<ValidatorResult[]> {
  const out = join(scratch, `validation-${Math.random().toString(36).slice(2)}.sarif`);
  const run = await spawnTracked(VALIDATOR, ['validate', '--rule-kind', 'Sarif;Gh', '--output', out, sarifFile]).result();
  expect(existsSync(out), `validator wrote no output: ${run.stdout}${run.stderr}`).toBe(true);
  const log = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results?: ValidatorResult[] }[] };
  return log.runs.flatMap((run) => run.results ?? []);
}

function describeProblems(results: readonly ValidatorResult[]): string {
  return results.map((result) => `${result.level} ${result.ruleId}: ${result.message.text ?? `${result.message.id} ${result.message.arguments?.join(' | ')}`}`).join('\n');
}

const cliSarif = async (args: string[]): Promise<{ log: SarifLog; text: string; code: number | null }> => {
  const result = await runCli(['--format', 'sarif', ...args]);
  return { log: JSON.parse(result.stdout) as SarifLog, text: result.stdout, code: result.code };
};

/** Reports no CLI run produces: an internal-error finding, an uncertain failing verdict, odd paths. */
const SYNTHETIC: FileReport[] = [
  {
    path: 'odd dir/naïve #1%.elf', elf: { class: 'ELF64', data: 'LSB', type: 'EXEC', machine: 'X86_64' },
    findings: [
      { rule: 'parse-damage', severity: 'error', category: 'gabi', message: 'the parser stopped', offset: 64, length: 0, field: 'phdr' },
      { rule: 'internal-error', severity: 'error', category: 'gabi', message: 'rule wx-segment failed: TypeError: boom', offset: 0, length: 0 },
      { rule: 'wx-segment', severity: 'warning', category: 'hardening', message: 'W and X', offset: 68, length: 4, field: 'phdr[0].p_flags', actual: '0x7', folded: 3 },
    ],
    loader: { verdict: 'start-fault', errno: null, signal: 'SIGSEGV', because: [], reason: 'maybe', uncertain: true, stage: 'program' },
  },
  {
    path: '<stdin>', elf: undefined,
    findings: [{ rule: 'not-elf', severity: 'error', category: 'loader', message: 'not ELF', offset: 0, length: 4 }],
    loader: { verdict: 'not-applicable', errno: 'ENOEXEC', signal: null, because: ['not-elf'], reason: 'no magic' },
  },
  { path: '/nonexistent/file', elf: undefined, findings: [], error: 'cannot read: no such file or directory' },
];

describe('--format sarif', () => {
  it.skipIf(!HAVE_VALIDATOR)('the official validator accepts outputs that cover every rule with no errors or warnings', async () => {
    // corpus/ has a twin for every rule (machine-mismatch with --machine); corpus/README.md gets not-elf, a missing path is unreadable.
    // parse-damage (no byte string reaches it) and internal-error (a bug) come from the synthetic reports.
    const [corpus, mismatch] = await Promise.all([cliSarif(CORPUS_ARGS), cliSarif(MISMATCH_ARGS)]);
    const synthetic = buildSarif(SYNTHETIC, TOOL, { cwd: '/work/x' });
    const fired = new Set([corpus.log, mismatch.log, synthetic].flatMap((log) => log.runs[0]!.results.map((result) => result.ruleId)));
    expect(ALL_RULE_METAS.map((meta) => meta.id).filter((id) => !fired.has(id))).toEqual([]);
    expect(fired.has(LOADER_VERDICT_RULE)).toBe(true);
    for (const [name, text] of [['corpus', corpus.text], ['mismatch', mismatch.text], ['synthetic', JSON.stringify(synthetic)]] as const) {
      const file = join(scratch, `${name}.sarif`);
      writeFileSync(file, text);
      expect(describeProblems(await validate(file)), name).toBe('');
      expect(schemaProblems(JSON.parse(text)), name).toBe('');
    }
  });

  it.skipIf(!HAVE_VALIDATOR)('the validators do report errors in a broken log (the checks are not vacuous)', async () => {
    const log = buildSarif(SYNTHETIC, TOOL, { cwd: '/work/x' });
    // A run without its tool: the multitool reports JSON1002.
    const { tool: _tool, ...run } = log.runs[0]!;
    const file = join(scratch, 'broken.sarif');
    writeFileSync(file, JSON.stringify({ ...log, runs: [run] }));
    expect((await validate(file)).filter((result) => result.level === 'error').map((result) => result.ruleId)).toContain('JSON1002');
    // A level outside the enum: the multitool 5.7.0 reports nothing at all (it gives up on the log silently); ajv does.
    const badLevel = { ...log, runs: [{ ...log.runs[0]!, results: log.runs[0]!.results.map((result) => ({ ...result, level: 'fatal' })) }] };
    if (validateSarifSchema) expect(schemaProblems(badLevel)).toContain('allowed values');
  });

  it.skipIf(!HAVE_VALIDATOR)('with --baseline, each result says whether it is new or unchanged, and the validator accepts it', async () => {
    const baseline = join(scratch, 'baseline.json');
    expect((await runCli(['--write-baseline', baseline, 'corpus/hello-entry-outside'])).code).toBe(0);
    const { log, text, code } = await cliSarif(['--baseline', baseline, 'corpus/hello-entry-outside', 'corpus/hello-wx']);
    expect(code).toBe(0); // hello-wx's finding is new, but a warning
    const states = log.runs[0]!.results.map((result) => [result.ruleId, result.baselineState]);
    expect(states).toEqual([['entry-in-load-segment', 'unchanged'], [LOADER_VERDICT_RULE, 'unchanged'], ['wx-segment', 'new']]);
    const file = join(scratch, 'baseline.sarif');
    writeFileSync(file, text);
    expect(describeProblems(await validate(file))).toBe('');
    expect(schemaProblems(log)).toBe('');
    // Without a baseline there is nothing to compare with: no baselineState at all.
    expect((await cliSarif(['corpus/hello-wx'])).log.runs[0]!.results.every((result) => result.baselineState === undefined)).toBe(true);
  });

  it('describes every rule, and every result names its rule by id and index', async () => {
    const { log } = await cliSarif(['corpus/hello-entry-outside', 'corpus/hello-wx']);
    const run = log.runs[0]!;
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: 'elf-lint', version: TOOL.version, semanticVersion: TOOL.version });
    expect(driver.informationUri).toBe(`https://unpkg.com/elf-lint@${TOOL.version}/README.md`);
    expect(driver.rules.map((rule) => rule.id)).toEqual([...ALL_RULE_METAS.map((meta) => meta.id), LOADER_VERDICT_RULE]);
    for (const [index, meta] of ALL_RULE_METAS.entries()) {
      const rule = driver.rules[index]!;
      expect(rule.helpUri).toBe(`https://unpkg.com/elf-lint@${TOOL.version}/docs/rules/${meta.id}.md`);
      expect(existsSync(new URL(`../docs/rules/${meta.id}.md`, import.meta.url)), meta.id).toBe(true);
      expect(rule.defaultConfiguration.level).toBe(meta.severity === 'info' ? 'note' : meta.severity);
      expect(rule.properties.category).toBe(meta.category);
      expect(rule.help.text).toContain(meta.explanation);
      expect(rule.help.markdown).toContain(meta.summary);
      expect(rule.shortDescription.text).toContain(meta.summary);
    }
    for (const result of run.results) {
      expect(driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
      const location = result.locations[0]!.physicalLocation;
      expect(location.artifactLocation.uriBaseId).toBe(SRCROOT);
      expect(location.artifactLocation.uri).toMatch(/^corpus\/hello-(entry-outside|wx)$/);
      expect(location.region!.startLine).toBe(1);
      expect(Number.isInteger(location.region!.byteOffset)).toBe(true);
    }
    const entry = run.results.find((result) => result.ruleId === 'entry-in-load-segment')!;
    expect(entry.level).toBe('error');
    expect(entry.locations[0]!.physicalLocation.region).toEqual({ startLine: 1, byteOffset: 24, byteLength: 8 });
    expect(entry.locations[0]!.logicalLocations).toEqual([{ fullyQualifiedName: 'e_entry', kind: 'member' }]);
    const verdict = run.results.find((result) => result.ruleId === LOADER_VERDICT_RULE)!;
    expect(verdict.message.text).toContain('start-fault');
    expect(verdict.properties).toMatchObject({ verdict: 'start-fault', signal: 'SIGSEGV', because: ['entry-in-load-segment'], stage: 'entry' });
    expect(run.originalUriBaseIds[SRCROOT]!.uri).toMatch(/^file:\/\/.*\/$/);
    // Every file's verdict is on its artifact, failing or not.
    expect(run.artifacts.map((artifact) => artifact.properties.loader?.verdict)).toEqual(['start-fault', 'runs']);
  });

  it('has the exit code of the text output, and refuses --quiet', async () => {
    expect((await cliSarif(['corpus/hello'])).code).toBe(0);
    expect((await cliSarif(['corpus/hello-entry-outside'])).code).toBe(1);
    expect((await runCli(['--format', 'sarif', '--quiet', 'corpus/hello'])).code).toBe(3);
  });

  it('reports an unreadable file as a notification and every failing verdict as a loader-verdict result', async () => {
    const [json, sarif] = await Promise.all([runCli(['--format', 'json', 'corpus']), cliSarif(['corpus', 'corpus/no-such-file'])]);
    const run = sarif.log.runs[0]!;
    const failing = (JSON.parse(json.stdout) as { files: { path: string; loader: { verdict: string } | null }[] }).files
      .filter((file) => ['exec-error', 'exec-killed', 'start-fault'].includes(file.loader?.verdict ?? '')).map((file) => file.path);
    const verdicts = run.results.filter((result) => result.ruleId === LOADER_VERDICT_RULE)
      .map((result) => run.artifacts[result.locations[0]!.physicalLocation.artifactLocation.index!]!.location.uri);
    expect(verdicts).toEqual(failing);
    expect(failing.length).toBeGreaterThan(10);
    const notifications = run.invocations[0]!.toolExecutionNotifications;
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.message.text).toContain('corpus/no-such-file');
  });

  it('fingerprints are stable across working directories and offsets, and unique', async () => {
    // The same relative path under two working directories: the same fingerprints.
    const fingerprints: string[][] = [];
    for (const name of ['a', 'b']) {
      const dir = join(scratch, name, 'bin');
      mkdirSync(dir, { recursive: true });
      copyFileSync(new URL('../corpus/hello-overlap', import.meta.url), join(dir, 'prog'));
      const report: FileReport = { path: join(dir, 'prog'), elf: undefined, findings: [{ rule: 'wx-segment', severity: 'warning', category: 'hardening', message: 'm', offset: 1, length: 1, field: 'phdr[0].p_flags' }] };
      const log = buildSarif([report], TOOL, { cwd: join(scratch, name) });
      expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('bin/prog');
      fingerprints.push(log.runs[0]!.results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]!));
    }
    expect(fingerprints[0]).toEqual(fingerprints[1]);
    // Not the offset, the message or the values: moving a field keeps the fingerprint; another field changes it.
    const base = SYNTHETIC[0]!;
    const moved: FileReport = { ...base, findings: base.findings.map((finding) => ({ ...finding, offset: finding.offset + 56, message: `${finding.message}!`, actual: '0x6' })) };
    const other: FileReport = { ...base, findings: base.findings.map((finding) => ({ ...finding, field: 'phdr[1].p_flags' })) };
    const prints = (report: FileReport) => buildSarif([report], TOOL, { cwd: '/w' }).runs[0]!.results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints(moved)).toEqual(prints(base));
    expect(prints(other)[1]).not.toEqual(prints(base)[1]);
    // Unique over the corpus, including repeated findings of one rule and field.
    const { log } = await cliSarif(['corpus']);
    const all = log.runs[0]!.results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(all).size).toBe(all.length);
    // And the same on a second run.
    expect((await cliSarif(['corpus'])).log.runs[0]!.results.map((result) => result.partialFingerprints[FINGERPRINT_KEY])).toEqual(all);
  });

  it('writes paths outside the working directory as file: URIs and stdin as <stdin>', () => {
    const artifacts = buildSarif(SYNTHETIC, TOOL, { cwd: '/work/x' }).runs[0]!.artifacts.map((artifact) => artifact.location);
    expect(artifacts[0]).toMatchObject({ uri: 'odd%20dir/na%C3%AFve%20%231%25.elf', uriBaseId: SRCROOT });
    expect(artifacts[1]).toMatchObject({ uri: '%3Cstdin%3E' });
    expect(artifacts[2]).toEqual({ uri: 'file:///nonexistent/file', index: 2 });
  });
});

describe('--format gitlab', () => {
  const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

  function checkIssues(issues: readonly GitLabIssue[]): void {
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity']);
      expect(SEVERITIES).toContain(issue.severity);
      expect(issue.description.length).toBeGreaterThan(0);
      expect(issue.location.lines).toEqual({ begin: 1 });
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
  }

  it('writes a code quality report of the corpus with the SARIF fingerprints', async () => {
    const [gitlab, sarif] = await Promise.all([
      runCli(['--format', 'gitlab', 'corpus', 'corpus/no-such-file']),
      cliSarif(['corpus', 'corpus/no-such-file']),
    ]);
    expect(gitlab.code).toBe(2);
    const issues = JSON.parse(gitlab.stdout) as GitLabIssue[];
    checkIssues(issues);
    const entry = issues.find((issue) => issue.location.path === 'corpus/hello-entry-outside' && issue.check_name === 'entry-in-load-segment')!;
    expect(entry.severity).toBe('major');
    expect(entry.description).toContain('e_entry at 0x18');
    const verdict = issues.find((issue) => issue.location.path === 'corpus/hello-entry-outside' && issue.check_name === LOADER_VERDICT_RULE)!;
    expect(verdict.severity).toBe('critical');
    expect(issues.find((issue) => issue.check_name === 'read-error')).toMatchObject({ severity: 'blocker', location: { path: 'corpus/no-such-file' } });
    expect(issues.find((issue) => issue.check_name === 'wx-segment')!.severity).toBe('minor');
    const sarifPrints = sarif.log.runs[0]!.results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    expect(issues.filter((issue) => issue.check_name !== 'read-error').map((issue) => issue.fingerprint)).toEqual(sarifPrints);
  });

  it('writes an empty array for a clean file, and maps uncertain verdicts and infos', async () => {
    const clean = await runCli(['--format', 'gitlab', 'corpus/hello']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual([]);
    const issues = buildGitLab(SYNTHETIC, { cwd: '/work/x' });
    checkIssues(issues);
    expect(issues.map((issue) => [issue.check_name, issue.severity, issue.location.path])).toEqual([
      ['parse-damage', 'major', 'odd dir/naïve #1%.elf'],
      ['internal-error', 'major', 'odd dir/naïve #1%.elf'],
      ['wx-segment', 'minor', 'odd dir/naïve #1%.elf'],
      [LOADER_VERDICT_RULE, 'major', 'odd dir/naïve #1%.elf'],
      ['not-elf', 'major', '<stdin>'],
      ['read-error', 'blocker', '/nonexistent/file'],
    ]);
  });
});
