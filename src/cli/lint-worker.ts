// A lint worker thread: it receives a path and the settings that apply to it,
// reads the file itself (by ranges, as the main thread would) and posts the
// report (and, for the HTML report, the map) back. One file at a time, so
// that the pool balances big and small files.
import { parentPort } from 'node:worker_threads';
import type { LintOptions } from '../rules/engine.js';
import { checkPath, type Checked, type CheckSettings } from './lint-options.js';

export interface LintRequest {
  readonly index: number;
  readonly path: string;
  readonly settings: CheckSettings;
  readonly withMap: boolean;
}

export interface LintResponse {
  readonly index: number;
  readonly checked: Checked;
}

const cache = new Map<string, LintOptions>();

parentPort?.on('message', (request: LintRequest) => {
  const checked = checkPath(request.path, request.settings, cache, request.withMap);
  parentPort?.postMessage({ index: request.index, checked } satisfies LintResponse);
});
