// `elf-lint [lint] PATH...`
import { examine } from '../examine.js';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { LintOptions } from '../rules/engine.js';
import { ELF_MACHINE_NAMES } from '../model/constants.js';
import { ARCH_PROFILES, archByMachine, archByName } from '../model/arch/index.js';
import { RULES, findRuleMeta } from '../rules/registry.js';
import { INTERNAL_ERROR } from '../rules/builtin.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions, type Overcommit } from '../model/assumptions.js';
import { severityRank, type Severity } from '../model/finding.js';
import { summarizeElf, type FileReport } from '../report/file-report.js';
import { renderJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { collectInputs, type Input } from './inputs.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, UsageError } from './exit-codes.js';
import { isIntegerText, parseAddress64, parseIntegerIn, parsePageSize } from './numbers.js';
import { TOOL, useColor, write } from './io.js';

export interface LintCommandOptions {
  readonly format: 'text' | 'json';
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
}

const KNOWN_TARGETS = () => ARCH_PROFILES.map((arch) => arch.name).join(', ');

/**
 * The target architecture profile, named by profile name or alias (x86_64,
 * amd64, ppc64le), by e_machine number (62, 0x3e) or by gABI name (EM_X86_64).
 */
export function parseMachine(text: string): string {
  const trimmed = text.trim();
  let machine: number | undefined;
  // Numbers first: some gABI names are digits ("860" is EM_860 = 7).
  if (isIntegerText(trimmed)) machine = parseIntegerIn(0, 0xffff)(trimmed);
  else {
    const byName = archByName(trimmed) ?? archByName(trimmed.replace(/^EM_/i, ''));
    if (byName) return byName.name;
    const upper = trimmed.toUpperCase().replace(/^EM_/, '');
    for (const [value, name] of ELF_MACHINE_NAMES) if (name === upper) machine = value;
  }
  const arch = machine === undefined ? undefined : archByMachine(machine);
  if (arch) return arch.name;
  const what = machine === undefined ? `"${text}" is not a known architecture` : `e_machine ${text} has no loader profile`;
  throw new InvalidArgumentError(`${what}; targets: ${KNOWN_TARGETS()} (or their e_machine numbers).`);
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
    .addOption(new Option('--memory <bytes>', "RAM plus swap of the target (default: unknown, 256 MiB to 16 TiB)").argParser(parseAddress64))
    .addOption(new Option('--overcommit <mode>', 'vm.overcommit_memory of the target').choices(['guess', 'always', 'never']).default('guess'))
    .option('--cpuid-faults', 'assume CPUID faulting is on: cpuid at the entry point raises SIGSEGV', false);
}

/** `--without`: names of loaders some profile has. */
function checkLoaderNames(names: readonly string[]): void {
  const known = new Set(ARCH_PROFILES.flatMap((arch) => arch.loaders.map((loader) => loader.name)));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UsageError(`--without: unknown loader ${unknown.map((name) => `"${name}"`).join(', ')}; loaders: ${[...known].join(', ')}`);
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

function lintOptionsFrom(options: LintCommandOptions): LintOptions {
  const unknown = options.disable.filter((id) => !findRuleMeta(id));
  if (unknown.length > 0) throw new UsageError(`unknown rule id ${unknown.map((id) => `"${id}"`).join(', ')} in --disable (see \`elf-lint rules\`)`);
  // not-elf and internal-error are reported by the engine, not by a rule in RULES: disabling them would silently do nothing.
  const engine = options.disable.filter((id) => !RULES.some((rule) => rule.id === id));
  if (engine.length > 0) {
    throw new UsageError(`${engine.map((id) => `"${id}"`).join(', ')} cannot be disabled: ${engine.length === 1 ? 'it is a finding' : 'they are findings'} of the engine, not a rule`);
  }
  if (options.quiet && options.format === 'json') throw new UsageError('--quiet applies to text output only, not to --format json');
  const disabled = new Set(options.disable);
  return { assumptions: assumptionsFrom(options), rules: RULES.filter((rule) => !disabled.has(rule.id)) };
}

function reportFor(input: Input, lintOptions: LintOptions): FileReport {
  if ('error' in input) return { path: input.path, elf: undefined, findings: [], error: input.error };
  try {
    const { file, findings, loader } = examine('file' in input ? input.file : input.bytes, lintOptions);
    return { path: input.path, elf: summarizeElf(file), findings, loader };
  } finally {
    if ('file' in input) input.file.close();
  }
}

export function exitCodeFor(reports: readonly FileReport[], failOn: Severity): number {
  // A rule or the loader model failed on a file: the report is incomplete because of a bug (the highest code wins).
  if (reports.some((report) => report.findings.some((finding) => finding.rule === INTERNAL_ERROR.id))) return EXIT_INTERNAL;
  // Nothing found at all is an input problem (like ESLint's "no files matched"), not a clean run.
  if (reports.length === 0) return EXIT_INPUT;
  if (reports.some((report) => report.error !== undefined || report.elf === undefined)) return EXIT_INPUT;
  const threshold = severityRank(failOn);
  const failing = reports.some((report) => report.findings.some((finding) => severityRank(finding.severity) >= threshold));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

export function runLint(paths: readonly string[], options: LintCommandOptions): number {
  const lintOptions = lintOptionsFrom(options);
  const reports = Array.from(collectInputs(paths, { onDemand: true }), (input) => reportFor(input, lintOptions));
  if (options.format === 'json') {
    write(renderJson(reports, TOOL));
  } else if (reports.length > 0) {
    write(renderText(reports, { color: useColor(), quiet: options.quiet }));
  }
  if (reports.length === 0) process.stderr.write(`elf-lint: no ELF files found under ${paths.join(', ')}\n`);
  return exitCodeFor(reports, options.failOn);
}

export function registerLint(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('lint', { isDefault: true })
    .description('check ELF files (directories are searched recursively; - reads standard input)')
    .argument('<paths...>', 'files or directories to check, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1').choices(['error', 'warning', 'info']).default('error'))
    .option('-q, --quiet', 'text: print only errors, and the loader verdict only when the file would not run', false)
    .option('--disable <ids>', 'comma-separated rule ids not to run (repeatable)', collectList, []);
  addAssumptionOptions(command).action((paths: string[], options: LintCommandOptions) => {
    setExit(runLint(paths, options));
  });
}
