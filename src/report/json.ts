// The versioned JSON report. Fields may be added in later versions; none is
// ever removed or renamed without a new schemaVersion.
import type { Finding } from '../model/finding.js';
import type { FileReport } from './file-report.js';
import { foldedByRule, totals, type BaselineStateOf } from './file-report.js';

export const JSON_SCHEMA_VERSION = 1;

export interface ToolInfo {
  readonly name: string;
  readonly version: string;
}

/** Per rule, the findings left out of `findings` (a rule lists its first few); only when there are some. */
function foldedField(report: FileReport): { folded?: Record<string, number> } {
  const folded = foldedByRule(report.findings);
  return Object.keys(folded).length > 0 ? { folded } : {};
}

export interface JsonOptions {
  /**
   * With a baseline (--baseline): whether each finding, and each failing loader
   * verdict, was already in it. Adds `baselineState` ("unchanged" or "new") to
   * every finding and to `loader` when it returns a state.
   */
  readonly baselineState?: BaselineStateOf;
}

export function renderJson(reports: readonly FileReport[], tool: ToolInfo, options: JsonOptions = {}): string {
  const state = (report: FileReport, finding: Finding | undefined) => {
    const value = options.baselineState?.(report, finding);
    return value !== undefined ? { baselineState: value } : {};
  };
  const document = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: tool.name, version: tool.version },
    files: reports.map((report) => ({
      path: report.path,
      elf: report.elf ?? null,
      ...(report.error !== undefined ? { error: report.error } : {}),
      findings: options.baselineState ? report.findings.map((finding) => ({ ...finding, ...state(report, finding) })) : report.findings,
      ...foldedField(report),
      loader: report.loader
        ? {
          verdict: report.loader.verdict, errno: report.loader.errno, signal: report.loader.signal, because: report.loader.because, reason: report.loader.reason,
          // always present: true when the prediction rests on what the model cannot know (LoaderVerdict.uncertain)
          uncertain: report.loader.uncertain === true,
          // where the verdict is decided (execve, entry, program); null for not-applicable
          stage: report.loader.stage ?? null,
          ...state(report, undefined),
        }
        : null,
    })),
    summary: totals(reports),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
