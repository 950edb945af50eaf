// A lint worker thread: it receives a path and the settings that apply to it,
// reads the file itself (by ranges, as the main thread would) and posts the
// report back. One file at a time, so that the pool balances big and small files.
import { parentPort } from 'node:worker_threads';
import type { LintOptions } from '../rules/engine.js';
import { reportForPath, type CheckSettings } from './lint-options.js';
import type { FileReport } from '../report/file-report.js';

export interface LintRequest {
  readonly index: number;
  readonly path: string;
  readonly settings: CheckSettings;
}

export interface LintResponse {
  readonly index: number;
  readonly report: FileReport;
}

const cache = new Map<string, LintOptions>();

parentPort?.on('message', (request: LintRequest) => {
  const report = reportForPath(request.path, request.settings, cache);
  parentPort?.postMessage({ index: request.index, report } satisfies LintResponse);
});
