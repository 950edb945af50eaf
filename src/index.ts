// The library entry point: parse, lint and describe ELF files from code.
// `lint`, `lintFiles`, `parse`, `generate`, `predictLoad`, `toSarif` and
// `layoutMap` are the stable API (the README's "Library" section); they are
// thin wrappers over what the CLI runs, so a file gets the same findings,
// verdict and map either way.
import { parseElf } from './parse/parse.js';
import { lintParsed, type LintOptions } from './rules/engine.js';
import { examine, type Examination, type ExamineOptions } from './examine.js';
import { predictExecve, type PredictOptions } from './loader/predict.js';
import { buildElf, SpecError } from './gen/build.js';
import { specFromJson } from './gen/json.js';
import type { ElfSpec } from './gen/spec.js';
import { renderSarif, type SarifOptions } from './report/sarif.js';
import type { FileReport } from './report/file-report.js';
import { collectInputs, readInput } from './cli/inputs.js';
import { reportForInput } from './cli/lint-options.js';
import { mapOrError, type MapOutcome } from './cli/file-map.js';
import { TOOL } from './cli/io.js';
import type { Finding } from './model/finding.js';
import type { ParsedFile } from './model/elf.js';
import type { LoaderVerdict } from './model/loader-verdict.js';

export { parseElf, hasElfMagic } from './parse/parse.js';
export { lintParsed, type LintOptions } from './rules/engine.js';
export { examine, type Examination, type ExamineOptions } from './examine.js';
export { predictExecve, type PredictOptions } from './loader/predict.js';
export { RULES, RECOMMENDED_RULES, ALL_RULE_METAS, findRuleMeta } from './rules/registry.js';
export type * from './model/elf.js';
export type * from './model/finding.js';
export type { LoaderVerdict } from './model/loader-verdict.js';
export { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from './model/assumptions.js';
export type { ElfSpec } from './gen/spec.js';
export { SpecError } from './gen/build.js';
export type { FileReport, ElfSummary } from './report/file-report.js';
export { buildSarif, type SarifLog, type SarifOptions } from './report/sarif.js';
export type { MapLayout, FileRow, FileRowKind, MemoryRow, MemoryRowKind, Lane, MapLink, MapFinding } from './report/map.js';
export { renderMapText, type MapTextOptions } from './report/map-text.js';
export { renderMapSvg, type MapSvgOptions } from './report/map-svg.js';
export type { MapOutcome } from './cli/file-map.js';

export interface LintResult {
  readonly file: ParsedFile;
  readonly findings: Finding[];
}

/** Parses and lints one file's bytes (no loader prediction). Never throws. */
export function lintBytes(bytes: Uint8Array, options: LintOptions = {}): LintResult {
  const file = parseElf(bytes);
  return { file, findings: lintParsed(file, options) };
}

/** Options of `lint` and `lintFiles`: which rules run, their severities, the target system. */
export type LintFileOptions = ExamineOptions;

/**
 * Parses one file's bytes, runs the rules and predicts what execve does with
 * it: `{ file, findings, loader }`, as `elf-lint lint` reports it. Never throws.
 */
export function lint(bytes: Uint8Array, options: LintFileOptions = {}): Examination {
  return examine(bytes, options);
}

/**
 * Lints files and directories as the CLI does (directories recursively, only
 * files with the ELF magic inside them; `-` is standard input) and returns one
 * report per file, in order. A file that cannot be read gets a report with
 * `error` set; nothing throws and the process is left alone. Configuration
 * files (.elf-lint.json) are not read: pass the options instead.
 */
export function lintFiles(paths: readonly string[], options: LintFileOptions = {}): FileReport[] {
  const reports: FileReport[] = [];
  // One input at a time: a large file stays open only while it is checked.
  for (const input of collectInputs(paths, { onDemand: true })) reports.push(reportForInput(input, options));
  return reports;
}

/** Reads any byte string into the typed model (or `kind: 'not-elf'`). Never throws. */
export const parse: (bytes: Uint8Array) => ParsedFile = parseElf;

function holdsBinaryValues(value: unknown): boolean {
  if (typeof value === 'bigint' || value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(holdsBinaryValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsBinaryValues);
  return false;
}

/**
 * Writes an ELF file from a spec: an `ElfSpec` (bigints, Uint8Arrays), or its
 * JSON form (the text, or the parsed document, as `elf-lint spec` prints and
 * `elf-lint gen --spec` reads). Throws `SpecError` for an invalid spec.
 */
export function generate(spec: ElfSpec | string | object): Uint8Array {
  if (typeof spec === 'object' && holdsBinaryValues(spec)) return buildElf(spec as ElfSpec);
  let document: unknown = spec;
  if (typeof spec === 'string') {
    try {
      document = JSON.parse(spec);
    } catch (error) {
      throw new SpecError(`the spec is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const parsed = specFromJson(document);
  if (!parsed.ok) throw new SpecError(parsed.errors.join('; '));
  return buildElf(parsed.spec);
}

/** What execve does with a file (bytes, or a file `parse` read), by the model of load_elf_binary. Never throws. */
export function predictLoad(file: Uint8Array | ParsedFile, options: PredictOptions = {}): LoaderVerdict {
  return predictExecve(file instanceof Uint8Array ? parseElf(file) : file, options);
}

/** The SARIF 2.1.0 log (as JSON text) of reports from `lintFiles`, as `--format sarif` writes it. */
export function toSarif(reports: readonly FileReport[], options: SarifOptions = {}): string {
  return renderSarif(reports, TOOL, options);
}

/** Options of `layoutMap`: lint's, and the name a map of bytes is drawn under. */
export interface LayoutMapOptions extends LintFileOptions {
  /** The name in the map's title for bytes (default `bytes`); a path names itself. */
  readonly path?: string;
}

/**
 * The layout map of one file, as `elf-lint map` draws it: its bytes, or a
 * path read as lint reads it. `{ map }`, pure data to draw with
 * `renderMapText` or `renderMapSvg`, or `{ error }` when the file cannot be
 * read or is not ELF. Never throws.
 */
export function layoutMap(file: Uint8Array | string, options: LayoutMapOptions = {}): MapOutcome {
  const { path, ...lintOptions } = options;
  // readInput gives nothing only for a non-ELF file when asked to skip those (onlyElf), which it is not here.
  const input = typeof file === 'string' ? readInput(file, false, { onDemand: true, elf: true })! : { path: path ?? 'bytes', bytes: file };
  return mapOrError(input, lintOptions);
}
