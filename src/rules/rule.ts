// The contract between a rule module and the engine.
import type { ElfFile } from '../model/elf.js';
import type { RuleMeta } from '../model/finding.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { ByteRange, FieldPath } from '../model/layout.js';

export interface RuleContext {
  readonly assumptions: LoaderAssumptions;
}

/** What a check yields; the engine adds the rule's metadata and the byte range. */
export interface Report {
  readonly field: FieldPath;
  readonly message: string;
  readonly actual?: bigint | number | string;
  readonly expected?: string;
  /** Overrides the range derived from `field` (e.g. a whole segment's contents). */
  readonly range?: ByteRange;
}

export interface Rule extends RuleMeta {
  check(elf: ElfFile, context: RuleContext): Iterable<Report>;
}
