// Runs the rules over a parsed file and turns their reports into findings.
import type { ElfFile, NotElfFile, ParsedFile } from '../model/elf.js';
import type { Finding, RuleMeta, Severity } from '../model/finding.js';
import { compareFindings } from '../model/finding.js';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions, type LoaderAssumptions, type ResolvedAssumptions } from '../model/assumptions.js';
import { classify } from '../model/kind.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { chooseHandler, predictExecve, type HandlerChoice } from '../loader/predict.js';
import { locateField, type ByteRange } from '../model/layout.js';
import { hex } from '../model/hex.js';
import type { Report, Rule, RuleContext } from './rule.js';
import { RECOMMENDED_RULES } from './registry.js';
import { INTERNAL_ERROR, NOT_ELF } from './builtin.js';

export interface LintOptions {
  readonly assumptions?: LoaderAssumptions;
  /** Rules to run; defaults to the recommended ones (every rule but the opt-in ones, as the default profile). */
  readonly rules?: readonly Rule[];
  /** Severity to stamp on a rule's findings instead of its own (by rule id); the rule objects stay as they are. */
  readonly severities?: Readonly<Record<string, Severity>>;
  /**
   * The loader model's verdict for this file with these assumptions and shared
   * objects predicted, when the caller has it already (examine does): the
   * rules that read the verdict then do not compute it again.
   */
  readonly prediction?: LoaderVerdict;
}

function textOf(value: bigint | number | string): string {
  return typeof value === 'bigint' ? hex(value) : String(value);
}

/**
 * A finding always points inside the file. When the bytes it names lie past
 * the end (a truncated file, whose missing header bytes read as zero), it
 * points at what is left, and the message says the rest is missing.
 */
function clampToFile(range: ByteRange, size: number): { range: ByteRange; cut: 'inside' | 'past' | 'partly' } {
  if (range.offset + range.length <= size) return { range, cut: 'inside' };
  if (range.offset >= size) return { range: { offset: size, length: 0 }, cut: 'past' };
  return { range: { offset: range.offset, length: size - range.offset }, cut: 'partly' };
}

function toFinding(meta: RuleMeta, elf: ElfFile, report: Report, severity: Severity): Finding {
  const located = report.range ?? locateField(elf, report.field) ?? { offset: 0, length: 0 };
  const { range, cut } = clampToFile(located, elf.size);
  // A rule's own range names bytes; otherwise the range is the field's.
  const what = report.range ? 'it' : 'the field';
  const note = cut === 'past' ? ` (${what} lies past the end of the ${elf.size}-byte file)`
    : cut === 'partly' ? ` (${what} runs past the end of the ${elf.size}-byte file)` : '';
  // The value of a field wholly past the end was never in the file: it is missing, whatever it reads as.
  const actual = cut === 'past' && !report.range ? 'missing' : report.actual;
  return {
    rule: meta.id,
    severity,
    category: meta.category,
    message: `${report.message}${note}`,
    offset: range.offset,
    length: range.length,
    field: report.field,
    ...(actual !== undefined ? { actual: textOf(actual) } : {}),
    ...(report.expected !== undefined ? { expected: report.expected } : {}),
  };
}

export function notElfFinding(file: NotElfFile): Finding {
  const head = Buffer.from(file.head.subarray(0, 4)).toString('hex');
  return {
    rule: NOT_ELF.id,
    severity: NOT_ELF.severity,
    category: NOT_ELF.category,
    message: file.size < 4
      ? `not an ELF file: only ${file.size} bytes, too short for the magic`
      : `not an ELF file: starts with 0x${head}, not the ELF magic 0x7f454c46`,
    offset: 0,
    length: Math.min(4, file.size),
    field: 'e_ident[EI_MAG]',
    actual: `0x${head}`,
    expected: '0x7f454c46',
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The engine's finding for a part of elf-lint (`part`: a rule id, or `loader`) that failed on this file. */
function internalError(part: string, message: string): Finding {
  return {
    rule: INTERNAL_ERROR.id,
    severity: INTERNAL_ERROR.severity,
    category: INTERNAL_ERROR.category,
    message,
    offset: 0,
    length: 0,
    actual: part,
  };
}

/**
 * A rule reports at most this many findings per file; the rest are counted in
 * the last one's `folded`, as compilers stop repeating an error. A table of
 * 100,000 bad entries then costs a count, not 100,000 findings.
 */
export const FOLD_AFTER = 10;

function runRule(rule: Rule, elf: ElfFile, context: RuleContext, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  let folded = 0;
  try {
    for (const report of rule.check(elf, context)) {
      // Folded reports are only counted: locating and formatting them would cost as much as keeping them.
      if (findings.length < FOLD_AFTER) findings.push(toFinding(rule, elf, report, severity));
      else folded += 1;
    }
  } catch (error) {
    return [internalError(rule.id, `rule ${rule.id} failed: ${describe(error)}; please report this bug`)];
  }
  if (folded > 0) findings[FOLD_AFTER - 1] = { ...findings[FOLD_AFTER - 1]!, folded };
  return findings;
}

/**
 * The findings of one examined file: the rules' findings, plus an
 * internal-error finding when the loader model failed on it (predictExecve
 * then names internal-error in `because` and the failure in `reason`).
 */
export function withLoaderFailure(findings: readonly Finding[], loader: LoaderVerdict): Finding[] {
  if (!loader.because.includes(INTERNAL_ERROR.id)) return [...findings];
  return [...findings, internalError('loader', loader.reason)].sort(compareFindings);
}

/**
 * What the loader-category rules judge: the file as the target kernel's
 * handler reads it (its class, the kernel's byte order, its TASK_SIZE). When
 * the target does not take the file at all, they judge it as the kernel it
 * was built for would; with no profile for its machine, as it declares itself.
 */
function loaderJudgement(file: ElfFile, base: LoaderAssumptions, target: HandlerChoice | undefined): { view: ElfFile; assumptions: ResolvedAssumptions } {
  const own = target?.accepted ? target : base.machine !== undefined ? chooseHandler(file, { ...base, machine: undefined }) : undefined;
  if (own?.accepted) return { view: own.view, assumptions: own.assumptions };
  return { view: file, assumptions: resolveAssumptions(base, undefined, file.layout) };
}

/** All findings for one file, sorted by offset then severity. Never throws. */
export function lintParsed(file: ParsedFile, options: LintOptions = {}): Finding[] {
  if (file.kind === 'not-elf') return [notElfFinding(file)];
  const base = options.assumptions ?? DEFAULT_ASSUMPTIONS;
  const program = classify(file).program;
  const handler = program ? guarded(() => chooseHandler(file, base)) : undefined;
  const judged = program ? loaderJudgement(file, base, handler) : undefined;
  let prediction = options.prediction;
  const context: RuleContext = {
    assumptions: judged?.assumptions ?? resolveAssumptions(base, undefined, file.layout),
    handler,
    prediction: () => (prediction ??= predictExecve(file, { assumptions: base, sharedObjects: 'predict' })),
  };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RECOMMENDED_RULES) {
    // Files that execve never runs (objects, cores, libraries, debug files) get no loader findings.
    const view = rule.category !== 'loader' ? file : judged?.view;
    if (view) for (const finding of runRule(rule, view, context, options.severities?.[rule.id] ?? rule.severity)) findings.push(finding);
  }
  return findings.sort(compareFindings);
}

/** The handler choice reads the file; a failure there must not stop the other rules. */
function guarded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
