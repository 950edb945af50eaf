// Measure (d) of `npm run bench`: fuzz throughput against a plain C
// fork/exec loop (bench/forkexec.c) on the same seed, same machine, same
// run. Needs Linux x86-64 and cc. Imported by bench/run.mjs after the build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../dist/parse/parse.js';
import { runCampaign } from '../dist/fuzz/campaign.js';
import { startExecutor } from '../dist/fuzz/executor.js';
import { hostAssumptions } from '../dist/fuzz/environment.js';
import { DEFAULT_ASSUMPTIONS } from '../dist/model/assumptions.js';

export const SEED_PATH = new URL('../corpus/hello', import.meta.url).pathname;

/** A scratch directory with the C loop compiled and the seed as an executable; close() removes it. */
export function forkExecLoop() {
  const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-bench-'));
  const binary = join(scratch, 'forkexec');
  const target = join(scratch, 'hello');
  try {
    execFileSync('cc', ['-O2', '-o', binary, new URL('forkexec.c', import.meta.url).pathname]);
    writeFileSync(target, readFileSync(SEED_PATH), { mode: 0o755 });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return {
    command: `${binary} ${target} COUNT`,
    /** execs/s of `processes` loops running at once, `count` execs in all. */
    rate(processes, count) {
      const per = Math.floor(count / processes);
      const script = Array.from({ length: processes }, (_, i) => `"${binary}" "${target}" ${per} 2>/dev/null > "${scratch}/rate-${i}" &`).join('\n');
      const started = performance.now();
      execFileSync('sh', ['-c', `${script}\nwait`], { stdio: ['ignore', 'ignore', 'inherit'] });
      return (per * processes * 1000) / (performance.now() - started);
    },
    close: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

const seed = parseElf(readFileSync(SEED_PATH));

/** Mutants/s of a campaign on corpus/hello: executed with `jobs` runner processes, or linted only with `jobs` threads. */
export async function campaignRate(exec, jobs, count) {
  const executor = exec ? await startExecutor({ jobs }) : undefined;
  try {
    const result = await runCampaign({
      seed, seedPath: SEED_PATH, count, randomSeed: 7,
      assumptions: exec ? hostAssumptions(false) : DEFAULT_ASSUMPTIONS,
      ...(executor ? { executor } : {}), window: jobs * 4, workers: jobs, timeoutMs: 1000,
    });
    return { rate: (result.completed * 1000) / result.durationMs, disagreements: result.disagreements.length };
  } finally {
    await executor?.close();
  }
}
