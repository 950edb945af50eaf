// What every architecture's hello encoder shares: its interface, the argument
// checks of helloCode and the packing of fixed-width instruction words.

/** What each encoder module exports: the identification of its files and the hello code. */
export interface HelloEncoder {
  readonly ELF_CLASS: number;
  readonly ELF_DATA: number;
  readonly E_MACHINE: number;
  readonly E_FLAGS: number;
  readonly HELLO_CODE_SIZE: number;
  helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array;
}

/** The checks every helloCode makes before encoding: a 31-bit length and a message that does not overlap the code. */
export function checkHelloArguments(length: number, messageOffsetFromCodeStart: number, codeSize: number): void {
  if (!Number.isInteger(length) || length < 0 || length > 0x7fffffff) throw new RangeError(`message length ${length} is not 0 to 2^31-1`);
  if (!Number.isSafeInteger(messageOffsetFromCodeStart)) throw new RangeError('message offset must be an integer');
  if (messageOffsetFromCodeStart >= 0 && messageOffsetFromCodeStart < codeSize) throw new RangeError('the message would overlap the code');
}

/** 32-bit instruction words, little-endian, as AArch64, ARM, RISC-V and ppc64le store them. */
export function littleEndianWords(words: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word, true));
  return bytes;
}
