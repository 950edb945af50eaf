// Runs the rules over a parsed file and turns their reports into findings.
import type { ElfFile, NotElfFile, ParsedFile } from '../model/elf.js';
import type { Finding, RuleMeta } from '../model/finding.js';
import { compareFindings } from '../model/finding.js';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions, type LoaderAssumptions, type ResolvedAssumptions } from '../model/assumptions.js';
import { classify } from '../model/kind.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { chooseHandler, predictExecve, type HandlerChoice } from '../loader/predict.js';
import { locateField } from '../model/layout.js';
import { hex } from '../model/hex.js';
import type { Report, Rule, RuleContext } from './rule.js';
import { RULES } from './registry.js';
import { INTERNAL_ERROR, NOT_ELF } from './builtin.js';

export interface LintOptions {
  readonly assumptions?: LoaderAssumptions;
  /** Rules to run; defaults to every rule. */
  readonly rules?: readonly Rule[];
}

function textOf(value: bigint | number | string): string {
  return typeof value === 'bigint' ? hex(value) : String(value);
}

function toFinding(meta: RuleMeta, elf: ElfFile, report: Report): Finding {
  const range = report.range ?? locateField(elf, report.field) ?? { offset: 0, length: 0 };
  return {
    rule: meta.id,
    severity: meta.severity,
    category: meta.category,
    message: report.message,
    offset: range.offset,
    length: range.length,
    field: report.field,
    ...(report.actual !== undefined ? { actual: textOf(report.actual) } : {}),
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

function runRule(rule: Rule, elf: ElfFile, context: RuleContext): Finding[] {
  try {
    return Array.from(rule.check(elf, context), (report) => toFinding(rule, elf, report));
  } catch (error) {
    return [{
      rule: INTERNAL_ERROR.id,
      severity: INTERNAL_ERROR.severity,
      category: INTERNAL_ERROR.category,
      message: `rule ${rule.id} failed: ${describe(error)}; please report this bug`,
      offset: 0,
      length: 0,
      actual: rule.id,
    }];
  }
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
  let prediction: LoaderVerdict | undefined;
  const context: RuleContext = {
    assumptions: judged?.assumptions ?? resolveAssumptions(base, undefined, file.layout),
    handler,
    prediction: () => (prediction ??= predictExecve(file, { assumptions: base, sharedObjects: 'predict' })),
  };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    if (rule.category !== 'loader') findings.push(...runRule(rule, file, context));
    // Files that execve never runs (objects, cores, libraries, debug files) get no loader findings.
    else if (judged) findings.push(...runRule(rule, judged.view, context));
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
