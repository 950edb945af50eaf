// Parsers for numeric command-line values; they throw commander's
// InvalidArgumentError so that a bad value is a usage error (exit 3).
import { InvalidArgumentError } from 'commander';

const INTEGER = /^(0x[0-9a-f]+|0o[0-7]+|0b[01]+|\d+)$/i;

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

export function parsePageSize(text: string): bigint {
  const value = parseBigInt(text);
  if (value < 4096n || (value & (value - 1n)) !== 0n) throw new InvalidArgumentError(`${text} is not a power of two of at least 4096.`);
  return value;
}
