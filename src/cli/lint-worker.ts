// A lint worker thread: it receives a path and the key of the settings that
// apply to it (the settings themselves with the first file that uses them),
// reads the file itself (by ranges, as the main thread would) and posts the
// report (and, for the HTML report, the map) back. One file at a time, so
// that the pool balances big and small files.
import { parentPort } from 'node:worker_threads';
import type { LintOptions } from '../rules/engine.js';
import { checkPathWith, lintOptionsFor, type Checked, type CheckSettings } from './lint-options.js';

export interface LintRequest {
  readonly index: number;
  readonly path: string;
  /** checkSettingsKey of the file's settings. */
  readonly settingsKey: string;
  /** The settings themselves, the first time this worker is sent them. */
  readonly settings?: CheckSettings;
  readonly withMap: boolean;
}

export interface LintResponse {
  readonly index: number;
  readonly checked: Checked;
}

const optionsByKey = new Map<string, LintOptions>();

parentPort?.on('message', (request: LintRequest) => {
  if (request.settings) optionsByKey.set(request.settingsKey, lintOptionsFor(request.settings, new Map()));
  const options = optionsByKey.get(request.settingsKey);
  // The pool sends every key's settings before its first use; a key without them is a bug, reported as the worker's failure.
  if (!options) throw new Error(`lint worker: no settings for key ${request.settingsKey}`);
  const checked = checkPathWith(request.path, options, request.withMap);
  parentPort?.postMessage({ index: request.index, checked } satisfies LintResponse);
});
