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
  // The rules' own prediction assumes the interpreter exists and predicts shared objects too. When an
  // interpreter oracle was never consulted and the file was predicted, it is this verdict: reuse it.
  const oracle = options.predict?.interpreter;
  let consulted = false;
  const interpreter = oracle && ((path: string) => {
    consulted = true;
    return oracle(path);
  });
  const loader = predictExecve(file, {
    ...options.predict, ...(interpreter ? { interpreter } : {}), ...(options.assumptions ? { assumptions: options.assumptions } : {}),
  });
  const same = !consulted && (options.predict?.sharedObjects === 'predict' || loader.verdict !== 'not-applicable');
  // A failure of the loader model is reported as a finding, as a failing rule is.
  const findings = withLoaderFailure(lintParsed(file, same ? { ...options, prediction: loader } : options), loader);
  return { file, findings, loader };
}
