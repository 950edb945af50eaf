// The contract between a rule module and the engine.
import type { ElfFile } from '../model/elf.js';
import type { RuleMeta } from '../model/finding.js';
import type { ResolvedAssumptions } from '../model/assumptions.js';
import type { ByteRange, FieldPath } from '../model/layout.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import type { HandlerChoice } from '../loader/predict.js';

export interface RuleContext {
  /** The target's facts as the loader that takes the file applies them (page size, TASK_SIZE, ...). */
  readonly assumptions: ResolvedAssumptions;
  /** The target kernel's handler for the file, when an architecture profile knows the target. */
  readonly handler: HandlerChoice | undefined;
  /** The loader model's verdict for the file (computed once, on first use). */
  prediction(): LoaderVerdict;
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
