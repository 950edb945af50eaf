// `elf-lint fuzz SEED`: mutate, lint, predict, execute, compare.
import type { Command } from 'commander';
import { parseElf } from '../parse/parse.js';
import type { ElfFile } from '../model/elf.js';
import { runCampaign, type CampaignResult, type Progress } from '../fuzz/campaign.js';
import { fieldTable, verdictLine } from '../fuzz/summary.js';
import { renderStudy } from '../fuzz/study.js';
import { hostAssumptions, hostMachine } from '../fuzz/environment.js';
import { startExecutor, ExecutorUnavailable, type Executor } from '../fuzz/executor.js';
import { ALL_RULE_METAS } from '../rules/registry.js';
import { writeFileAtomic } from './atomic-write.js';
import { EXIT_FINDINGS, EXIT_OK, InputError } from './exit-codes.js';
import { readInput } from './inputs.js';
import { TOOL, write } from './io.js';
import { parseIntegerIn } from './numbers.js';
import { addAssumptionOptions, assumptionsFrom, type LintCommandOptions } from './lint-command.js';

/** Exit code of a campaign stopped with Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

interface FuzzOptions extends Pick<LintCommandOptions, 'pageSize' | 'mmapMinAddr' | 'privileged' | 'machine'> {
  readonly count: number;
  readonly seed: number;
  readonly out?: string;
  readonly report?: string;
  readonly study?: string;
  readonly exec?: boolean;
  readonly jobs: number;
  readonly timeout: number;
}

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

async function maybeExecutor(wanted: boolean | undefined, seedMachine: number | undefined, options: FuzzOptions): Promise<Executor | undefined> {
  const host = hostMachine();
  const canRun = host !== undefined && seedMachine === host;
  if (wanted === false) return undefined;
  if (!canRun) {
    if (wanted === true) throw new InputError('cannot execute the mutants: the seed is not for this host (Linux x86-64 executes x86-64 seeds)');
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

async function campaignOrExplain(
  seed: ElfFile, seedPath: string, options: FuzzOptions, executor: Executor | undefined, stopped: () => boolean, argv: readonly string[],
): Promise<CampaignResult> {
  let result: CampaignResult;
  try {
    const privileged = false; // the runner drops to an unprivileged uid
    const assumptions = executor ? hostAssumptions(privileged) : assumptionsFrom(options);
    result = await runCampaign({
      seed, seedPath, count: options.count, randomSeed: options.seed, assumptions,
      ...(executor ? { executor } : {}),
      window: Math.max(1, options.jobs) * 4,
      workers: options.jobs,
      timeoutMs: options.timeout,
      ...(options.out ? { outDir: options.out } : {}),
      ...(process.stderr.isTTY ? { onProgress: progressBar(process.stderr) } : {}),
      shouldStop: stopped,
    });
    const environment = executor
      ? { ...assumptions, sandbox: executor.sandbox }
      : null;
    const command = `elf-lint fuzz ${argv.join(' ')}`;
    if (options.report) writeFileAtomic(options.report, Buffer.from(reportDocument(result, environment, command)), 0o644);
    if (options.study) {
      writeFileAtomic(options.study, Buffer.from(renderStudy({ result, command, rules: ALL_RULE_METAS })), 0o644);
    }
  } catch (error) {
    // A runner that dies (killed from outside, out of memory) is an environment failure, not a bug.
    if (error instanceof Error && error.message.startsWith('executor runner')) throw new InputError(`the executor failed: ${error.message}`);
    throw error;
  }
  return result;
}

export async function runFuzz(seedPath: string, options: FuzzOptions, argv: readonly string[]): Promise<number> {
  const input = readInput(seedPath, false)!;
  if ('error' in input) throw new InputError(`${seedPath}: ${input.error}`);
  const seed = parseElf(input.bytes);
  if (seed.kind !== 'elf' || !seed.header) throw new InputError(`${seedPath}: not an ELF64 file`);
  const executor = await maybeExecutor(options.exec, seed.header.e_machine, options);
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write('\nelf-lint: interrupted; finishing the mutants in flight and writing the report\n');
  };
  process.on('SIGINT', onSigint);
  let result: CampaignResult;
  try {
    result = await campaignOrExplain(seed, seedPath, options, executor, () => interrupted, argv);
  } finally {
    process.off('SIGINT', onSigint);
    await executor?.close();
  }
  write(`${fieldTable(result)}\n\n${verdictLine(result)}\n`);
  for (const disagreement of result.disagreements.slice(0, 20)) {
    write(`disagreement: mutant ${disagreement.index} ${disagreement.field}=${disagreement.value}: predicted ${disagreement.prediction.verdict}`
      + ` ${disagreement.prediction.errno ?? disagreement.prediction.signal ?? ''}, kernel ${disagreement.outcome.verdict} ${disagreement.outcome.errno ?? disagreement.outcome.signal ?? ''}\n`);
  }
  if (interrupted) return EXIT_INTERRUPTED;
  return result.disagreements.length > 0 ? EXIT_FINDINGS : EXIT_OK;
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
    .option('-j, --jobs <n>', 'runner processes (with --exec) or worker threads (with --no-exec)', parseIntegerIn(1, 64), 2)
    .option('--timeout <ms>', 'wall-clock limit per executed mutant', parseIntegerIn(10, 60_000), 1000);
  addAssumptionOptions(command).action(async (seedPath: string, options: FuzzOptions) => {
    setExit(await runFuzz(seedPath, options, process.argv.slice(3)));
  });
}
