// 64-bit values held as two 32-bit halves (the columns of relocation and symbol runs),
// tested against BigInt bounds without a BigInt per value: as numbers when
// both the bounds and the value are below 2^53, where numbers are exact.

const TWO_TO_32 = 2 ** 32;
/** A high half below this makes a value below 2^53. */
const EXACT_HIGH = 2 ** 21;
const EXACT_LIMIT = 2n ** 53n;

/** The value as a number when it is below 2^53, where a number holds it exactly; else undefined. */
export function exactNumber(high: number, low: number): number | undefined {
  return high < EXACT_HIGH ? high * TWO_TO_32 + low : undefined;
}

export function joinHalves(high: number, low: number): bigint {
  return (BigInt(high) << 32n) | BigInt(low);
}

/** A BigInt as a number when a number holds it exactly (0 to 2^53); else undefined. */
export function exactBound(value: bigint): number | undefined {
  return value >= 0n && value <= EXACT_LIMIT ? Number(value) : undefined;
}

/** A test of start <= value < end for values given as halves; exact for every 64-bit value. */
export function halvesInRange(start: bigint, end: bigint): (high: number, low: number) => boolean {
  const first = exactBound(start);
  const last = exactBound(end);
  if (first === undefined || last === undefined) {
    return (high, low) => {
      const value = joinHalves(high, low);
      return value >= start && value < end;
    };
  }
  // A value of 2^53 or more lies past an end of at most 2^53.
  return (high, low) => {
    if (high >= EXACT_HIGH) return false;
    const value = high * TWO_TO_32 + low;
    return value >= first && value < last;
  };
}
