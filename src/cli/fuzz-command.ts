// `elf-lint fuzz SEED`: mutate, lint, predict, execute, compare.
import { accessSync, constants, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { parseElf } from '../parse/parse.js';
import type { ElfFile } from '../model/elf.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import { CampaignOutputError, lintWorkersFor, runCampaign, type CampaignResult, type Progress } from '../fuzz/campaign.js';
import { tuneV8ForLongRun } from './v8-tuning.js';
import { fieldTable, verdictLine } from '../fuzz/summary.js';
import { kernelColumn, renderStudy, type KernelColumn } from '../fuzz/study.js';
import { hostAssumptions, hostRuns, probeCpuidFaults, runsOn } from '../fuzz/environment.js';
import { startExecutor, ExecutorUnavailable, RunnerFailed, type Executor } from '../fuzz/executor.js';
import { makeDirectories } from '../fuzz/directories.js';
import { guestAssumptions, startGuest, type GuestExecutor } from '../fuzz/kernel/guest.js';
import { parseKernelSpec, type KernelSpec } from '../fuzz/kernel/spec.js';
import { ALL_RULE_METAS } from '../rules/registry.js';
import { checkWritable, STDOUT_ARGUMENT, writeFileAtomic } from './atomic-write.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, UsageError } from './exit-codes.js';
import { parseJsonText } from './json-text.js';
import { systemMessage } from './system-error.js';
import { readInput } from './inputs.js';
import { TOOL, write } from './io.js';
import { parseIntegerIn } from './numbers.js';
import { addAssumptionOptions, ASSUMPTION_OPTIONS, assumptionsFrom, type LintCommandOptions } from './lint-command.js';

/** Exit code of a campaign stopped with Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** Signals that stop a campaign at once, like a second Ctrl-C (timeout, CI cancellation, docker stop, a closed terminal), with 128 + their number. */
const TERMINATING_SIGNALS = { SIGTERM: 143, SIGHUP: 129 } as const;

interface FuzzOptions extends Pick<LintCommandOptions, (typeof ASSUMPTION_OPTIONS)[number]> {
  readonly count: number;
  readonly seed: number;
  readonly out?: string;
  readonly report?: string;
  readonly study?: string;
  readonly exec?: boolean;
  readonly jobs: number;
  readonly timeout: number;
  /** A guest kernel executes the mutants (`amd64:6.1`). */
  readonly kernel?: string;
  /** Campaign reports to compare with this campaign in --study, one column each. */
  readonly studyWith?: readonly string[];
}

const OPTION_FLAGS: Record<(typeof ASSUMPTION_OPTIONS)[number], string> = {
  machine: '--machine', pageSize: '--page-size', mmapMinAddr: '--mmap-min-addr', privileged: '--privileged',
  without: '--without', memory: '--memory', overcommit: '--overcommit', cpuidFaults: '--cpuid-faults',
};

function progressBar(stream: NodeJS.WriteStream): (progress: Progress) => void {
  let last = 0;
  return ({ done, total, disagreements, elapsedMs }) => {
    const now = performance.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate}/s ${disagreements} disagreements `);
    if (done >= total) stream.write('\n');
  };
}

function reportDocument(result: CampaignResult, environment: object | null, command: string): string {
  const document = { schemaVersion: 1, tool: TOOL, command, ...result, environment };
  return `${JSON.stringify(document, (_, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value), 2)}\n`;
}

function willExecute(wanted: boolean | undefined, seed: ElfFile): boolean {
  return wanted !== false && hostRuns(seed);
}

async function maybeExecutor(wanted: boolean | undefined, seed: ElfFile, options: FuzzOptions): Promise<Executor | undefined> {
  if (wanted === false) return undefined;
  if (!willExecute(wanted, seed)) {
    if (wanted === true) throw new InputError('cannot execute the mutants: this host\'s kernel does not run the seed (Linux x86-64 runs x86-64 seeds, and i386 or x32 seeds when their compat loader is enabled)');
    process.stderr.write('elf-lint: the seed does not run on this host; linting and predicting only (--no-exec)\n');
    return undefined;
  }
  try {
    return await startExecutor({ jobs: options.jobs, timeoutMs: options.timeout });
  } catch (error) {
    if (error instanceof ExecutorUnavailable) {
      if (wanted === true) throw new InputError(`cannot execute the mutants: ${error.message}`);
      process.stderr.write(`elf-lint: ${error.message}; linting and predicting only\n`);
      return undefined;
    }
    throw error;
  }
}

/** The reports of --study-with, read before the campaign starts: a bad one would waste the run. */
function studyColumns(options: FuzzOptions): KernelColumn[] {
  if (!options.studyWith) return [];
  if (options.study === undefined) throw new UsageError('--study-with adds columns to --study; give --study FILE too');
  return options.studyWith.map((path) => {
    let document: unknown;
    try {
      document = parseJsonText(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new InputError(`--study-with ${path}: ${error instanceof SyntaxError ? 'not JSON' : `cannot read: ${systemMessage(error)}`}`);
    }
    const column = kernelColumn(document, path);
    if ('error' in column) throw new InputError(`--study-with ${column.error}`);
    return column;
  });
}

/** The outputs must be writable before the campaign starts: a failure at the end would waste the whole run. */
function checkDestinations(options: FuzzOptions): void {
  for (const [flag, path] of [['--report', options.report], ['--study', options.study]] as const) {
    if (path === undefined) continue;
    // stdout carries the summary table; a document mixed into it would be unreadable.
    if (path === STDOUT_ARGUMENT) throw new UsageError(`${flag} needs a file name (standard output carries the summary)`);
    checkWritable(path);
  }
  if (options.out !== undefined) {
    try {
      makeDirectories(options.out);
      if (!statSync(options.out).isDirectory()) throw new Error('not a directory');
      accessSync(options.out, constants.W_OK | constants.X_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const where = (error as NodeJS.ErrnoException).path;
      // A path above --out may be what is not a directory (a file, a dangling symbolic link).
      const reason = (code === 'EEXIST' || code === 'ENOTDIR') && where !== undefined && where !== options.out ? `${where} is not a directory`
        : code === 'EEXIST' || code === 'ENOTDIR' ? 'not a directory'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : code === 'ENOENT' ? 'it cannot be made there (no such file or directory)' : (error as Error).message;
      throw new InputError(`cannot write to --out ${options.out}: ${reason}`);
    }
  }
}

async function runOrExplain(
  seed: ElfFile, seedPath: string, options: FuzzOptions, assumptions: LoaderAssumptions, executor: Executor | undefined, stopped: () => boolean,
): Promise<CampaignResult> {
  tuneV8ForLongRun();
  // A lint-only campaign has worker threads only when it is long enough to repay their start.
  const workers = lintWorkersFor(options.count, options.jobs);
  if (!executor && process.env['ELF_LINT_DEBUG'] === '1') {
    process.stderr.write(`elf-lint: ${options.count} mutants, linted ${workers > 1 ? `on ${workers} worker threads` : 'on the main thread'}\n`);
  }
  try {
    return await runCampaign({
      seed, seedPath, count: options.count, randomSeed: options.seed, assumptions,
      ...(executor ? { executor } : {}),
      window: Math.max(1, options.jobs) * 4,
      workers,
      timeoutMs: options.timeout,
      ...(options.out ? { outDir: options.out } : {}),
      ...(process.stderr.isTTY ? { onProgress: progressBar(process.stderr) } : {}),
      shouldStop: stopped,
    });
  } catch (error) {
    // A runner that dies (killed from outside, out of memory) is an environment failure, not a bug.
    if (error instanceof RunnerFailed) throw new InputError(`the executor failed: ${error.message}`);
    // A guest that could not be booted again after dying.
    if (error instanceof ExecutorUnavailable) throw new InputError(`the executor failed: ${error.message}`);
    if (error instanceof CampaignOutputError) throw new InputError(error.message);
    throw error;
  }
}

/**
 * Executed mutants are predicted with the facts of the kernel that runs them (the host's, or
 * what the guest reported at boot and the probes found there), cpuid behaviour under the runner included.
 */
async function assumptionsOf(options: FuzzOptions, executor: Executor | undefined, guest: GuestExecutor | undefined): Promise<LoaderAssumptions> {
  const privileged = false; // the runner drops to an unprivileged uid
  if (guest) return guestAssumptions(guest);
  return executor ? { ...hostAssumptions(privileged), cpuidFaults: await probeCpuidFaults(executor) } : assumptionsFrom(options);
}

/** The spec of --kernel, checked with the rest of the command line before anything is fetched. */
function kernelSpecOf(options: FuzzOptions, explicit: readonly string[], seed: ElfFile): KernelSpec | undefined {
  if (options.kernel === undefined) return undefined;
  const spec = parseKernelSpec(options.kernel);
  if ('error' in spec) throw new UsageError(spec.error);
  if (options.exec === false) throw new UsageError('--kernel executes the mutants in a guest kernel; it cannot be combined with --no-exec');
  if (explicit.length > 0) {
    throw new UsageError(`${explicit.join(', ')} ${explicit.length === 1 ? 'applies' : 'apply'} to --no-exec only: mutants executed in a guest are predicted with the guest's values`);
  }
  if (!runsOn(seed, { machine: spec.arch.profile, privileged: false })) {
    throw new InputError(`the ${spec.arch.debian} guest cannot run the seed: no ${spec.arch.profile} loader takes it`);
  }
  return spec;
}

async function guestExecutor(spec: KernelSpec, options: FuzzOptions): Promise<GuestExecutor> {
  try {
    return await startGuest({ spec, timeoutMs: options.timeout, log: (line) => process.stderr.write(`elf-lint: ${line}\n`) });
  } catch (error) {
    if (error instanceof ExecutorUnavailable) throw new InputError(`cannot execute the mutants in ${spec.text}: ${error.message}`);
    throw error;
  }
}

/** The stable progress line once the mutants can be executed. */
function executingLine(options: FuzzOptions, executor: Executor, guest: GuestExecutor | undefined): string {
  if (!guest) return `elf-lint: executing with ${options.jobs} runner${options.jobs === 1 ? '' : 's'} in ${executor.workDir}\n`;
  const { kernel, guest: info, arch } = guest;
  return `elf-lint: executing in a guest: Linux ${info.release} (${kernel.package} ${kernel.version}) under ${arch.qemu}, booted in ${(info.bootMs / 1000).toFixed(1)} s\n`;
}

/** Writes --report and --study; returns the one-line error of a failed write, if any. */
function writeOutputs(
  result: CampaignResult, options: FuzzOptions, assumptions: LoaderAssumptions, executor: Executor | undefined, guest: GuestExecutor | undefined, argv: readonly string[],
  compared: readonly KernelColumn[],
): string | undefined {
  const environment = guest
    ? {
      ...assumptions, sandbox: guest.sandbox,
      guest: { kernel: guest.kernel.package, version: guest.kernel.version, release: guest.guest.release, qemu: guest.arch.qemu, kernelArgs: guest.kernelArgs, bootMs: guest.guest.bootMs, restarts: guest.restarts() },
    }
    : executor ? { ...assumptions, sandbox: executor.sandbox } : null;
  const command = `elf-lint fuzz ${argv.join(' ')}`;
  const report = reportDocument(result, environment, command);
  try {
    if (options.report) writeFileAtomic(options.report, Buffer.from(report), 0o644);
    if (options.study) {
      // This campaign is the first column, read from its own report as the others are.
      const own = kernelColumn(JSON.parse(report) as unknown, 'this campaign');
      const kernels = compared.length > 0 && !('error' in own) ? [own, ...compared] : [];
      writeFileAtomic(options.study, Buffer.from(renderStudy({ result, command, rules: ALL_RULE_METAS, kernels })), 0o644);
    }
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return undefined;
}

/** Our direct child processes (the runners), from /proc: the executor only offers a graceful close. */
function childProcesses(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
    } catch {
      return false; // gone meanwhile
    }
  });
}

/**
 * The second Ctrl-C, SIGTERM or SIGHUP: no report, no waiting. Killing a runner
 * takes its mutants along (its PID namespace, or their PR_SET_PDEATHSIG). The
 * runners may still be starting (no executor yet): whatever children there are
 * go, and so does the directory the mutants ran in.
 */
function stopNow(executor: Executor | undefined, why: string, code: number): never {
  process.stderr.write(`\nelf-lint: ${why}; stopping now without a report\n`);
  for (const pid of childProcesses()) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  if (executor) rmSync(executor.workDir, { recursive: true, force: true });
  process.exit(code);
}

export async function runFuzz(seedPath: string, options: FuzzOptions, argv: readonly string[], explicit: readonly string[] = []): Promise<number> {
  // Ctrl-C is ours from the start, not from when the runners are up (compiling and starting them
  // takes seconds on a loaded machine): from here on an interrupt ends in the summary and the
  // report of what was done, possibly nothing, and exit 130; a second one stops at once.
  let interrupted = false;
  let executor: Executor | undefined;
  const onSigint = () => {
    if (interrupted) stopNow(executor, 'interrupted again', EXIT_INTERRUPTED);
    interrupted = true;
    process.stderr.write('\nelf-lint: interrupted; finishing the mutants in flight and writing the report (Ctrl-C again to stop now)\n');
  };
  const onTerminate = (signal: keyof typeof TERMINATING_SIGNALS) => stopNow(executor, signal, TERMINATING_SIGNALS[signal]);
  process.on('SIGINT', onSigint);
  for (const signal of Object.keys(TERMINATING_SIGNALS) as (keyof typeof TERMINATING_SIGNALS)[]) process.on(signal, onTerminate);
  try {
    const input = readInput(seedPath, false, { elf: true })!;
    if ('error' in input) throw new InputError(`${seedPath}: ${input.error}`);
    const seed = parseElf(input.bytes);
    if (seed.kind !== 'elf' || !seed.header) throw new InputError(`${seedPath}: not an ELF file`);
    const spec = kernelSpecOf(options, explicit, seed);
    if (!spec && explicit.length > 0 && willExecute(options.exec, seed)) {
      // Executed mutants are predicted with this host's real values; the options would be silently ignored.
      throw new UsageError(`${explicit.join(', ')} ${explicit.length === 1 ? 'applies' : 'apply'} to --no-exec only: executed mutants are predicted with this host's values (add --no-exec to predict for another system)`);
    }
    checkDestinations(options);
    const compared = studyColumns(options);
    // Progress lines on stderr (stable: scripts and the tests wait for them). This one: the seed is read and the outputs checked.
    process.stderr.write(`elf-lint: fuzzing ${seedPath}: ${options.count} mutants, seed ${options.seed}\n`);
    // An interrupt while the runners start is seen when they are up: the campaign then claims no mutant.
    const guest = spec ? await guestExecutor(spec, options) : undefined;
    executor = guest ?? await maybeExecutor(options.exec, seed, options);
    let result: CampaignResult;
    let assumptions: LoaderAssumptions = assumptionsFrom(options);
    try {
      // The probes run before the progress line, so the line still means the first mutants are claimed.
      assumptions = await assumptionsOf(options, executor, guest);
      // This one: the runners are up, and the first mutants are claimed before a signal can be handled.
      if (executor && !interrupted) process.stderr.write(executingLine(options, executor, guest));
      result = await runOrExplain(seed, seedPath, options, assumptions, executor, () => interrupted);
    } finally {
      await executor?.close();
    }
    write(`${fieldTable(result)}\n\n${verdictLine(result)}\n`);
    for (const disagreement of result.disagreements.slice(0, 20)) {
      write(`disagreement: mutant ${disagreement.index} ${disagreement.field}=${disagreement.value}: predicted ${disagreement.prediction.verdict}`
        + ` ${disagreement.prediction.errno ?? disagreement.prediction.signal ?? ''}, kernel ${disagreement.outcome.verdict} ${disagreement.outcome.errno ?? disagreement.outcome.signal ?? ''}\n`);
    }
    // The table is out; a report that cannot be written is still an error (exit 2).
    const writeError = writeOutputs(result, options, assumptions, executor, guest, argv, compared);
    if (writeError !== undefined) process.stderr.write(`elf-lint: ${writeError}\n`);
    if (interrupted) return EXIT_INTERRUPTED;
    if (writeError !== undefined) return EXIT_INPUT;
    return result.disagreements.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    // Only now: a Ctrl-C while the runners close or the report is written must not kill us without one.
    process.off('SIGINT', onSigint);
    for (const signal of Object.keys(TERMINATING_SIGNALS) as (keyof typeof TERMINATING_SIGNALS)[]) process.off(signal, onTerminate);
  }
}

export function registerFuzz(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('fuzz')
    .description('mutate a seed ELF file, predict each mutant, execute it and compare with the kernel')
    .argument('<seed>', 'the ELF file to mutate (e.g. corpus/hello)')
    .option('-n, --count <n>', 'number of mutants', parseIntegerIn(1, 100_000_000), 1000)
    .option('-s, --seed <n>', 'random seed; the same seed gives the same mutants', parseIntegerIn(0, 0xffffffff), 1)
    .option('--out <dir>', 'keep every disagreement here (mutant + prediction + outcome)')
    .option('--report <file>', 'write the campaign as JSON')
    .option('--study <file>', 'write the per-field study as Markdown')
    .option('--exec', 'execute the mutants (default when the seed runs on this host)')
    .option('--no-exec', 'only lint and predict')
    .option('-j, --jobs <n>', 'runner processes (with --exec) or, with --no-exec, worker threads: at most one per 100,000 mutants (a shorter campaign runs on the main thread)', parseIntegerIn(1, 64), 2)
    .option('--timeout <ms>', 'wall-clock limit per executed mutant', parseIntegerIn(10, 60_000), 1000)
    .option('--kernel <spec>', 'execute the mutants in a Debian guest kernel under qemu-system, e.g. amd64:6.1, amd64:6.1.0-57, arm64:6.1, riscv64:6.12 or amd64:6.1/x32 (fetched with apt-get)')
    .option('--study-with <reports...>', 'compare with other campaigns in --study: one column per --report file (e.g. the guest kernels\' campaigns)');
  addAssumptionOptions(command);
  command.addHelpText('after', '\nThe target options (--machine, --page-size, --mmap-min-addr, --privileged) apply to --no-exec only;\nexecuted mutants are predicted with the values of the kernel that runs them (this host\'s, or the --kernel guest\'s).');
  command.action(async (seedPath: string, options: FuzzOptions, self: Command) => {
    // Only options typed on the command line: their defaults are not a request.
    const explicit = ASSUMPTION_OPTIONS.filter((name) => self.getOptionValueSource(name) === 'cli').map((name) => OPTION_FLAGS[name]);
    setExit(await runFuzz(seedPath, options, process.argv.slice(3), explicit));
  });
}
