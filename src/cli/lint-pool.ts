// Many files on several threads: worker threads take files from one queue,
// one at a time, so a few big files do not leave the others idle, while the
// main thread only hands out paths and keeps the reports. The reports come
// back in input order, so the output is the same for any --jobs.
import { Worker } from 'node:worker_threads';
import { checkSettingsKey, type Checked, type CheckSettings } from './lint-options.js';
import type { LintRequest, LintResponse } from './lint-worker.js';

export interface PoolJob {
  readonly path: string;
  readonly settings: CheckSettings;
  /** The HTML report's map too, from the same parse. */
  readonly withMap: boolean;
}

/**
 * A worker loads and compiles the rules anew, which costs about as much as
 * checking a hundred small files: below this many files per thread the main
 * thread checks them all itself.
 */
export const FILES_PER_THREAD = 64;

/** Files handed to a worker at a time. */
const IN_FLIGHT = 2;

/**
 * How many worker threads `files` files get with `--jobs threads`: none (the
 * main thread checks them) or at least two. A main thread that checks files
 * besides handing them out and keeping every report runs slower than a worker
 * (measured over /usr/bin and /usr/lib/x86_64-linux-gnu on 2 cores: the main
 * thread and one worker 11.4-11.9 s, two workers 8.6-8.9 s), and one worker
 * alone would only add its start-up to the main thread's work.
 */
export function workersFor(files: number, threads: number): number {
  const workers = Math.min(threads, Math.floor(files / FILES_PER_THREAD));
  return workers >= 2 ? workers : 0;
}

/**
 * lint's default --jobs: a checking thread per CPU but one, at least one. A
 * thread that checks files keeps part of another core busy with V8's
 * background compiler and garbage collector, and each worker warms its own
 * compiler up: on 2 CPUs over the 1,737 ELF files of /usr/bin and
 * /usr/lib/x86_64-linux-gnu, the main thread alone took as long as two
 * workers (4.8-5.6 s against 5.0-5.8 s, in alternating runs) with a third
 * less CPU (6.4-7.1 s against 8.8-10.2 s).
 */
export function defaultLintThreads(cpus: number): number {
  return Math.max(1, cpus - 1);
}

/** Checks `jobs` on `workers` worker threads; `onDone` after each file. Rejects when a worker dies, which is a bug. */
export function lintOnThreads(jobs: readonly PoolJob[], workers: number, onDone: () => void = () => {}): Promise<Checked[]> {
  const reports: Checked[] = new Array<Checked>(jobs.length);
  const threads: Worker[] = [];
  let next = 0;
  let finished = 0;
  return new Promise<Checked[]>((resolvePool, rejectPool) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void Promise.all(threads.map((thread) => thread.terminate())).then(outcome);
    };
    const record = (index: number, report: Checked) => {
      reports[index] = report;
      finished += 1;
      onDone();
      if (finished === jobs.length) settle(() => resolvePool(reports));
    };
    // A worker is sent each distinct settings once (`known`, the keys it has); later files name them by key
    // (cloning a hundred rule settings per file cost more than small files take).
    const feed = (thread: Worker, known: Set<string>) => {
      if (next >= jobs.length || settled) return;
      const index = next++;
      const { path, settings, withMap } = jobs[index]!;
      const settingsKey = checkSettingsKey(settings);
      const request: LintRequest = known.has(settingsKey) ? { index, path, settingsKey, withMap } : { index, path, settingsKey, settings, withMap };
      known.add(settingsKey);
      thread.postMessage(request);
    };
    for (let count = 0; count < Math.min(workers, jobs.length); count += 1) {
      // The build bundles the worker (with its imports) into one script, which starts faster than its modules.
      const thread = new Worker(new URL('./lint-worker.cjs', import.meta.url));
      const known = new Set<string>();
      threads.push(thread);
      thread.on('message', (response: LintResponse) => {
        record(response.index, response.checked);
        feed(thread, known);
      });
      thread.on('error', (error) => settle(() => rejectPool(error)));
      // A worker that stops before the work is done died of a bug.
      thread.on('exit', (code) => settle(() => rejectPool(new Error(`a lint worker exited with code ${code} before the run was done`))));
      // Each worker holds its next file while it checks one, so it never waits for the main thread between files.
      for (let queued = 0; queued < IN_FLIGHT; queued += 1) feed(thread, known);
    }
    if (jobs.length === 0) settle(() => resolvePool(reports));
  });
}
