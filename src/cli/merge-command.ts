// `elf-lint merge A.json B.json ...`: joins the JSON reports of `lint --shard I/N`
// runs into the report of one unsharded run, exit code included. The HTML
// report's maps need the files themselves: they are read again at their paths.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import type { Finding, Severity } from '../model/finding.js';
import { VERDICTS, type LoaderVerdict } from '../model/loader-verdict.js';
import type { FileReport } from '../report/file-report.js';
import { EXIT_FINDINGS, EXIT_INPUT, InputError, UsageError } from './exit-codes.js';
import { parseJsonText } from './json-text.js';
import { systemMessage } from './system-error.js';
import { write } from './io.js';
import { writeFileAtomic, checkWritable, refuseOverwritingInputs } from './atomic-write.js';
import { ConfigFinder } from './config/load.js';
import { effectiveSettings } from './config/effective.js';
import { VERDICT_SETTINGS, type VerdictSetting } from './config/settings.js';
import { STDIN_NAME } from './inputs.js';
import { renderReports } from './render.js';
import {
  addAssumptionOptions, exitCodeFor, explainExit, targetFromOptions, type ASSUMPTION_OPTIONS, type ExplicitOption, type FilePolicy, type Judged,
  type LintCommandOptions,
} from './lint-command.js';
import { mapOfPath } from './file-map.js';
import { lintOptionsFor } from './lint-options.js';
import type { LintOptions } from '../rules/engine.js';
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions.js';
import type { MapLayout } from '../report/map.js';

const baselineState = z.enum(['unchanged', 'new']).optional();

const findingSchema = z.object({
  rule: z.string(), severity: z.enum(['error', 'warning', 'info']), category: z.string(), message: z.string(),
  offset: z.number().int().nonnegative(), length: z.number().int().nonnegative(),
  field: z.string().optional(), actual: z.string().optional(), expected: z.string().optional(),
  folded: z.number().int().positive().optional(), baselineState,
});

const loaderSchema = z.object({
  verdict: z.enum(VERDICTS), errno: z.string().nullable(), signal: z.string().nullable(), because: z.array(z.string()),
  reason: z.string(), uncertain: z.boolean(), stage: z.enum(['execve', 'entry', 'program']).nullable(), baselineState,
});

const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  files: z.array(z.object({
    path: z.string(),
    elf: z.object({ class: z.string(), data: z.string(), type: z.string(), machine: z.string() }).nullable(),
    error: z.string().optional(),
    findings: z.array(findingSchema),
    folded: z.record(z.string(), z.number()).optional(),
    loader: loaderSchema.nullable(),
  })),
  summary: z.object({}).loose(),
});

type JsonFile = z.infer<typeof reportSchema>['files'][number];

interface MergedFile {
  readonly report: FileReport;
  /** The `baselineState` of the loader verdict, when the shard was linted with --baseline. */
  readonly verdictState: 'unchanged' | 'new' | undefined;
}

/** A FileReport from one `files` entry; the raw objects keep their key order, so renderings are byte for byte the same. */
function fileReportOf(raw: Record<string, unknown>, file: JsonFile): MergedFile {
  const loader = file.loader;
  const verdict: LoaderVerdict | undefined = loader === null ? undefined : {
    verdict: loader.verdict, errno: loader.errno, signal: loader.signal, because: loader.because, reason: loader.reason,
    ...(loader.uncertain ? { uncertain: true as const } : {}),
    ...(loader.stage !== null ? { stage: loader.stage } : {}),
  };
  const findings = raw['findings'] as Finding[];
  return {
    report: {
      path: file.path, elf: raw['elf'] === null ? undefined : raw['elf'] as FileReport['elf'], findings,
      ...(verdict ? { loader: verdict } : {}),
      ...(file.error !== undefined ? { error: file.error } : {}),
    },
    verdictState: loader?.baselineState,
  };
}

function readReport(path: string): MergedFile[] {
  let raw: unknown;
  try {
    raw = parseJsonText(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : `cannot read: ${systemMessage(error)}`;
    throw new InputError(`${path}: ${reason}`);
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new InputError(`${path}: not an elf-lint JSON report (--format json): ${where}${issue.message}`);
  }
  const rawFiles = (raw as { files: Record<string, unknown>[] }).files;
  return parsed.data.files.map((file, index) => fileReportOf(rawFiles[index]!, file));
}

/** The order lint reports files in: a directory walk sorts the names of each directory. */
export function comparePaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    if (left[index] !== right[index]) return left[index]! < right[index]! ? -1 : 1;
  }
  return left.length - right.length;
}

/** The target options apply to the HTML report's maps only: the verdicts are the shards'. */
export type MergeOptions = Pick<LintCommandOptions, (typeof ASSUMPTION_OPTIONS)[number]> & {
  readonly format: 'text' | 'json' | 'sarif' | 'gitlab' | 'html';
  readonly failOn?: Severity;
  readonly failOnVerdict?: readonly VerdictSetting[];
  readonly quiet: boolean;
  readonly output?: string;
};

/** The HTML report's maps: each ELF file read again where its report says it is, with the target of its settings. */
function mapsOf(judged: readonly Judged[]): (MapLayout | undefined)[] {
  const cache = new Map<string, LintOptions>();
  return judged.map(({ report, settings }) => (report.error !== undefined || report.elf === undefined || report.path === STDIN_NAME ? undefined
    : mapOfPath(report.path, report.findings, report.loader, lintOptionsFor(settings, cache).assumptions ?? DEFAULT_ASSUMPTIONS)));
}

/** Shards hold disjoint files: a file in two of them (or a report given twice) would count twice. */
function refuseOverlaps(shards: readonly { readonly path: string; readonly entries: readonly { readonly report: FileReport }[] }[]): void {
  const given = new Set<string>();
  for (const { path } of shards) {
    if (given.has(resolve(path))) throw new UsageError(`${path} is given twice; merge takes each shard's report once`);
    given.add(resolve(path));
  }
  const holder = new Map<string, number>();
  shards.forEach(({ path, entries }, index) => {
    for (const { report } of entries) {
      const first = holder.get(report.path);
      if (first === index) throw new UsageError(`${report.path} is twice in ${path}; a report holds each file once`);
      if (first !== undefined) throw new UsageError(`${report.path} is in both ${shards[first]!.path} and ${path}; the shards of one run hold each file once`);
      holder.set(report.path, index);
    }
  });
}

export async function runMerge(paths: readonly string[], options: MergeOptions, explicit: ExplicitOption = () => true): Promise<number> {
  if (paths.length === 0) throw new UsageError("missing required argument 'reports' (run with --help for usage)");
  if (options.quiet && options.format !== 'text') throw new UsageError(`--quiet applies to text output only, not to --format ${options.format}`);
  if (options.output !== undefined) {
    checkWritable(options.output);
    refuseOverwritingInputs(['--output', options.output], paths.map((path) => ['', path] as const));
  }
  const shards = paths.map((path) => ({ path, entries: readReport(path) }));
  refuseOverlaps(shards);
  const merged = shards.flatMap(({ entries }) => entries).sort((a, b) => comparePaths(a.report.path, b.report.path));
  const reports = merged.map(({ report }) => report);
  // The same settings as lint: the configuration that applies to each file, then the command line.
  const finder = new ConfigFinder();
  const commandLine = {
    target: targetFromOptions(options, explicit), enable: [], rules: [], disable: [],
    ...(options.failOn !== undefined ? { failOn: options.failOn } : {}),
    ...(options.failOnVerdict !== undefined ? { failOnVerdict: options.failOnVerdict } : {}),
  };
  const judged: Judged[] = [];
  for (const report of reports) {
    const path = report.path === STDIN_NAME ? undefined : report.path;
    judged.push({ report, settings: effectiveSettings(path, await finder.forDirectory(path === undefined ? process.cwd() : dirname(resolve(path))), commandLine) });
  }
  const baselined = merged.some(({ report, verdictState }) => verdictState !== undefined || report.findings.some((finding) => 'baselineState' in finding));
  const stateOf = (finding: Finding) => (finding as { baselineState?: 'new' | 'unchanged' }).baselineState;
  const policies: FilePolicy[] = judged.map(({ settings }, index) => ({
    failOn: settings.failOn, failOnVerdict: settings.failOnVerdict,
    ...(baselined ? {
      counts: (finding: Finding) => stateOf(finding) !== 'unchanged',
      verdictBaselined: merged[index]!.verdictState === 'unchanged',
    } : {}),
  }));
  const states = new Map(merged.map(({ report, verdictState }) => [report, verdictState]));
  // Findings carry the baselineState of their shard's report; the loader's is given back.
  const baselineState = baselined ? (report: FileReport, finding: Finding | undefined) => (finding ? stateOf(finding) : states.get(report)) : undefined;
  const maps = options.format === 'html' ? mapsOf(judged) : undefined;
  const text = renderReports(reports, { format: options.format, output: options.output, quiet: options.quiet, baselineState, maps });
  let outputFailed = false;
  if (text !== undefined) {
    try {
      if (options.output === undefined) write(text);
      else writeFileAtomic(options.output, Buffer.from(text, 'utf8'), 0o644);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      process.stderr.write(`elf-lint: ${error.message}\n`);
      outputFailed = true;
    }
  }
  if (reports.length === 0) process.stderr.write(`elf-lint: no files in ${paths.join(', ')}\n`);
  const code = exitCodeFor(reports, options.failOn ?? 'error', policies);
  if (code === EXIT_FINDINGS && !outputFailed) explainExit(judged, policies, undefined);
  return outputFailed ? Math.max(code, EXIT_INPUT) : code;
}

function parseVerdicts(value: string): VerdictSetting[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  return names.map((name) => {
    const setting = VERDICT_SETTINGS.find((candidate) => candidate === name);
    if (!setting) throw new InvalidArgumentError(`"${name}" is not one of ${VERDICT_SETTINGS.join(', ')} (or none).`);
    return setting;
  });
}

export function registerMerge(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('merge')
    .description('join the JSON reports of lint --shard runs into the report of one run')
    .argument('<reports...>', 'JSON reports (lint --format json)')
    .addOption(new Option('-f, --format <format>', 'output format (html draws each file\'s map from the file at its path)').choices(['text', 'json', 'sarif', 'gitlab', 'html']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default: error)').choices(['error', 'warning', 'info']))
    .addOption(new Option('--fail-on-verdict <verdicts>', 'loader verdicts that make the exit code 1, as for lint').argParser(parseVerdicts))
    .option('-q, --quiet', 'text: print only errors, as for lint', false)
    .option('-o, --output <file>', 'write the report to this file (atomically) instead of standard output');
  // The target options, as given to lint: the HTML maps are drawn for that target.
  addAssumptionOptions(command).action(async (paths: string[], options: MergeOptions, self: Command) => {
    setExit(await runMerge(paths, options, (name) => self.getOptionValueSource(name) === 'cli'));
  });
}
