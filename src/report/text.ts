// gcc-style text: one `path:0xOFFSET: severity: message [rule]` line per
// finding, then a plain summary.
import type { Finding, Severity } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { plural } from '../model/hex.js';
import type { BaselineStateOf, FileReport } from './file-report.js';
import { foldedByRule, totals } from './file-report.js';
import { verdictDetail } from './verdict-detail.js';

export interface TextOptions {
  readonly color: boolean;
  /** Only error findings, and the loader line only when the file would not run. */
  readonly quiet?: boolean;
  /** With a baseline: a finding or failing verdict it does not hold ends with "(new)", as JSON's baselineState says. */
  readonly baselineState?: BaselineStateOf;
}

const COLORS: Record<Severity | 'bold' | 'green' | 'dim', string> = {
  error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', bold: '\u001b[1m', green: '\u001b[32m', dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

function paint(text: string, color: keyof typeof COLORS, options: TextOptions): string {
  return options.color ? `${COLORS[color]}${text}${RESET}` : text;
}

const C_ESCAPES: Record<string, string> = {
  '\\': '\\\\', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

/**
 * A path as one printable line, as GNU `ls --quoting-style=escape` writes it:
 * `\\` for a backslash, C's escape where there is one (`\n`, `\t`, ...), and
 * for other C0 controls, DEL and C1 controls the octal of their UTF-8 bytes
 * (ESC is `\033`), so that a file name cannot forge a line or drive the
 * terminal. Unlike ls, spaces are left as they are.
 */
export function escapePath(path: string): string {
  return path.replace(/[\\\u0000-\u001f\u007f-\u009f]/g, (char) =>
    C_ESCAPES[char] ?? [...Buffer.from(char, 'utf8')].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join(''));
}

function findingLine(path: string, finding: Finding, options: TextOptions): string {
  const where = `${path}:0x${finding.offset.toString(16)}`;
  return `${paint(where, 'bold', options)}: ${paint(finding.severity, finding.severity, options)}: ${finding.message} ${paint(`[${finding.rule}]`, 'dim', options)}`;
}

function loaderLine(path: string, loader: LoaderVerdict, options: TextOptions): string {
  const detail = verdictDetail(loader);
  const color = loader.verdict === 'runs' ? 'green' : loader.verdict === 'not-applicable' ? 'dim' : 'error';
  return `${path}: loader: ${paint(loader.verdict, color, options)}${detail ? ` (${detail})` : ''}: ${loader.reason}`;
}

function fileLines(report: FileReport, options: TextOptions): string[] {
  const path = escapePath(report.path);
  if (report.error !== undefined) return [`${paint(path, 'bold', options)}: ${paint('error', 'error', options)}: ${report.error}`];
  const findings = options.quiet ? report.findings.filter((finding) => finding.severity === 'error') : report.findings;
  /** " (new)" after a finding (or, undefined, the verdict) the baseline does not hold. */
  const mark = (finding: Finding | undefined) => (options.baselineState?.(report, finding) === 'new' ? ` ${paint('(new)', 'bold', options)}` : '');
  const lines = findings.map((finding) => `${findingLine(path, finding, options)}${mark(finding)}`);
  for (const [rule, count] of Object.entries(foldedByRule(findings))) {
    const shown = findings.filter((finding) => finding.rule === rule).length;
    lines.push(`${path}: note: ${count} more ${rule} ${count === 1 ? 'finding' : 'findings'} folded (the first ${shown} are shown)`);
  }
  const loader = report.loader;
  const unremarkable = loader !== undefined && (loader.verdict === 'runs' || loader.verdict === 'not-applicable');
  if (loader && !(options.quiet && unremarkable)) lines.push(`${loaderLine(path, loader, options)}${mark(undefined)}`);
  return lines;
}

function countsText(counts: { errors: number; warnings: number; infos: number; folded: number }): string {
  const folded = counts.folded > 0 ? ` (and ${counts.folded} more folded)` : '';
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')}${folded}`;
}

function summaryLine(reports: readonly FileReport[], options: TextOptions): string {
  // A file that could not be read was not checked: it is counted apart.
  const checked = reports.filter((report) => report.error === undefined);
  const unreadable = reports.length - checked.length;
  const sum = totals(checked);
  const clean = checked.filter((report) => report.findings.length === 0).length;
  if (reports.length === 1) {
    const path = escapePath(reports[0]!.path);
    if (unreadable === 1) return `${path}: could not be read`;
    if (clean === 1) return `${path}: ${paint('clean', 'green', options)} (no findings)`;
    return `${path}: ${countsText(sum)}`;
  }
  const notRead = unreadable > 0 ? `, ${unreadable} could not be read` : '';
  if (checked.length === 0) return `0 files checked${notRead}`;
  // "all clean" only when nothing is missing: a file that could not be read is not clean.
  const verdict = clean === checked.length && unreadable === 0 ? paint('all clean', 'green', options) : `${clean} clean`;
  return `${plural(checked.length, 'file')} checked, ${verdict}: ${countsText(sum)}${notRead}`;
}

export function renderText(reports: readonly FileReport[], options: TextOptions): string {
  const lines = reports.flatMap((report) => fileLines(report, options));
  lines.push(summaryLine(reports, options));
  return `${lines.join('\n')}\n`;
}
