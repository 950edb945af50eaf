// 64-bit values held as two 32-bit halves (the columns of a relocation run),
// tested against BigInt bounds without a BigInt per value: as numbers when
// both the bounds and the value are below 2^53, where numbers are exact.

const TWO_TO_32 = 2 ** 32;
/** A high half below this makes a value below 2^53. */
const EXACT_HIGH = 2 ** 21;
const EXACT_LIMIT = 2n ** 53n;

export function joinHalves(high: number, low: number): bigint {
  return (BigInt(high) << 32n) | BigInt(low);
}

/** A test of start <= value < end for values given as halves; exact for every 64-bit value. */
export function halvesInRange(start: bigint, end: bigint): (high: number, low: number) => boolean {
  if (start < 0n || end > EXACT_LIMIT) {
    return (high, low) => {
      const value = joinHalves(high, low);
      return value >= start && value < end;
    };
  }
  const first = Number(start);
  const last = Number(end);
  // A value of 2^53 or more lies past an end of at most 2^53.
  return (high, low) => {
    if (high >= EXACT_HIGH) return false;
    const value = high * TWO_TO_32 + low;
    return value >= first && value < last;
  };
}
