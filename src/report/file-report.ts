// The per-file result every output format renders.
import type { ParsedFile } from '../model/elf.js';
import type { Finding, Severity } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { ELF_MACHINE_NAMES, ELF_TYPE_NAMES, nameOr } from '../model/constants.js';

export interface ElfSummary {
  readonly class: string;
  readonly data: string;
  readonly type: string;
  readonly machine: string;
}

export interface FileReport {
  readonly path: string;
  /** Undefined when the file is not ELF or could not be read. */
  readonly elf: ElfSummary | undefined;
  readonly findings: readonly Finding[];
  /** What execve would do with the file; undefined when it could not be read. */
  readonly loader?: LoaderVerdict;
  /** Set when the file could not be read at all. */
  readonly error?: string;
}

/**
 * With a baseline (--baseline): whether a finding, or the file's failing loader
 * verdict (`finding` undefined), was already in it; undefined when there is
 * nothing to say. JSON and SARIF both report it as `baselineState`.
 */
export type BaselineStateOf = (report: FileReport, finding: Finding | undefined) => 'unchanged' | 'new' | undefined;

export interface Totals {
  readonly files: number;
  /** Of `files`, those that could not be read at all. */
  readonly unreadable: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Findings not listed: folded into the first few of their rule (Finding.folded). */
  readonly folded: number;
}

export function summarizeElf(file: ParsedFile): ElfSummary | undefined {
  if (file.kind !== 'elf') return undefined;
  return {
    class: file.layout.elfClass,
    data: file.byteOrder,
    type: file.header ? nameOr(ELF_TYPE_NAMES, file.header.e_type) : 'unknown',
    machine: file.header ? nameOr(ELF_MACHINE_NAMES, file.header.e_machine) : 'unknown',
  };
}

export function countBySeverity(findings: readonly Finding[], severity: Severity): number {
  return findings.reduce((count, finding) => count + (finding.severity === severity ? 1 : 0), 0);
}

/** How many findings of each rule were folded, by rule id (only rules with folded findings). */
export function foldedByRule(findings: readonly Finding[]): Record<string, number> {
  const folded: Record<string, number> = {};
  for (const finding of findings) {
    if (finding.folded) folded[finding.rule] = (folded[finding.rule] ?? 0) + finding.folded;
  }
  return folded;
}

export function totals(reports: readonly FileReport[]): Totals {
  const all = reports.flatMap((report) => report.findings);
  return {
    files: reports.length,
    unreadable: reports.filter((report) => report.error !== undefined).length,
    errors: countBySeverity(all, 'error'),
    warnings: countBySeverity(all, 'warning'),
    infos: countBySeverity(all, 'info'),
    folded: all.reduce((count, finding) => count + (finding.folded ?? 0), 0),
  };
}
