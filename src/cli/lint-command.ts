// `elf-lint [lint] PATH...`
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, relative, resolve, sep } from 'node:path';
import type { LintOptions } from '../rules/engine.js';
import { RULES, findRuleMeta } from '../rules/registry.js';
import { INTERNAL_ERROR, NOT_ELF } from '../rules/builtin.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions, type Overcommit } from '../model/assumptions.js';
import { severityRank, type Severity } from '../model/finding.js';
import type { FileReport } from '../report/file-report.js';
import { escapePath } from '../report/text.js';
import { distinctInputs, type WholeInput } from './inputs.js';
import { renderReports } from './render.js';
import { checkInput, checkPath, lintOptionsFor } from './lint-options.js';
import { defaultLintThreads, lintOnThreads, workersFor } from './lint-pool.js';
import { tuneV8ForLongRun } from './v8-tuning.js';
import { Progress, type ProgressStream } from './progress.js';
import { hintMistypedPaths } from './hints.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, InputError, UsageError } from './exit-codes.js';
import { parseAddress64, parsePageSize } from './numbers.js';
import { write } from './io.js';
import { writeFileAtomic, checkWritable, refuseOverwritingInputs } from './atomic-write.js';
import { STDIN_ARGUMENT, STDIN_NAME } from './inputs.js';
import { parseMachine, unknownLoaderNames, knownLoaderNames } from './config/target.js';
import { ConfigFinder, loadConfigFile, type LoadedConfig } from './config/load.js';
import { FAILING_VERDICTS, PROFILES, RULE_SETTINGS, VERDICT_SETTINGS, verdictListProblem, type Profile, type RuleSetting, type TargetConfig, type VerdictSetting } from './config/settings.js';
import {
  DEFAULT_FAIL_ON_VERDICT, effectiveSettings, settingsJson, verdictFails, type CommandLineSettings, type EffectiveSettings,
} from './config/effective.js';
import { baselineDocument, baselineState, isBaselined, isVerdictBaselined, loadBaseline, baselineFromDocument, type Baseline } from './config/baseline.js';
import type { Finding } from '../model/finding.js';
import type { MapLayout } from '../report/map.js';

export { parseMachine } from './config/target.js';

export interface LintCommandOptions {
  readonly format: 'text' | 'json' | 'sarif' | 'gitlab' | 'html';
  readonly failOn: Severity;
  readonly quiet: boolean;
  readonly pageSize?: bigint;
  readonly mmapMinAddr?: bigint;
  readonly privileged: boolean;
  readonly machine?: string;
  readonly without: readonly string[];
  readonly memory?: bigint;
  readonly overcommit: Overcommit;
  readonly cpuidFaults: boolean;
  readonly disable: readonly string[];
  readonly enable: readonly string[];
  readonly rule: readonly (readonly [string, RuleSetting])[];
  readonly profile?: Profile;
  readonly failOnVerdict?: readonly VerdictSetting[];
  readonly config?: string;
  readonly printConfig?: string;
  readonly baseline?: string;
  readonly writeBaseline?: string;
  /** `--output FILE`: the report goes there, written atomically, instead of stdout. */
  readonly output?: string;
  /** `--no-error-on-unmatched` sets this to false. */
  readonly errorOnUnmatched?: boolean;
  /** `--shard I/N`. */
  readonly shard?: Shard;
  /** `--jobs N`: threads that check files; default the CPU count. */
  readonly jobs?: number;
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(jobs) || jobs < 1 || jobs > 256) throw new InvalidArgumentError('expected a whole number of threads from 1 to 256.');
  return jobs;
}

/** `--shard I/N`: the I-th of N slices of the inputs (1-based). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError('expected I/N with 1 <= I <= N (such as 2/3).');
  }
  return { index, count };
}

/** The path a shard is chosen by: relative to the working directory, with `/` between directories. */
export function shardKey(path: string): string {
  if (path === STDIN_NAME) return path;
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

/** Which shard (1..count) a path belongs to: the first 8 bytes of the SHA-256 of its key, modulo count. */
export function shardOf(path: string, count: number): number {
  const digest = createHash('sha256').update(shardKey(path), 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count)) + 1;
}

/** Attribute names of the assumption options (for getOptionValueSource). */
export const ASSUMPTION_OPTIONS = ['machine', 'pageSize', 'mmapMinAddr', 'privileged', 'without', 'memory', 'overcommit', 'cpuidFaults'] as const;

export function addAssumptionOptions(command: Command): Command {
  // bigint defaults need a description: commander's help would JSON.stringify them and throw.
  return command
    .option('--machine <name>', "architecture of the system that runs the files (default: each file's own)", parseMachine)
    .addOption(new Option('--page-size <bytes>', "page size of the target system (a power of two, 4096 to 1 GiB; default: the target's usual one)")
      .argParser(parsePageSize))
    .addOption(new Option('--mmap-min-addr <address>', "vm.mmap_min_addr of the target system (default: the target's usual one)")
      .argParser(parseAddress64))
    .option('--privileged', 'assume CAP_SYS_RAWIO (root may map below mmap_min_addr)', false)
    .option('--without <loaders>', "ELF handlers the target kernel lacks, comma-separated (ia32, x32, aarch32, ...; see the README's profile table)", collectList, [])
    .addOption(new Option('--memory <bytes>', "RAM plus swap of the target, in bytes (decimal or 0x hex; default: unknown, assumed between 256 MiB and 16 TiB)").argParser(parseAddress64))
    .addOption(new Option('--overcommit <mode>', 'vm.overcommit_memory of the target').choices(['guess', 'always', 'never']).default('guess'))
    .option('--cpuid-faults', 'assume CPUID faulting is on: cpuid at the entry point raises SIGSEGV', false);
}

/** `--without`: names of loaders some profile has. */
function checkLoaderNames(names: readonly string[]): void {
  const unknown = unknownLoaderNames(names);
  if (unknown.length > 0) throw new UsageError(`--without: unknown loader ${unknown.map((name) => `"${name}"`).join(', ')}; loaders: ${knownLoaderNames().join(', ')}`);
}

export function assumptionsFrom(options: Pick<LintCommandOptions, (typeof ASSUMPTION_OPTIONS)[number]>): LoaderAssumptions {
  checkLoaderNames(options.without);
  return {
    ...DEFAULT_ASSUMPTIONS, privileged: options.privileged,
    disabledLoaders: options.without, overcommit: options.overcommit, cpuidFaults: options.cpuidFaults,
    ...(options.memory !== undefined ? { memory: options.memory } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.mmapMinAddr !== undefined ? { mmapMinAddr: options.mmapMinAddr } : {}),
    ...(options.machine !== undefined ? { machine: options.machine } : {}),
  };
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((id) => id.trim()).filter(Boolean)];
}

/** `--rule ID=SEVERITY` (repeatable). */
function collectRuleSetting(value: string, previous: (readonly [string, RuleSetting])[]): (readonly [string, RuleSetting])[] {
  const match = /^\s*([^=\s]+)\s*=\s*([a-z]+)\s*$/.exec(value);
  const setting = RULE_SETTINGS.find((candidate) => candidate === match?.[2]);
  if (!match || !setting) throw new InvalidArgumentError(`expected ID=SEVERITY, SEVERITY one of ${RULE_SETTINGS.join(', ')}.`);
  return [...previous, [match[1]!, setting]];
}

/** `--fail-on-verdict exec-error,start-fault[,uncertain]`, or `none`. */
function parseVerdictList(value: string): VerdictSetting[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError(`give verdicts (${VERDICT_SETTINGS.join(', ')}) or none.`);
  if (names.length === 1 && names[0] === 'none') return [];
  const settings: VerdictSetting[] = [];
  for (const name of names) {
    const setting = VERDICT_SETTINGS.find((candidate) => candidate === name);
    if (!setting) throw new InvalidArgumentError(`"${name}" is not one of ${VERDICT_SETTINGS.join(', ')} (or none).`);
    settings.push(setting);
  }
  const problem = verdictListProblem(settings);
  if (problem !== undefined) throw new InvalidArgumentError(`${problem}.`);
  return settings;
}

/** Ids a command line may enable, disable or set: rules, not the engine's own findings. */
function checkRuleIds(ids: readonly string[], option: string): void {
  const unknown = ids.filter((id) => !findRuleMeta(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule id ${unknown.map((id) => `"${id}"`).join(', ')} in ${option} (see \`elf-lint rules\`)`);
  // not-elf and internal-error are reported by the engine, not by a rule in RULES: configuring them would silently do nothing.
  const engine = ids.filter((id) => !RULES.some((rule) => rule.id === id));
  if (engine.length > 0) {
    const verb = option === '--disable' ? 'disabled' : 'configured';
    throw new UsageError(`${engine.map((id) => `"${id}"`).join(', ')} cannot be ${verb}: ${engine.length === 1 ? 'it is a finding' : 'they are findings'} of the engine, not a rule`);
  }
}

/** Whether an option was given on the command line (a default must not override a configuration). */
export type ExplicitOption = (name: string) => boolean;

/** The target options given on the command line, as a configuration's `target` (lint's, and merge's for the HTML maps). */
export function targetFromOptions(options: Pick<LintCommandOptions, (typeof ASSUMPTION_OPTIONS)[number]>, explicit: ExplicitOption): TargetConfig {
  checkLoaderNames(options.without);
  return {
    ...(options.machine !== undefined ? { machine: options.machine } : {}),
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.mmapMinAddr !== undefined ? { mmapMinAddr: options.mmapMinAddr } : {}),
    ...(options.memory !== undefined ? { memory: options.memory } : {}),
    ...(explicit('privileged') ? { privileged: options.privileged } : {}),
    ...(explicit('without') ? { without: options.without } : {}),
    ...(explicit('overcommit') ? { overcommit: options.overcommit } : {}),
    ...(explicit('cpuidFaults') ? { cpuidFaults: options.cpuidFaults } : {}),
  };
}

function commandLineSettings(options: LintCommandOptions, explicit: ExplicitOption): CommandLineSettings {
  checkRuleIds(options.disable, '--disable');
  checkRuleIds(options.enable, '--enable');
  checkRuleIds(options.rule.map(([id]) => id), '--rule');
  if (options.quiet && options.format !== 'text') throw new UsageError(`--quiet applies to text output only, not to --format ${options.format}`);
  const target = targetFromOptions(options, explicit);
  return {
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(explicit('failOn') ? { failOn: options.failOn } : {}),
    ...(options.failOnVerdict !== undefined ? { failOnVerdict: options.failOnVerdict } : {}),
    target, enable: options.enable, rules: options.rule, disable: options.disable,
  };
}

/** How one file's report counts toward the exit code. */
export interface FilePolicy {
  readonly failOn: Severity;
  readonly failOnVerdict: readonly VerdictSetting[];
  /** With a baseline: whether a finding is new (only new ones count). */
  readonly counts?: (finding: Finding) => boolean;
  /** With a baseline: the file's failing verdict was already there. */
  readonly verdictBaselined?: boolean;
}

function findingsFail(report: FileReport, policy: FilePolicy): boolean {
  const threshold = severityRank(policy.failOn);
  return report.findings.some((finding) => severityRank(finding.severity) >= threshold && (policy.counts?.(finding) ?? true));
}

function verdictFailsRun(report: FileReport, policy: FilePolicy): boolean {
  return policy.verdictBaselined !== true && verdictFails(report.loader, policy.failOnVerdict);
}

/** `baselineState` for the JSON and SARIF reports: per finding, and for a failing loader verdict. */
function reportBaselineState(baseline: Baseline) {
  return (report: FileReport, finding: Finding | undefined): 'unchanged' | 'new' | undefined => {
    if (finding) return baselineState(baseline, finding, report.path);
    const failing = FAILING_VERDICTS.some((kind) => kind === report.loader?.verdict);
    return failing ? (isVerdictBaselined(baseline, report) ? 'unchanged' : 'new') : undefined;
  };
}

/**
 * The exit code of a run: `policies[i]` says how reports[i] counts (by default,
 * findings at or above `failOn` and the default failing verdicts).
 */
export function exitCodeFor(reports: readonly FileReport[], failOn: Severity, policies: readonly FilePolicy[] = []): number {
  // A rule or the loader model failed on a file: the report is incomplete because of a bug (the highest code wins).
  if (reports.some((report) => report.findings.some((finding) => finding.rule === INTERNAL_ERROR.id))) return EXIT_INTERNAL;
  // Nothing found at all is an input problem (like ESLint's "no files matched"), not a clean run.
  if (reports.length === 0) return EXIT_INPUT;
  if (reports.some((report) => report.error !== undefined || report.elf === undefined)) return EXIT_INPUT;
  const failing = reports.some((report, index) => {
    const policy = policies[index] ?? { failOn, failOnVerdict: DEFAULT_FAIL_ON_VERDICT };
    return findingsFail(report, policy) || verdictFailsRun(report, policy);
  });
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

/** The policy of each report, with the baseline that applies (if any). */
function policiesFor(judged: readonly Judged[], baseline: Baseline | undefined): FilePolicy[] {
  return judged.map(({ report, settings }) => ({
    failOn: settings.failOn, failOnVerdict: settings.failOnVerdict,
    ...(baseline ? { counts: (finding: Finding) => !isBaselined(baseline, finding, report.path), verdictBaselined: isVerdictBaselined(baseline, report) } : {}),
  }));
}

export interface Judged {
  readonly report: FileReport;
  readonly settings: EffectiveSettings;
  /** The HTML report's layout map, made where the file was checked. */
  readonly map?: MapLayout;
}

/** A file to check: its path (read when it is checked), or standard input or an unreadable path as collected. */
interface Pending {
  readonly source: string | WholeInput;
  readonly settings: EffectiveSettings;
}

/** Where a run of one file draws its (never shown) progress: asking process.stderr whether it is a terminal would make its stream. */
const NO_PROGRESS: ProgressStream = { write: () => true };

/**
 * Checks the files, on worker threads when there are enough of them to pay
 * off, and gives the reports back in input order.
 */
async function checkAll(pending: readonly Pending[], threads: number, withMap: boolean): Promise<Judged[]> {
  if (pending.length > 1) tuneV8ForLongRun();
  const progress = pending.length > 1 ? new Progress(pending.length) : new Progress(pending.length, NO_PROGRESS);
  const cache = new Map<string, LintOptions>();
  const onMainThread = ({ source, settings }: Pending): Judged => {
    const checked = typeof source === 'string' ? checkPath(source, settings, cache, withMap) : checkInput(source, lintOptionsFor(settings, cache), withMap);
    progress.step();
    return { ...checked, settings };
  };
  try {
    const onDisk = pending.filter((entry): entry is Pending & { source: string } => typeof entry.source === 'string');
    const workers = workersFor(onDisk.length, threads);
    if (process.env['ELF_LINT_DEBUG'] === '1') process.stderr.write(`elf-lint: ${pending.length} files, ${workers === 0 ? 'checked on the main thread' : `checked on ${workers} worker threads`}\n`);
    if (workers === 0) return pending.map(onMainThread);
    const jobs = onDisk.map(({ source, settings }) => ({ path: source, settings, withMap }));
    const pooled = await lintOnThreads(jobs, workers, () => progress.step());
    let next = 0;
    return pending.map((entry) => (typeof entry.source === 'string' ? { ...pooled[next++]!, settings: entry.settings } : onMainThread(entry)));
  } finally {
    progress.done();
  }
}

/** Inputs named on stderr, at most, when they are not in a text report on standard output. */
const INPUT_NOTES = 10;

/**
 * The inputs that make the exit code 2 (unreadable, not ELF), one line each on stderr, when the
 * report is not text on standard output that already says so: a CI log then shows why a JSON,
 * SARIF or GitLab run (or one written with -o) failed.
 */
export function explainInputs(reports: readonly FileReport[], textOnStdout: boolean): void {
  if (textOnStdout) return;
  const failed = reports.filter((report) => report.error !== undefined || report.elf === undefined);
  for (const report of failed.slice(0, INPUT_NOTES)) {
    const reason = report.error ?? report.findings.find((finding) => finding.rule === NOT_ELF.id)?.message ?? 'not an ELF file';
    process.stderr.write(`elf-lint: ${escapePath(report.path)}: ${reason}\n`);
  }
  if (failed.length > INPUT_NOTES) process.stderr.write(`elf-lint: and ${failed.length - INPUT_NOTES} more inputs that could not be read or are not ELF files (the report lists them)\n`);
}

/** Notes on stderr that explain an exit code the findings alone do not. */
export function explainExit(judged: readonly Judged[], policies: readonly FilePolicy[], baseline: { readonly path: string; readonly value: Baseline } | undefined): void {
  const verdictOnly = judged.filter(({ report }, index) => verdictFailsRun(report, policies[index]!) && !findingsFail(report, policies[index]!));
  if (verdictOnly.length > 0) {
    const files = verdictOnly.map(({ report }) => `${report.path} (${report.loader!.verdict})`).join(', ');
    process.stderr.write(`elf-lint: the loader verdict fails the run for ${files}; --fail-on-verdict (or failOnVerdict) sets which verdicts do\n`);
  }
  if (baseline) {
    const known = judged.reduce((count, { report }) => count + report.findings.filter((finding) => isBaselined(baseline.value, finding, report.path)).length, 0);
    if (known > 0) process.stderr.write(`elf-lint: ${known} ${known === 1 ? 'finding is' : 'findings are'} in the baseline ${baseline.path} and ${known === 1 ? 'does' : 'do'} not count toward the exit code\n`);
  }
}

export async function runLint(paths: readonly string[], options: LintCommandOptions, explicit: ExplicitOption = () => true): Promise<number> {
  const commandLine = commandLineSettings(options, explicit);
  const fixed: LoadedConfig | undefined = options.config !== undefined ? await loadConfigFile(options.config) : undefined;
  const finder = new ConfigFinder();
  const settingsFor = async (path: string | undefined) =>
    effectiveSettings(path, fixed ?? await finder.forDirectory(path === undefined ? process.cwd() : dirname(resolve(path))), commandLine);
  if (options.printConfig !== undefined) {
    if (paths.length > 0) throw new UsageError(`--print-config prints the configuration of one file and checks none; ${paths.map((path) => `"${path}"`).join(', ')} would be ignored`);
    const path = options.printConfig === STDIN_ARGUMENT ? undefined : options.printConfig;
    write(settingsJson(path ?? STDIN_NAME, await settingsFor(path)));
    return EXIT_OK;
  }
  if (paths.length === 0) throw new UsageError("missing required argument 'paths' (run with --help for usage)");
  hintMistypedPaths(paths);
  const given = options.baseline !== undefined ? { path: options.baseline, value: await loadBaseline(options.baseline) } : undefined;
  if (options.writeBaseline !== undefined) checkWritable(options.writeBaseline);
  if (options.output !== undefined) checkWritable(options.output);
  const threads = options.jobs ?? defaultLintThreads(availableParallelism());
  const pending: Pending[] = [];
  let ignored = 0;
  /** Directories named on the command line in which no file was found. */
  const unmatched: string[] = [];
  // Every regular file comes back open and unread: it is closed at once and read where it is checked,
  // so that a big tree costs neither descriptors nor memory before its turn. A file named twice (or
  // inside a directory also named) is checked and counted once, as ESLint does.
  for (const input of distinctInputs(paths, { onDemand: true, openEvery: true }, unmatched)) {
    if ('file' in input) input.file.close();
    if (options.shard !== undefined && shardOf(input.path, options.shard.count) !== options.shard.index) continue;
    const settings = await settingsFor(input.path === STDIN_NAME ? undefined : input.path);
    if (settings.ignored) {
      ignored += 1;
      continue;
    }
    pending.push({ source: 'file' in input ? input.path : input, settings });
  }
  // A report or baseline written over a file it checks would replace the binary (lint -o a/hello a/hello).
  const inputs = pending.map((entry): readonly [string, string] => ['', typeof entry.source === 'string' ? entry.source : entry.source.path === STDIN_NAME ? STDIN_ARGUMENT : entry.source.path]);
  if (options.output !== undefined) refuseOverwritingInputs(['-o', options.output], inputs);
  if (options.writeBaseline !== undefined) refuseOverwritingInputs(['--write-baseline', options.writeBaseline], inputs);
  const judged = await checkAll(pending, threads, options.format === 'html');
  const errorOnUnmatched = options.errorOnUnmatched !== false;
  const reports = judged.map(({ report }) => report);
  let written: { readonly path: string; readonly value: Baseline } | undefined;
  if (options.writeBaseline !== undefined) {
    const document = baselineDocument(reports);
    writeFileAtomic(options.writeBaseline, Buffer.from(`${JSON.stringify(document, null, 2)}\n`), 0o644);
    written = { path: options.writeBaseline, value: baselineFromDocument(document) };
  }
  // --baseline decides what is new; --write-baseline alone makes the recorded findings the baseline of this run.
  const baseline = given ?? written;
  const policies = policiesFor(judged, baseline?.value);
  const maps = options.format === 'html' ? judged.map(({ map }) => map) : undefined;
  const text = renderReports(reports, { format: options.format, output: options.output, quiet: options.quiet, baselineState: baseline && reportBaselineState(baseline.value), maps });
  const outputFailed = text !== undefined && !emit(text, options.output);
  // A shard may legitimately hold no file; so may a run that tolerates unmatched paths.
  const emptyAllowed = options.shard !== undefined || !errorOnUnmatched;
  if (reports.length === 0 && ignored > 0) process.stderr.write(`elf-lint: every file under ${paths.join(', ')} is ignored by the configuration (ignores)\n`);
  else if (reports.length === 0 && !emptyAllowed) process.stderr.write(`elf-lint: no ELF files found under ${paths.join(', ')}\n`);
  else if (unmatched.length > 0 && errorOnUnmatched) {
    process.stderr.write(`elf-lint: no ELF files found under ${unmatched.join(', ')} (--no-error-on-unmatched allows it)\n`);
  }
  if (!outputFailed) explainInputs(reports, options.format === 'text' && options.output === undefined);
  let code = reports.length === 0 && emptyAllowed && ignored === 0 ? EXIT_OK : exitCodeFor(reports, options.failOn, policies);
  if ((code === EXIT_FINDINGS || baseline) && !outputFailed) explainExit(judged, policies, baseline);
  if (unmatched.length > 0 && errorOnUnmatched) code = Math.max(code, EXIT_INPUT);
  return outputFailed ? Math.max(code, EXIT_INPUT) : code;
}

/** Writes the report to stdout or (atomically) to `output`; a failure is one `elf-lint:` line and false. */
function emit(text: string, output: string | undefined): boolean {
  try {
    if (output === undefined) write(text);
    else writeFileAtomic(output, Buffer.from(text, 'utf8'), 0o644);
    return true;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`elf-lint: ${error.message}\n`);
    return false;
  }
}

export function registerLint(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('lint', { isDefault: true })
    .description('check ELF files (directories are searched recursively; - reads standard input)')
    .argument('[paths...]', 'files or directories to check, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'gitlab', 'html']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'info']).default('error'))
    .option('-q, --quiet', 'text: print only errors, and the loader verdict only when the file would not run', false)
    .option('--disable <ids>', 'comma-separated rule ids not to run (repeatable)', collectList, [])
    .option('--enable <ids>', 'comma-separated rule ids to run at their default severity, whatever the profile or configuration says (repeatable)', collectList, [])
    .option('--rule <ID=SEVERITY>', 'set a rule to off, info, warning or error (repeatable)', collectRuleSetting, [])
    .addOption(new Option('--profile <profile>', 'which rules run: recommended (default: every category, opt-in rules off), loader, gabi, hardening (with its opt-in rules) or all').choices([...PROFILES]))
    .addOption(new Option('--fail-on-verdict <verdicts>', `loader verdicts that make the exit code 1, comma-separated, or none (default: ${DEFAULT_FAIL_ON_VERDICT.join(',')}); add uncertain to count uncertain predictions`)
      .argParser(parseVerdictList))
    .option('-c, --config <file>', 'use this configuration file instead of searching for .elf-lint.json')
    .option('--print-config <file>', 'print the configuration that applies to a file as JSON, and exit')
    .option('--baseline <file>', 'count only findings that are not in this baseline')
    .option('--write-baseline <file>', 'record the findings of this run as a baseline')
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of standard output')
    .addOption(new Option('-j, --jobs <n>', `worker threads for many files (default: one less than the number of CPUs, at least 1: ${defaultLintThreads(availableParallelism())} here); 1 checks every file on the main thread`).argParser(parseJobs))
    .option('--no-error-on-unmatched', 'a directory without ELF files is not an error')
    .addOption(new Option('--shard <I/N>', 'check only the I-th of N slices of the files (by a hash of the path)').argParser(parseShard));
  addAssumptionOptions(command).action(async (paths: string[], options: LintCommandOptions, self: Command) => {
    setExit(await runLint(paths, options, (name) => self.getOptionValueSource(name) === 'cli'));
  });
}
