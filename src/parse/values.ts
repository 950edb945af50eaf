// Small conversions the parser's readers share.
import type { ElfSchema } from './generated/Elf.cjs';

/** A schema word (two u4 halves, so that no 64-bit value passes through a double) as an exact bigint. */
export function exact(value: ElfSchema.Word): bigint {
  return (BigInt(value.hi) << 32n) | BigInt(value.lo);
}

/** What a runtime exception of a read says, for a ParseIssue. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
