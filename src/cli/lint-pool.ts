// Many files on several threads: the main thread and `threads - 1` workers
// take files from one queue, one at a time, so a few big files do not leave
// the others idle; the reports come back in input order, so the output is the
// same for any --jobs.
import { Worker } from 'node:worker_threads';
import type { Checked, CheckSettings } from './lint-options.js';
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

/** How many worker threads `files` files get with `--jobs threads` (the main thread works too). */
export function workersFor(files: number, threads: number): number {
  return Math.max(0, Math.min(threads, Math.floor(files / FILES_PER_THREAD)) - 1);
}

/**
 * Checks `jobs` on the main thread (`checkHere`) and `workers` worker threads;
 * `onDone` after each file. Rejects when a worker dies, which is a bug.
 */
export function lintOnThreads(
  jobs: readonly PoolJob[], workers: number, checkHere: (job: PoolJob) => Checked, onDone: () => void = () => {},
): Promise<Checked[]> {
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
    const feed = (thread: Worker) => {
      if (next >= jobs.length || settled) return;
      const index = next++;
      const { path, settings, withMap } = jobs[index]!;
      thread.postMessage({ index, path, settings, withMap } satisfies LintRequest);
    };
    for (let count = 0; count < Math.min(workers, jobs.length); count += 1) {
      // The build bundles the worker (with its imports) into one script, which starts faster than its modules.
      const thread = new Worker(new URL('./lint-worker.cjs', import.meta.url));
      threads.push(thread);
      thread.on('message', (response: LintResponse) => {
        record(response.index, response.checked);
        feed(thread);
      });
      thread.on('error', (error) => settle(() => rejectPool(error)));
      // A worker that stops before the work is done died of a bug.
      thread.on('exit', (code) => settle(() => rejectPool(new Error(`a lint worker exited with code ${code} before the run was done`))));
      feed(thread);
    }
    // The main thread checks one file per turn of the event loop, so the workers' reports are taken in between.
    const checkNext = () => {
      if (next >= jobs.length || settled) return;
      const index = next++;
      record(index, checkHere(jobs[index]!));
      setImmediate(checkNext);
    };
    if (jobs.length === 0) settle(() => resolvePool(reports));
    else setImmediate(checkNext);
  });
}
