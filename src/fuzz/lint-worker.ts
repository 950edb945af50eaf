// A worker thread of a lint-only campaign: it rebuilds the plan from the seed
// bytes and lints its share of the mutant indices.
import { parentPort, workerData } from 'node:worker_threads';
import type { LoaderAssumptions } from '../model/assumptions.js';
import { parseElf } from '../parse/parse.js';
import { lintRange } from './campaign.js';
import { planMutations } from './mutate.js';

interface Job {
  readonly bytes: Uint8Array;
  readonly assumptions: LoaderAssumptions;
  readonly randomSeed: number;
  readonly share: number;
  readonly shares: number;
  readonly count: number;
  readonly stopFlag: Int32Array;
}

const job = workerData as Job;
const seed = parseElf(job.bytes);
if (seed.kind !== 'elf') throw new Error('the seed is not an ELF file');
const plan = planMutations({ seed, assumptions: job.assumptions });
const tally = lintRange(plan, job.randomSeed, job, () => Atomics.load(job.stopFlag, 0) === 1, (partial) => parentPort?.postMessage({ progress: partial.completed }));
const { byField, byRule, completed, uncertain } = tally;
parentPort?.postMessage({ tally: { byField, byRule, completed, uncertain } });
