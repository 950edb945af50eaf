// From a file's effective settings to the engine's options, and one file's
// report (and layout map, for the HTML report). The main thread and the lint
// workers both go through here, so a file gets the same report whichever
// thread checks it, and is read and parsed once.
import { examine, type ExamineOptions } from '../examine.js';
import type { LintOptions } from '../rules/engine.js';
import { RULES } from '../rules/registry.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from '../model/assumptions.js';
import type { Severity } from '../model/finding.js';
import { summarizeElf, type FileReport } from '../report/file-report.js';
import { buildMap, type MapLayout } from '../report/map.js';
import { collectInputs, readingInput, type Input } from './inputs.js';
import type { RuleSetting, TargetConfig } from './config/settings.js';

/** What decides a file's engine options: which rules run at which severity, and the target. */
export interface CheckSettings {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly target: TargetConfig;
}

/** The loader assumptions of a configured target. */
function assumptionsOf(target: TargetConfig): LoaderAssumptions {
  return {
    ...DEFAULT_ASSUMPTIONS, privileged: target.privileged ?? false,
    disabledLoaders: target.without ?? [], overcommit: target.overcommit ?? 'guess', cpuidFaults: target.cpuidFaults ?? false,
    ...(target.memory !== undefined ? { memory: target.memory } : {}),
    ...(target.pageSize !== undefined ? { pageSize: target.pageSize } : {}),
    ...(target.mmapMinAddr !== undefined ? { mmapMinAddr: target.mmapMinAddr } : {}),
    ...(target.machine !== undefined ? { machine: target.machine } : {}),
  };
}

/** Keys already made, by the settings' rules and target objects (files under one configuration share them). */
const keys = new WeakMap<object, WeakMap<object, string>>();

/** Settings with equal keys give equal engine options. */
export function checkSettingsKey(settings: CheckSettings): string {
  let byTarget = keys.get(settings.rules);
  if (!byTarget) keys.set(settings.rules, (byTarget = new WeakMap()));
  let key = byTarget.get(settings.target);
  if (key === undefined) {
    key = JSON.stringify([settings.rules, settings.target], (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    byTarget.set(settings.target, key);
  }
  return key;
}

/** The engine's options for a file's settings; files with the same settings share them through `cache`. */
export function lintOptionsFor(settings: CheckSettings, cache: Map<string, LintOptions>): LintOptions {
  const key = checkSettingsKey(settings);
  let options = cache.get(key);
  if (!options) {
    const rules = RULES.filter((rule) => settings.rules[rule.id] !== 'off');
    const severities: Record<string, Severity> = {};
    for (const rule of rules) {
      const setting = settings.rules[rule.id];
      if (setting !== undefined && setting !== 'off' && setting !== rule.severity) severities[rule.id] = setting;
    }
    options = { assumptions: assumptionsOf(settings.target), rules, severities };
    cache.set(key, options);
  }
  return options;
}

/** A file's report and, when asked for (the HTML report), its layout map, made from the same parse. */
export interface Checked {
  readonly report: FileReport;
  /** Plain data, so a worker thread can post it; absent unless asked for, or when the file is not ELF. */
  readonly map?: MapLayout;
}

/** One input's report (and map); an open file is closed whatever happens. Never throws for anything in the file. */
export function checkInput(input: Input, options: ExamineOptions, withMap: boolean): Checked {
  if ('error' in input) return { report: { path: input.path, elf: undefined, findings: [], error: input.error } };
  return readingInput(input, (source) => {
    const { file, findings, loader } = examine(source, options);
    const report: FileReport = { path: input.path, elf: summarizeElf(file), findings, loader };
    if (!withMap || file.kind !== 'elf') return { report };
    return { report, map: buildMap({ path: input.path, file, findings, loader, assumptions: options.assumptions ?? DEFAULT_ASSUMPTIONS }) };
  });
}

export function reportForInput(input: Input, options: ExamineOptions): FileReport {
  return checkInput(input, options, false).report;
}

/** A regular file named by its path, read as the main thread reads it (the lint pool's workers do this). */
export function checkPath(path: string, settings: CheckSettings, cache: Map<string, LintOptions>, withMap: boolean): Checked {
  return checkPathWith(path, lintOptionsFor(settings, cache), withMap);
}

/** checkPath with the engine options already made. */
export function checkPathWith(path: string, options: ExamineOptions, withMap: boolean): Checked {
  // A file path gives exactly one input: the file, or why it cannot be read.
  const [input] = [...collectInputs([path], { onDemand: true })];
  return input ? checkInput(input, options, withMap) : { report: { path, elf: undefined, findings: [], error: 'cannot read: the file disappeared' } };
}
