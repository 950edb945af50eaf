// Measure (d) of `npm run bench`: fuzz throughput against a plain C
// fork/exec loop (bench/forkexec.c) on the same seed, same machine, same
// run. Needs Linux x86-64 and cc. Imported by bench/run.mjs after the build.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
      execFileSync('sh', ['-c', `${script}\nwait`], { stdio: ['ignore', 'ignore', 'pipe'] });
      return (per * processes * 1000) / (performance.now() - started);
    },
    close: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

/**
 * Mutants/s of a campaign on corpus/hello run by the CLI (`cli`), as a user runs it: a fresh
 * process with its runners (or, with `--no-exec`, worker threads as --jobs and the count decide),
 * V8 warmed up by nothing but the campaign. The rate is the campaign's own (its report's
 * durationMs), without the process's start-up.
 */
export function cliCampaignRate(cli, { exec, jobs, count }) {
  const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-bench-campaign-'));
  try {
    const report = join(scratch, 'report.json');
    const mode = exec ? '--exec' : '--no-exec';
    execFileSync(process.execPath, [cli, 'fuzz', SEED_PATH, mode, '--seed', '7', '--jobs', String(jobs), '--count', String(count), '--report', report], { stdio: ['ignore', 'ignore', 'pipe'] });
    const { completed, durationMs } = JSON.parse(readFileSync(report, 'utf8'));
    return (completed * 1000) / durationMs;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
