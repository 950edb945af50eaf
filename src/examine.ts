// One file, the whole way: parse it, run the rules, predict what execve does.
// The CLI, the fuzzer and the library all go through here.
import { parseElf } from './parse/parse.js';
import { lintParsed, withLoaderFailure, type LintOptions } from './rules/engine.js';
import { predictExecve, type PredictOptions } from './loader/predict.js';
import type { ByteSource, ParsedFile } from './model/elf.js';
import type { Finding } from './model/finding.js';
import type { LoaderVerdict } from './model/loader-verdict.js';

export interface Examination {
  readonly file: ParsedFile;
  readonly findings: Finding[];
  readonly loader: LoaderVerdict;
}

export interface ExamineOptions extends LintOptions {
  /** How the loader model treats interpreters and shared libraries; its assumptions are the rules'. */
  readonly predict?: Omit<PredictOptions, 'assumptions'>;
}

/** Never throws. */
export function examine(source: Uint8Array | ByteSource, options: ExamineOptions = {}): Examination {
  const file = parseElf(source);
  const loader = predictExecve(file, { ...options.predict, ...(options.assumptions ? { assumptions: options.assumptions } : {}) });
  // A failure of the loader model is reported as a finding, as a failing rule is.
  const findings = withLoaderFailure(lintParsed(file, options), loader);
  return { file, findings, loader };
}
