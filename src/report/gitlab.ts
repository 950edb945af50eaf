// GitLab's code quality report (artifacts:reports:codequality): a JSON array
// of issues, a subset of the Code Climate format. Built from its own types.
//
// - A finding is an issue: check_name is the rule id, severity maps error →
//   major, warning → minor, info → info, location.path is the file's path
//   relative to the working directory (absolute outside it), lines.begin is 1
//   (a binary has no lines; the byte offset is in the description).
// - A failing loader verdict (exec-error, exec-killed, start-fault) is an issue
//   `loader-verdict` of severity critical (major when uncertain).
// - A file that could not be read is an issue `read-error` of severity blocker.
// - fingerprint is the SARIF partialFingerprint (rule id, field path, path, occurrence).
import type { RuleMeta, Severity } from '../model/finding.js';
import type { FileReport } from './file-report.js';
import { FAILING_VERDICTS, Fingerprints, LOADER_VERDICT_RULE, reportPathKey } from './sarif.js';

export type GitLabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface GitLabIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: GitLabSeverity;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

export const READ_ERROR_CHECK = 'read-error';

/** What `elf-lint explain read-error` says: the check_name of an input that could not be read. */
export const READ_ERROR_META: RuleMeta = {
  id: READ_ERROR_CHECK,
  category: 'gabi',
  severity: 'error',
  summary: 'The file could not be read, so nothing in it was checked',
  explanation: `The GitLab code quality report names a file elf-lint could not open or read with this
check (severity blocker): a missing path, a permission denied, a read error of the device. The
description says which. No rule ran on the file and it has no loader verdict; the run's exit code
is 2, and the same reason is a line on stderr.

Fix: make the file readable by the user the job runs as, or leave it out of the paths linted.`,
};

export function gitlabSeverity(severity: Severity): GitLabSeverity {
  return severity === 'error' ? 'major' : severity === 'warning' ? 'minor' : 'info';
}

export function buildGitLab(reports: readonly FileReport[], options: { readonly cwd?: string } = {}): GitLabIssue[] {
  const issues: GitLabIssue[] = [];
  for (const report of reports) {
    const path = reportPathKey(report.path, options.cwd);
    const fingerprints = new Fingerprints(path);
    const location = { path, lines: { begin: 1 } };
    if (report.error !== undefined) {
      issues.push({
        description: `could not be read: ${report.error}`, check_name: READ_ERROR_CHECK,
        fingerprint: fingerprints.next(READ_ERROR_CHECK, ''), severity: 'blocker', location,
      });
      continue;
    }
    for (const finding of report.findings) {
      const where = finding.field !== undefined ? `${finding.field} at 0x${finding.offset.toString(16)}` : `0x${finding.offset.toString(16)}`;
      issues.push({
        description: `${where}: ${finding.message} [${finding.rule}]`,
        check_name: finding.rule,
        fingerprint: fingerprints.next(finding.rule, finding.field ?? ''),
        severity: gitlabSeverity(finding.severity),
        location,
      });
    }
    const loader = report.loader;
    if (loader && FAILING_VERDICTS.has(loader.verdict)) {
      const detail = [loader.errno, loader.signal].filter((part) => part !== null).join(', ');
      const uncertain = loader.uncertain === true;
      issues.push({
        description: `loader: ${loader.verdict}${detail ? ` (${detail})` : ''}${uncertain ? ' (uncertain)' : ''}: ${loader.reason}`,
        check_name: LOADER_VERDICT_RULE,
        fingerprint: fingerprints.next(LOADER_VERDICT_RULE, loader.verdict),
        severity: uncertain ? 'major' : 'critical',
        location,
      });
    }
  }
  return issues;
}

export function renderGitLab(reports: readonly FileReport[], options: { readonly cwd?: string } = {}): string {
  return `${JSON.stringify(buildGitLab(reports, options), null, 2)}\n`;
}
