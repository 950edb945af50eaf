// gcc-style text: one `path:0xOFFSET: severity: message [rule]` line per
// finding, then a plain summary.
import type { Finding, Severity } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { plural } from '../model/hex.js';
import type { FileReport } from './file-report.js';
import { totals } from './file-report.js';

export interface TextOptions {
  readonly color: boolean;
}

const COLORS: Record<Severity | 'bold' | 'green' | 'dim', string> = {
  error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', bold: '\u001b[1m', green: '\u001b[32m', dim: '\u001b[2m',
};
const RESET = '\u001b[0m';

function paint(text: string, color: keyof typeof COLORS, options: TextOptions): string {
  return options.color ? `${COLORS[color]}${text}${RESET}` : text;
}

function findingLine(path: string, finding: Finding, options: TextOptions): string {
  const where = `${path}:0x${finding.offset.toString(16)}`;
  return `${paint(where, 'bold', options)}: ${paint(finding.severity, finding.severity, options)}: ${finding.message} ${paint(`[${finding.rule}]`, 'dim', options)}`;
}

function loaderLine(path: string, loader: LoaderVerdict, options: TextOptions): string {
  const detail = [loader.errno, loader.signal].filter((part) => part !== null).join(', ');
  const color = loader.verdict === 'runs' ? 'green' : loader.verdict === 'not-applicable' ? 'dim' : 'error';
  return `${path}: loader: ${paint(loader.verdict, color, options)}${detail ? ` (${detail})` : ''}: ${loader.reason}`;
}

function fileLines(report: FileReport, options: TextOptions): string[] {
  if (report.error !== undefined) return [`${paint(report.path, 'bold', options)}: ${paint('error', 'error', options)}: ${report.error}`];
  const lines = report.findings.map((finding) => findingLine(report.path, finding, options));
  if (report.loader) lines.push(loaderLine(report.path, report.loader, options));
  return lines;
}

function countsText(counts: { errors: number; warnings: number; infos: number }): string {
  return `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}, ${plural(counts.infos, 'info')}`;
}

function summaryLine(reports: readonly FileReport[], options: TextOptions): string {
  const sum = totals(reports);
  const clean = reports.filter((report) => report.error === undefined && report.findings.length === 0).length;
  if (reports.length === 1) {
    const only = reports[0]!;
    if (clean === 1) return `${only.path}: ${paint('clean', 'green', options)} (no findings)`;
    return `${only.path}: ${countsText(sum)}`;
  }
  const verdict = clean === reports.length ? paint('all clean', 'green', options) : `${clean} clean`;
  return `${plural(reports.length, 'file')} checked, ${verdict}: ${countsText(sum)}`;
}

export function renderText(reports: readonly FileReport[], options: TextOptions): string {
  const lines = reports.flatMap((report) => fileLines(report, options));
  lines.push(summaryLine(reports, options));
  return `${lines.join('\n')}\n`;
}
