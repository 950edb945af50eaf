// Baselines: `--write-baseline FILE` records the findings (and failing loader
// verdicts) of a run; `--baseline FILE` then counts only what is new. Findings
// are matched by fingerprint (rule id + field path + path relative to the
// working directory, src/report/fingerprint.ts), so they survive changes
// elsewhere in the file that move byte offsets.
import { readFileSync } from 'node:fs';
import type { Finding } from '../../model/finding.js';
import type { FileReport } from '../../report/file-report.js';
import { findingKey, fingerprintPath, fingerprintText } from '../../report/fingerprint.js';
import { InputError, UsageError } from '../exit-codes.js';
import { parseJsonText } from '../json-text.js';
import { systemMessage } from '../system-error.js';
import { FAILING_VERDICTS, type FailingVerdict } from './settings.js';

export const BASELINE_VERSION = 1;

/** SARIF's and the JSON report's word for a finding measured against a baseline. */
export type BaselineState = 'unchanged' | 'new';

/** The baseline file as written; schema.ts validates one read back. */
export interface BaselineDocument {
  readonly elfLintBaseline: typeof BASELINE_VERSION;
  readonly findings: readonly { readonly rule: string; readonly field: string; readonly path: string }[];
  readonly verdicts: readonly { readonly path: string; readonly verdict: FailingVerdict }[];
}

export interface Baseline {
  /** fingerprintText of every recorded finding. */
  readonly findings: ReadonlySet<string>;
  /** `path|verdict` of every recorded failing verdict. */
  readonly verdicts: ReadonlySet<string>;
}

const verdictKey = (path: string, verdict: string) => `${path}|${verdict}`;

export function baselineFromDocument(document: BaselineDocument): Baseline {
  return {
    findings: new Set(document.findings.map((entry) => fingerprintText(entry))),
    verdicts: new Set(document.verdicts.map((entry) => verdictKey(entry.path, entry.verdict))),
  };
}

/** The baseline document of a run, sorted so that it diffs well under version control. */
export function baselineDocument(reports: readonly FileReport[], cwd?: string): BaselineDocument {
  const findings = new Map<string, { rule: string; field: string; path: string }>();
  const verdicts = new Map<string, { path: string; verdict: FailingVerdict }>();
  for (const report of reports) {
    for (const finding of report.findings) {
      const key = findingKey(finding, report.path, cwd);
      findings.set(fingerprintText(key), { ...key });
    }
    const verdict = report.loader?.verdict;
    const failing = FAILING_VERDICTS.find((kind) => kind === verdict);
    if (failing) {
      const path = fingerprintPath(report.path, cwd);
      verdicts.set(verdictKey(path, failing), { path, verdict: failing });
    }
  }
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
  return { elfLintBaseline: BASELINE_VERSION, findings: sorted(findings), verdicts: sorted(verdicts) };
}

/** Reads a baseline file: InputError when it cannot be read, UsageError when it is not a baseline. */
export async function loadBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read baseline ${path}: ${systemMessage(error)}`);
  }
  let document: unknown;
  try {
    document = parseJsonText(text);
  } catch (error) {
    throw new UsageError(`${path}: not a baseline: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { baselineFromJson } = await import('./schema.js');
  const result = baselineFromJson(document);
  if (!result.ok) throw new UsageError(`${path}: not an elf-lint baseline (write one with --write-baseline): ${result.error}`);
  return baselineFromDocument(result.document);
}

/** Whether `finding`, reported for the file at `path`, is in the baseline. */
export function isBaselined(baseline: Baseline, finding: Pick<Finding, 'rule' | 'field'>, path: string, cwd?: string): boolean {
  return baseline.findings.has(fingerprintText(findingKey(finding, path, cwd)));
}

export function baselineState(baseline: Baseline, finding: Pick<Finding, 'rule' | 'field'>, path: string, cwd?: string): BaselineState {
  return isBaselined(baseline, finding, path, cwd) ? 'unchanged' : 'new';
}

/** Whether the report's loader verdict is in the baseline (same file, same verdict kind). */
export function isVerdictBaselined(baseline: Baseline, report: Pick<FileReport, 'path' | 'loader'>, cwd?: string): boolean {
  return report.loader !== undefined && baseline.verdicts.has(verdictKey(fingerprintPath(report.path, cwd), report.loader.verdict));
}
