// The Kaitai stream the schema reads: the file itself, at any position, read
// by ranges through FileBytes. Kaitai's own stream is a DataView over one
// buffer, which limits positions to that buffer (and its byte counts to 32
// bits); this one has no buffer of its own, so tables past 4 GiB are read
// where they are and a file costs only the ranges read. Every region the
// schema reads at a position is sized, so it reaches the schema as bytes
// (readBytes) and is parsed from a small stream of its own.
import KaitaiStreamModule from 'kaitai-struct/KaitaiStream.js';
import type { ElfSchema } from './generated/Elf.cjs';
import type { FileBytes } from './bytes.js';

/** The parts of Kaitai's runtime stream that FileStream replaces (its typings do not describe the CommonJS export under NodeNext). */
interface RuntimeStream extends ElfSchema.Stream {
  pos: number;
  seek(position: number): void;
  isEof(): boolean;
  readBytes(length: number): Uint8Array;
  readBytesFull(): Uint8Array;
  readBytesTerm(terminator: number, include: boolean, consume: boolean, eosError: boolean): Uint8Array;
  readU1(): number;
  readU2le(): number;
  readU2be(): number;
  readU4le(): number;
  readU4be(): number;
}
type RuntimeStreamConstructor = (new (buffer: ArrayBuffer) => RuntimeStream) & {
  EOFError: new (requested: number, available: number) => Error;
};
const KaitaiStream = KaitaiStreamModule as unknown as RuntimeStreamConstructor;

/** How far readBytesTerm looks at a time for its terminator. */
const SCAN = 64 * 1024;

/**
 * The file as a Kaitai stream: positions are file offsets (exact below 2^53),
 * the size is the file's, padded to a whole ELF header as the kernel's zeroed
 * buffer is. The runtime's own buffer is empty, so a read this class does not
 * provide fails instead of reading wrong bytes.
 */
export class FileStream extends KaitaiStream {
  readonly #file: FileBytes;
  readonly #size: number;
  /** The padded head, where the header's fields are read. */
  readonly #head: DataView;

  constructor(file: FileBytes) {
    super(new ArrayBuffer(0));
    this.#file = file;
    this.#size = Math.max(file.size, file.head.length);
    this.#head = new DataView(file.head.buffer, file.head.byteOffset, file.head.byteLength);
  }

  override get size(): number {
    return this.#size;
  }

  override seek(position: number): void {
    this.pos = Number.isFinite(position) ? Math.max(0, Math.min(this.size, position)) : 0;
  }

  override isEof(): boolean {
    return this.pos >= this.size;
  }

  override readBytes(length: number): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0 || this.pos + length > this.size) {
      throw new KaitaiStream.EOFError(length, this.size - this.pos);
    }
    const bytes = this.bytesAt(this.pos, length);
    this.pos += length;
    return bytes;
  }

  override readBytesFull(): Uint8Array {
    return this.readBytes(this.size - this.pos);
  }

  override readBytesTerm(terminator: number, include: boolean, consume: boolean, eosError: boolean): Uint8Array {
    let end = this.pos;
    for (; end < this.size; end += SCAN) {
      const found = this.bytesAt(end, Math.min(SCAN, this.size - end)).indexOf(terminator);
      if (found >= 0) {
        end += found;
        const bytes = this.bytesAt(this.pos, end - this.pos + (include ? 1 : 0));
        this.pos = end + (consume ? 1 : 0);
        return bytes;
      }
    }
    if (eosError) throw new Error(`End of stream reached, but no terminator ${terminator} found`);
    return this.readBytes(this.size - this.pos);
  }

  override readU1(): number {
    const [view, at] = this.fixed(1);
    return view.getUint8(at);
  }

  override readU2le(): number {
    const [view, at] = this.fixed(2);
    return view.getUint16(at, true);
  }

  override readU2be(): number {
    const [view, at] = this.fixed(2);
    return view.getUint16(at, false);
  }

  override readU4le(): number {
    const [view, at] = this.fixed(4);
    return view.getUint32(at, true);
  }

  override readU4be(): number {
    const [view, at] = this.fixed(4);
    return view.getUint32(at, false);
  }

  /** Where the next `length` bytes are, as a view and an index in it; consumed. */
  private fixed(length: number): [DataView, number] {
    const at = this.pos;
    if (at + length <= this.#head.byteLength) {
      this.pos += length;
      return [this.#head, at];
    }
    const bytes = this.readBytes(length);
    return [new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0];
  }

  /** The stream's bytes [position, position + length): the padded head, then the file. */
  private bytesAt(position: number, length: number): Uint8Array {
    const head = this.#file.head;
    if (position + length <= head.length) return head.subarray(position, position + length);
    return this.#file.slice(position, length);
  }
}
