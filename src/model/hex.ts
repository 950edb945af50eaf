/** Formats an exact integer the way elf-lint prints addresses and offsets. */
export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

export const U64_MAX = (1n << 64n) - 1n;

export function isPowerOfTwo(value: bigint): boolean {
  return value > 0n && (value & (value - 1n)) === 0n;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
