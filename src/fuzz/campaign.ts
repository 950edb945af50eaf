// A fuzz campaign: mutate a seed, lint and predict every mutant, optionally
// execute it, and compare the kernel's verdict with the prediction.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElfFile } from '../model/elf.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { parseElf } from '../parse/parse.js';
import { fileAssumptions, lintParsed } from '../rules/engine.js';
import { predictExecve, type InterpreterStatus } from '../loader/predict.js';
import { mutate, type Mutant } from './mutate.js';
import { Random } from './random.js';
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
  /** Predictions that rested on an unanalysed first instruction (their agreement is counted as usual). */
  readonly uncertain: number;
  /** field -> outcome key -> stats: the kernel's outcome when executed, else the prediction. */
  readonly byField: Record<string, Record<string, OutcomeStats>>;
  /** rule id -> outcome key -> count: what happened to mutants the rule fired on. */
  readonly byRule: Record<string, Record<string, number>>;
}

const EXAMPLES_KEPT = 6;

export function outcomeKey(outcome: { verdict: string; errno: string | null; signal: string | null }): string {
  if (outcome.verdict === 'exec-error' || outcome.verdict === 'not-applicable') return `${outcome.verdict} ${outcome.errno ?? ''}`.trim();
  if (outcome.verdict === 'exec-killed') return `exec-killed ${outcome.signal ?? ''}`.trim();
  if (outcome.verdict === 'start-fault') return `start-fault ${outcome.signal ?? ''}`.trim();
  return outcome.verdict;
}

/** Does the kernel's verdict match the prediction? Errnos of killed processes are compared when the runner saw them. */
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
  const { verdict, errno, signal, exitCode, laterSignal, timedOut } = outcome;
  return { verdict, errno, signal, exitCode, laterSignal, timedOut };
}

class Tally {
  readonly byField: Record<string, Record<string, OutcomeStats>> = {};
  readonly byRule: Record<string, Record<string, number>> = {};
  readonly disagreements: Disagreement[] = [];
  agreements = 0;
  uncertain = 0;
  completed = 0;

  add(field: string, value: string, key: string, rules: readonly string[]): void {
    const group = field.replace(/^phdr\[\d+\]\./, 'phdr.');
    const outcomes = (this.byField[group] ??= {});
    const stats = (outcomes[key] ??= { count: 0, examples: [] });
    stats.count += 1;
    if (stats.examples.length < EXAMPLES_KEPT && !stats.examples.includes(value)) stats.examples.push(value);
    for (const rule of new Set(rules)) {
      const perRule = (this.byRule[rule] ??= {});
      perRule[key] = (perRule[key] ?? 0) + 1;
    }
    this.completed += 1;
  }
}

interface Analysed {
  readonly index: number;
  readonly mutant: Mutant;
  readonly rules: string[];
  readonly prediction: LoaderVerdict;
}

function analyse(config: CampaignConfig, index: number, interpreter: ((path: string) => InterpreterStatus) | undefined): Analysed {
  const mutant = mutate({ seed: config.seed, assumptions: config.assumptions }, Random.forMutant(config.randomSeed, index));
  const file = parseElf(mutant.bytes);
  const rules = file.kind === 'elf' ? lintParsed(file, { assumptions: config.assumptions }).map((finding) => finding.rule) : ['not-elf'];
  const assumptions = file.kind === 'elf' ? fileAssumptions(file, config.assumptions) : config.assumptions;
  const prediction = predictExecve(file, { assumptions, ...(interpreter ? { interpreter } : {}) });
  return { index, mutant, rules, prediction };
}

function keepDisagreement(config: CampaignConfig, item: Analysed, outcome: ObservedOutcome): Disagreement {
  const disagreement: Disagreement = {
    index: item.index, field: item.mutant.field, value: item.mutant.value, prediction: item.prediction, outcome, rules: item.rules,
  };
  if (config.outDir) {
    mkdirSync(config.outDir, { recursive: true });
    const stem = join(config.outDir, `mutant-${item.index}`);
    writeFileSync(`${stem}.elf`, item.mutant.bytes, { mode: 0o644 });
    writeFileSync(`${stem}.json`, `${JSON.stringify(disagreement, null, 2)}\n`);
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
  if (!executor) {
    for (let index = claim(); index !== undefined; index = claim()) {
      const item = analyse(config, index, undefined);
      tally.add(item.mutant.field, item.mutant.value, outcomeKey(item.prediction), item.rules);
      if (item.prediction.uncertain) tally.uncertain += 1;
      if ((index & 1023) === 0) progress();
    }
  } else {
    const interpreter = interpreterOracle(executor.workDir);
    const lane = async (slot: number): Promise<void> => {
      const path = join(executor.workDir, `mutant-${slot}`);
      for (let index = claim(); index !== undefined; index = claim()) {
        const item = analyse(config, index, interpreter);
        writeFileSync(path, item.mutant.bytes, { mode: 0o755 });
        const outcome = observed(await executor.run(path, config.timeoutMs));
        tally.add(item.mutant.field, item.mutant.value, outcomeKey(outcome), item.rules);
        if (item.prediction.uncertain) tally.uncertain += 1;
        if (agrees(item.prediction, outcome)) tally.agreements += 1;
        else tally.disagreements.push(keepDisagreement(config, item, outcome));
        if ((tally.completed & 255) === 0) progress();
      }
    };
    await Promise.all(Array.from({ length: config.window }, (_, slot) => lane(slot)));
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
    byField: tally.byField,
    byRule: tally.byRule,
  };
}
