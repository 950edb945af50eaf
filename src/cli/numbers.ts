// Parsers for numeric command-line values; they throw commander's
// InvalidArgumentError so that a bad value is a usage error (exit 3).
import { InvalidArgumentError } from 'commander';

const INTEGER = /^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i;

/** Does the text look like a number (decimal, 0x, 0o, 0b; `_` separators allowed)? */
export function isIntegerText(text: string): boolean {
  return INTEGER.test(text.trim().replace(/_/g, ''));
}

export function parseBigInt(text: string): bigint {
  const trimmed = text.trim().replace(/_/g, '');
  if (!INTEGER.test(trimmed)) throw new InvalidArgumentError(`"${text}" is not a non-negative integer (decimal or 0x hex).`);
  return BigInt(trimmed);
}

export function parseIntegerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = parseBigInt(text);
    if (value < BigInt(min) || value > BigInt(max)) throw new InvalidArgumentError(`${text} is out of range ${min}..${max}.`);
    return Number(value);
  };
}

const MAX_PAGE_SIZE = 1n << 30n;

/** A page size: a power of two from 4096 to 1 GiB (the largest huge page size Linux knows). */
export function parsePageSize(text: string): bigint {
  const value = parseBigInt(text);
  if (value < 4096n || value > MAX_PAGE_SIZE || (value & (value - 1n)) !== 0n) {
    throw new InvalidArgumentError(`${text} is not a power of two from 4096 to 1 GiB (0x40000000).`);
  }
  return value;
}

/** An address of the 64-bit target. */
export function parseAddress64(text: string): bigint {
  const value = parseBigInt(text);
  if (value > 0xffff_ffff_ffff_ffffn) throw new InvalidArgumentError(`${text} does not fit in 64 bits.`);
  return value;
}
