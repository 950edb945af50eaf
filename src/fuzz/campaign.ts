// A fuzz campaign: mutate a seed, lint and predict every mutant, optionally
// execute it, and compare the kernel's verdict with the prediction.
import { examine } from '../examine.js';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ElfFile } from '../model/elf.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import type { InterpreterStatus } from '../loader/predict.js';
import { mutate, planMutations, type Mutant, type MutationPlan } from './mutate.js';
import { Random } from './random.js';
import { makeDirectories } from './directories.js';
import type { ExecOutcome, Executor } from './executor.js';
import { interpreterOracle } from './environment.js';

export interface CampaignConfig {
  readonly seed: ElfFile;
  readonly seedPath: string;
  readonly count: number;
  readonly randomSeed: number;
  /** Predictions are made for these (the host's, when executing). */
  readonly assumptions: LoaderAssumptions;
  /** Executes the mutants when given. */
  readonly executor?: Executor;
  /** Mutants in flight at once when executing. */
  readonly window: number;
  readonly timeoutMs: number;
  /** Directory that receives every disagreement (the mutant and a JSON note). */
  readonly outDir?: string;
  readonly onProgress?: (progress: Progress) => void;
  /** Worker threads for campaigns that do not execute (compiled builds only). */
  readonly workers?: number;
  /** Polled between mutants: true stops the campaign early (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly disagreements: number;
  readonly elapsedMs: number;
}

export interface OutcomeStats {
  count: number;
  /** The first values that gave this outcome, for the study. */
  readonly examples: string[];
}

export interface Disagreement {
  readonly index: number;
  readonly field: string;
  readonly value: string;
  readonly prediction: LoaderVerdict;
  readonly outcome: ObservedOutcome;
  readonly rules: readonly string[];
}

/** What the kernel did, in the loader model's vocabulary. */
export interface ObservedOutcome {
  readonly verdict: ExecOutcome['verdict'];
  readonly stage: ExecOutcome['stage'];
  readonly errno: string | null;
  readonly signal: string | null;
  readonly exitCode: number | null;
  readonly laterSignal: string | null;
  readonly timedOut: boolean;
}

export interface CampaignResult {
  readonly seedPath: string;
  readonly seedSha256: string;
  readonly randomSeed: number;
  readonly requested: number;
  readonly completed: number;
  readonly executed: boolean;
  readonly interrupted: boolean;
  readonly durationMs: number;
  readonly agreements: number;
  readonly disagreements: Disagreement[];
  /**
   * Predictions that rest on what the model cannot know: an unanalysed first instruction, or
   * where address randomisation puts an ET_DYN image.
   */
  readonly uncertain: number;
  /** Of those, the ones the kernel did not confirm; they are not disagreements. */
  readonly unresolved: number;
  /**
   * Programs with an interpreter that stopped (exited, died, timed out) inside the interpreter,
   * before their own entry point: the dynamic linker's checks are not modelled, so these are
   * neither agreements nor disagreements.
   */
  readonly interpreterStopped: number;
  /** field -> outcome key -> stats: the kernel's outcome when executed, else the prediction. */
  readonly byField: Record<string, Record<string, OutcomeStats>>;
  /** rule id -> outcome key -> count: what happened to mutants the rule fired on. */
  readonly byRule: Record<string, Record<string, number>>;
}

const EXAMPLES_KEPT = 6;

/** --out could not be written (the CLI reports it in one line, exit 2). */
export class CampaignOutputError extends Error {
  override readonly name = 'CampaignOutputError';
}

export function outcomeKey(outcome: { verdict: string; errno: string | null; signal: string | null }): string {
  if (outcome.verdict === 'exec-error' || outcome.verdict === 'not-applicable') return `${outcome.verdict} ${outcome.errno ?? ''}`.trim();
  if (outcome.verdict === 'exec-killed') return `exec-killed ${outcome.signal ?? ''}`.trim();
  if (outcome.verdict === 'start-fault') return `start-fault ${outcome.signal ?? ''}`.trim();
  return outcome.verdict;
}

/** Does the kernel's verdict match the prediction? Errnos of killed processes are compared when the runner saw them. */
/**
 * How a prediction compares with what the kernel did. A program with an interpreter is predicted
 * at its own entry point; when the dynamic linker stopped before getting there, whose checks the
 * model does not cover, the two cannot be compared.
 */
export function compare(prediction: LoaderVerdict, outcome: ObservedOutcome): 'agree' | 'disagree' | 'interpreter-stopped' {
  if (outcome.stage === 'interpreter' && prediction.stage === 'program') return 'interpreter-stopped';
  return agrees(prediction, outcome) ? 'agree' : 'disagree';
}

export function agrees(prediction: LoaderVerdict, outcome: ObservedOutcome): boolean {
  if (prediction.verdict === 'not-applicable') return outcome.verdict === 'exec-error' && outcome.errno === prediction.errno;
  if (prediction.verdict !== outcome.verdict) return false;
  switch (outcome.verdict) {
    case 'exec-error': return prediction.errno === outcome.errno;
    case 'exec-killed': return prediction.signal === outcome.signal && (outcome.errno === null || prediction.errno === outcome.errno);
    case 'start-fault': return prediction.signal === outcome.signal;
    default: return true;
  }
}

function observed(outcome: ExecOutcome): ObservedOutcome {
  const { verdict, stage, errno, signal, exitCode, laterSignal, timedOut } = outcome;
  return { verdict, stage, errno, signal, exitCode, laterSignal, timedOut };
}

const fieldGroups = new Map<string, string>();

/** The tally's row for a mutated field: the fields of every program header share one. */
function fieldGroup(field: string): string {
  let group = fieldGroups.get(field);
  if (group === undefined) {
    group = field.replace(/^phdr\[\d+\]\./, 'phdr.');
    fieldGroups.set(field, group);
  }
  return group;
}

export class Tally {
  readonly byField: Record<string, Record<string, OutcomeStats>> = {};
  readonly byRule: Record<string, Record<string, number>> = {};
  readonly disagreements: Disagreement[] = [];
  agreements = 0;
  uncertain = 0;
  /** Uncertain predictions the kernel did not confirm: not counted as disagreements. */
  unresolved = 0;
  /** Programs whose interpreter stopped before their entry point, where the model predicts the entry. */
  interpreterStopped = 0;
  completed = 0;

  /** `fired`: the rules that fired on the mutant, each once. */
  add(field: string, value: string, key: string, fired: readonly string[]): void {
    const outcomes = (this.byField[fieldGroup(field)] ??= {});
    const stats = (outcomes[key] ??= { count: 0, examples: [] });
    stats.count += 1;
    if (stats.examples.length < EXAMPLES_KEPT && !stats.examples.includes(value)) stats.examples.push(value);
    for (const rule of fired) {
      const perRule = (this.byRule[rule] ??= {});
      perRule[key] = (perRule[key] ?? 0) + 1;
    }
    this.completed += 1;
  }

  /** Adds a tally made elsewhere (a worker thread). */
  merge(other: TallyData): void {
    for (const [field, outcomes] of Object.entries(other.byField)) {
      const mine = (this.byField[field] ??= {});
      for (const [key, stats] of Object.entries(outcomes)) {
        const target = (mine[key] ??= { count: 0, examples: [] });
        target.count += stats.count;
        for (const value of stats.examples) if (target.examples.length < EXAMPLES_KEPT && !target.examples.includes(value)) target.examples.push(value);
      }
    }
    for (const [rule, outcomes] of Object.entries(other.byRule)) {
      const mine = (this.byRule[rule] ??= {});
      for (const [key, count] of Object.entries(outcomes)) mine[key] = (mine[key] ?? 0) + count;
    }
    this.completed += other.completed;
    this.uncertain += other.uncertain;
  }
}

/** The part of a tally a worker sends back. */
export type TallyData = Pick<Tally, 'byField' | 'byRule' | 'completed' | 'uncertain'>;

/**
 * Which of `shares` threads examines a mutant: its key decides (FNV-1a), so that the repeats of a
 * mutant all go to the thread that remembers it, and each distinct mutant is examined once.
 */
export function shareOf(key: string, shares: number): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < key.length; at += 1) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193);
  return (hash >>> 0) % shares;
}

/**
 * Mutants per worker thread of a lint-only campaign: a worker loads the rules
 * and warms its compiler up anew, and mutants repeat more the longer a
 * campaign runs, so a short one is faster on one thread. Measured on 2 CPUs
 * (mutants of hello per second, one thread against two workers): 16,900
 * against 15,400 at 50,000; 30,600 against 28,000 at 100,000; 37,200 against
 * 36,300 at 200,000; 48,900 against 66,600 at 10^6.
 */
export const MUTANTS_PER_WORKER = 100_000;

/** The threads of a lint-only campaign of `count` mutants with `--jobs threads`: 1 (the main thread alone) or at least two workers. */
export function lintWorkersFor(count: number, threads: number): number {
  const workers = Math.min(threads, Math.floor(count / MUTANTS_PER_WORKER));
  return workers >= 2 ? workers : 1;
}

/** Lints and predicts, into a tally, the mutants below count that are share `share` of `shares` (no execution). */
export function lintRange(plan: MutationPlan, randomSeed: number, range: { share: number; shares: number; count: number }, shouldStop: () => boolean, tick?: (tally: Tally) => void): Tally {
  const tally = new Tally();
  const memo = new ExaminationMemo(plan);
  for (let index = 0; index < range.count && !shouldStop(); index += 1) {
    const mutant = mutate(plan, Random.forMutant(randomSeed, index));
    if (range.shares > 1 && shareOf(mutant.key, range.shares) !== range.share) continue;
    const { fired, predicted, prediction } = memo.examination(mutant);
    tally.add(mutant.field, mutant.value, predicted, fired);
    if (prediction.uncertain) tally.uncertain += 1;
    if ((tally.completed & 1023) === 0) tick?.(tally);
  }
  return tally;
}

interface Examination {
  /** The rule of each finding, in the findings' order. */
  readonly rules: readonly string[];
  /** The same rules, each once. */
  readonly fired: readonly string[];
  readonly prediction: LoaderVerdict;
  /** outcomeKey of the prediction. */
  readonly predicted: string;
}

interface Analysed extends Examination {
  readonly index: number;
  readonly mutant: Mutant;
}

/** Examinations kept per campaign (or worker thread): every distinct mutant of some 500,000 mutants of hello; about 200 bytes each (measured), 13 MB when full. */
const MEMO_ENTRIES = 1 << 16;

/**
 * What examine said of each mutant key. Examining is a function of the bytes (and the campaign's
 * fixed assumptions and interpreter oracle), and a long campaign repeats its mutants: threshold
 * values and bit flips come round again, so 20,000 mutants of hello are 2,462 distinct files.
 * Once full, it keeps what it has and examines the rest.
 */
export class ExaminationMemo {
  readonly #examinations = new Map<string, Examination>();
  hits = 0;

  constructor(private readonly plan: MutationPlan, private readonly interpreter?: (path: string) => InterpreterStatus) {}

  examination(mutant: Mutant): Examination {
    const known = this.#examinations.get(mutant.key);
    if (known) {
      this.hits += 1;
      return known;
    }
    // Mutants are executed whatever they are, so libraries get a prediction too.
    const { findings, loader } = examine(mutant.bytes, {
      assumptions: this.plan.assumptions, predict: { sharedObjects: 'predict', ...(this.interpreter ? { interpreter: this.interpreter } : {}) },
    });
    const rules = findings.map((finding) => finding.rule);
    const fresh = { rules, fired: [...new Set(rules)], prediction: loader, predicted: outcomeKey(loader) };
    if (this.#examinations.size < MEMO_ENTRIES) this.#examinations.set(mutant.key, fresh);
    return fresh;
  }
}

/** Mutant `index`: built, linted and predicted (once per distinct mutant). */
export function analyse(plan: MutationPlan, randomSeed: number, index: number, memo: ExaminationMemo): Analysed {
  const mutant = mutate(plan, Random.forMutant(randomSeed, index));
  return { index, mutant, ...memo.examination(mutant) };
}

function keepDisagreement(config: CampaignConfig, item: Analysed, outcome: ObservedOutcome): Disagreement {
  const disagreement: Disagreement = {
    index: item.index, field: item.mutant.field, value: item.mutant.value, prediction: item.prediction, outcome, rules: item.rules,
  };
  if (config.outDir) {
    try {
      makeDirectories(config.outDir);
      const stem = join(config.outDir, `mutant-${item.index}`);
      writeFileSync(`${stem}.elf`, item.mutant.bytes, { mode: 0o644 });
      writeFileSync(`${stem}.json`, `${JSON.stringify(disagreement, null, 2)}\n`);
    } catch (error) {
      throw new CampaignOutputError(`cannot write to ${config.outDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return disagreement;
}

export async function runCampaign(config: CampaignConfig): Promise<CampaignResult> {
  const started = performance.now();
  const tally = new Tally();
  let next = 0;
  let stopped = false;
  const progress = () => config.onProgress?.({ done: tally.completed, total: config.count, disagreements: tally.disagreements.length, elapsedMs: performance.now() - started });
  const claim = (): number | undefined => {
    if (stopped || next >= config.count) return undefined;
    if (config.shouldStop?.()) {
      stopped = true;
      return undefined;
    }
    return next++;
  };
  const executor = config.executor;
  const plan = planMutations({ seed: config.seed, assumptions: config.assumptions });
  if (!executor && (config.workers ?? 1) > 1) {
    stopped = await lintInWorkers(config, tally, progress);
  } else if (!executor) {
    const shouldStop = () => (stopped ||= config.shouldStop?.() ?? false);
    tally.merge(lintRange(plan, config.randomSeed, { share: 0, shares: 1, count: config.count }, shouldStop, (partial) => {
      config.onProgress?.({ done: partial.completed, total: config.count, disagreements: 0, elapsedMs: performance.now() - started });
    }));
  } else {
    const interpreter = executor.interpreter ?? interpreterOracle(executor.workDir);
    const memo = new ExaminationMemo(plan, interpreter);
    const lane = async (): Promise<void> => {
      for (let index = claim(); index !== undefined; index = claim()) {
        const item = analyse(plan, config.randomSeed, index, memo);
        // The runner writes the mutant itself, so no descriptor of ours can make it ETXTBSY.
        const outcome = observed(await executor.runBytes(item.mutant.bytes, { timeoutMs: config.timeoutMs }));
        tally.add(item.mutant.field, item.mutant.value, outcomeKey(outcome), item.fired);
        if (item.prediction.uncertain) tally.uncertain += 1;
        const comparison = compare(item.prediction, outcome);
        if (comparison === 'interpreter-stopped') tally.interpreterStopped += 1;
        else if (comparison === 'agree') tally.agreements += 1;
        else if (item.prediction.uncertain) tally.unresolved += 1;
        else tally.disagreements.push(keepDisagreement(config, item, outcome));
        if ((tally.completed & 255) === 0) progress();
      }
    };
    await Promise.all(Array.from({ length: config.window }, () => lane()));
  }
  progress();
  return {
    seedPath: config.seedPath,
    seedSha256: createHash('sha256').update(config.seed.bytes).digest('hex'),
    randomSeed: config.randomSeed,
    requested: config.count,
    completed: tally.completed,
    executed: executor !== undefined,
    interrupted: stopped,
    durationMs: Math.round(performance.now() - started),
    agreements: tally.agreements,
    disagreements: tally.disagreements,
    uncertain: tally.uncertain,
    unresolved: tally.unresolved,
    interpreterStopped: tally.interpreterStopped,
    byField: tally.byField,
    byRule: tally.byRule,
  };
}

/** Spreads a lint-only campaign over worker threads; returns whether it was stopped early. */
async function lintInWorkers(config: CampaignConfig, tally: Tally, progress: () => void): Promise<boolean> {
  const workers = config.workers ?? 1;
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const done = new Array<number>(workers).fill(0);
  const started = performance.now();
  const poll = setInterval(() => {
    if (config.shouldStop?.()) Atomics.store(stopFlag, 0, 1);
    config.onProgress?.({ done: done.reduce((a, b) => a + b, 0), total: config.count, disagreements: 0, elapsedMs: performance.now() - started });
  }, 100);
  try {
    const results = await Promise.all(Array.from({ length: workers }, (_, share) => new Promise<TallyData>((resolve, reject) => {
      // The build bundles the worker with what it imports into one script, which starts faster than its modules.
      const worker = new Worker(new URL('./lint-worker.cjs', import.meta.url), {
        workerData: { bytes: config.seed.bytes, assumptions: config.assumptions, randomSeed: config.randomSeed, share, shares: workers, count: config.count, stopFlag },
      });
      worker.on('message', (message: { progress?: number; tally?: TallyData }) => {
        if (message.progress !== undefined) done[share] = message.progress;
        if (message.tally) resolve(message.tally);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (code !== 0) reject(new Error(`lint worker exited with ${code}`)); });
    })));
    for (const result of results) tally.merge(result);
  } finally {
    clearInterval(poll);
  }
  progress();
  return Atomics.load(stopFlag, 0) === 1;
}
