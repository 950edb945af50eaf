// The library entry point: parse, lint and describe ELF files from code.
import { parseElf } from './parse/parse.js';
import { lintParsed, type LintOptions } from './rules/engine.js';
import type { Finding } from './model/finding.js';
import type { ParsedFile } from './model/elf.js';

export { parseElf, hasElfMagic } from './parse/parse.js';
export { lintParsed, type LintOptions } from './rules/engine.js';
export { examine, type Examination, type ExamineOptions } from './examine.js';
export { predictExecve, type PredictOptions } from './loader/predict.js';
export { RULES, ALL_RULE_METAS, findRuleMeta } from './rules/registry.js';
export type * from './model/elf.js';
export type * from './model/finding.js';
export { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from './model/assumptions.js';

export interface LintResult {
  readonly file: ParsedFile;
  readonly findings: Finding[];
}

/** Parses and lints one file's bytes. Never throws. */
export function lintBytes(bytes: Uint8Array, options: LintOptions = {}): LintResult {
  const file = parseElf(bytes);
  return { file, findings: lintParsed(file, options) };
}
