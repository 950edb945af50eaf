// `elf-lint [lint] PATH...`
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { parseElf } from '../parse/parse.js';
import { fileAssumptions, lintParsed, notElfFinding, type LintOptions } from '../rules/engine.js';
import { predictExecve } from '../loader/predict.js';
import { ELF_MACHINE_NAMES } from '../model/constants.js';
import { RULES, findRuleMeta } from '../rules/registry.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from '../model/assumptions.js';
import { severityRank, type Severity } from '../model/finding.js';
import { summarizeElf, type FileReport } from '../report/file-report.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { collectInputs, type Input } from './inputs.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, UsageError } from './exit-codes.js';
import { parseBigInt, parseIntegerIn, parsePageSize } from './numbers.js';
import { TOOL, useColor, write } from './io.js';

export interface LintCommandOptions {
  readonly format: 'text' | 'json';
  readonly failOn: Severity;
  readonly pageSize: bigint;
  readonly mmapMinAddr: bigint;
  readonly privileged: boolean;
  readonly machine?: number;
  readonly disable: readonly string[];
}

/** An e_machine given as a number or a name (x86_64, EM_X86_64, 62). */
export function parseMachine(text: string): number {
  const upper = text.trim().toUpperCase().replace(/^EM_/, '');
  for (const [value, name] of ELF_MACHINE_NAMES) if (name === upper) return value;
  try {
    return parseIntegerIn(0, 0xffff)(text);
  } catch {
    throw new InvalidArgumentError(`"${text}" is not a machine name (x86_64, aarch64, ...) or an e_machine number.`);
  }
}

export function addAssumptionOptions(command: Command): Command {
  return command
    .option('--machine <name>', "architecture of the system that runs the files (default: each file's own)", parseMachine)
    .option('--page-size <bytes>', 'page size of the target system', parsePageSize, DEFAULT_ASSUMPTIONS.pageSize)
    .option('--mmap-min-addr <address>', 'vm.mmap_min_addr of the target system', parseBigInt, DEFAULT_ASSUMPTIONS.mmapMinAddr)
    .option('--privileged', 'assume CAP_SYS_RAWIO (root may map below mmap_min_addr)', false);
}

export function assumptionsFrom(options: Pick<LintCommandOptions, 'pageSize' | 'mmapMinAddr' | 'privileged' | 'machine'>): LoaderAssumptions {
  return {
    ...DEFAULT_ASSUMPTIONS, pageSize: options.pageSize, mmapMinAddr: options.mmapMinAddr, privileged: options.privileged,
    ...(options.machine !== undefined ? { machine: options.machine } : {}),
  };
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((id) => id.trim()).filter(Boolean)];
}

function lintOptionsFrom(options: LintCommandOptions): LintOptions {
  const unknown = options.disable.filter((id) => !findRuleMeta(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule id ${unknown.map((id) => `"${id}"`).join(', ')} in --disable (see \`elf-lint rules\`)`);
  const disabled = new Set(options.disable);
  return { assumptions: assumptionsFrom(options), rules: RULES.filter((rule) => !disabled.has(rule.id)) };
}

function reportFor(input: Input, lintOptions: LintOptions): FileReport {
  if ('error' in input) return { path: input.path, elf: undefined, findings: [], error: input.error };
  const file = parseElf(input.bytes);
  const findings = file.kind === 'elf' ? lintParsed(file, lintOptions) : [notElfFinding(file)];
  const assumptions = file.kind === 'elf' ? fileAssumptions(file, lintOptions.assumptions) : lintOptions.assumptions;
  return { path: input.path, elf: summarizeElf(file), findings, loader: predictExecve(file, assumptions ? { assumptions } : {}) };
}

export function exitCodeFor(reports: readonly FileReport[], failOn: Severity): number {
  if (reports.some((report) => report.error !== undefined || report.elf === undefined)) return EXIT_INPUT;
  const threshold = severityRank(failOn);
  const failing = reports.some((report) => report.findings.some((finding) => severityRank(finding.severity) >= threshold));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

export function runLint(paths: readonly string[], options: LintCommandOptions): number {
  const lintOptions = lintOptionsFrom(options);
  const reports = Array.from(collectInputs(paths), (input) => reportFor(input, lintOptions));
  if (reports.length === 0) {
    process.stderr.write(`elf-lint: no ELF files found under ${paths.join(', ')}\n`);
  }
  write(options.format === 'json' ? renderJson(reports, TOOL) : renderText(reports, { color: useColor() }));
  return exitCodeFor(reports, options.failOn);
}

export function registerLint(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('lint', { isDefault: true })
    .description('check ELF files (directories are searched recursively)')
    .argument('<paths...>', 'files or directories to check')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'info']).default('error'))
    .option('--disable <ids>', 'comma-separated rule ids not to run (repeatable)', collectList, []);
  addAssumptionOptions(command).action((paths: string[], options: LintCommandOptions) => {
    setExit(runLint(paths, options));
  });
}
