// What a check reports, in the shape every output format shares.

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ['loader', 'gabi', 'hardening', 'portability'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Higher is more severe; used for thresholds and sorting. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 3 : severity === 'warning' ? 2 : 1;
}

export interface RuleMeta {
  /** Stable kebab-case id; never reused for another meaning. */
  readonly id: string;
  readonly category: Category;
  readonly severity: Severity;
  /** One line, shown by `elf-lint rules`. */
  readonly summary: string;
  /** Several paragraphs, shown by `elf-lint explain`: what, why, gABI vs Linux, how to fix. */
  readonly explanation: string;
  /**
   * A matter of policy rather than a broken file (a missing hardening option):
   * off in the default profile, on in its category's profile and in `all`, or with --enable.
   */
  readonly optIn?: true;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly message: string;
  /** Byte offset in the file the finding points at. */
  readonly offset: number;
  readonly length: number;
  readonly field?: string;
  /** Exact values as text; 64-bit values are hex strings. */
  readonly actual?: string;
  readonly expected?: string;
  /**
   * How many more findings of the same rule this one stands for: a rule that
   * fires on many entries of a table reports the first few and counts the rest here.
   */
  readonly folded?: number;
}

/**
 * Orders rule ids (ASCII) by code unit. localeCompare gives the same order for them, but its first
 * call starts ICU's collator, which costs a one-file run about a tenth of its time.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.offset - b.offset || severityRank(b.severity) - severityRank(a.severity) || compareIds(a.rule, b.rule);
}
