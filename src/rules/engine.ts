// Runs the rules over a parsed file and turns their reports into findings.
import type { ElfFile, NotElfFile, ParsedFile } from '../model/elf.js';
import type { Finding, RuleMeta } from '../model/finding.js';
import { compareFindings } from '../model/finding.js';
import { assumptionsFor, DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from '../model/assumptions.js';
import { archFor } from '../model/arch.js';
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

/** The assumptions for one file: TASK_SIZE of the architecture it runs on. */
export function fileAssumptions(file: ElfFile, base: LoaderAssumptions = DEFAULT_ASSUMPTIONS): LoaderAssumptions {
  return assumptionsFor(base, file.header?.e_machine);
}

/**
 * The view the loader rules judge: the file as the kernel of its architecture
 * reads it. A little-endian 64-bit kernel ignores EI_CLASS and EI_DATA, so a
 * file that declares another class or byte order but is an x86-64 or AArch64
 * program underneath is checked the way that kernel will load it.
 */
export function loaderView(file: ElfFile): ElfFile {
  if (file.header && file.layout === 'ELF64' && file.byteOrder === 'LSB') return file;
  const view = file.kernelView;
  return view.header && archFor(view.header.e_machine) ? view : file;
}

/** All findings for one file, sorted by offset then severity. Never throws. */
export function lintParsed(file: ParsedFile, options: LintOptions = {}): Finding[] {
  if (file.kind === 'not-elf') return [notElfFinding(file)];
  const kernel = loaderView(file);
  const context: RuleContext = { assumptions: fileAssumptions(kernel, options.assumptions) };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    findings.push(...runRule(rule, rule.category === 'loader' ? kernel : file, context));
  }
  return findings.sort(compareFindings);
}
