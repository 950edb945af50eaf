// The parser's view of the file: the bytes of any range, read when asked for.
// A file in memory is simply there. A ByteSource is read a 64 KiB chunk at a
// time, and the chunks and long ranges most recently read are kept (up to a
// few MiB each), so what a file costs is bounded whatever is read, never its
// size: no buffer is as large as the file unless the whole file is asked for
// (`all`), which only files of up to MAX_FILE_BYTES allow.
import type { ByteSource } from '../model/elf.js';
import { MAX_EHDR_SIZE, MAX_FILE_BYTES } from '../model/layout.js';

/** Granularity of on-demand reads: large enough to batch a table, small enough to skip code. */
const CHUNK = 64 * 1024;
/** A range this long that spans chunks is read straight into a buffer of its own (and kept), not chunk by chunk. */
const REGION = 4 * CHUNK;
/** Chunks kept: a table read a window at a time rereads nothing, and a file of any size costs at most this much. */
const KEEP_CHUNKS = 64;
/** Bytes of long ranges kept: their readers (string tables, section contents) keep what they read, so little more is needed. */
const KEEP_REGION_BYTES = 4 * 1024 * 1024;

export class FileBytes {
  readonly size: number;
  /** The first bytes of the file, zero-padded to the largest ELF header: what the kernel's zeroed buffer holds. */
  readonly head: Uint8Array;
  readonly #source: ByteSource | undefined;
  readonly #chunks = new Map<number, Uint8Array>();
  /** Long ranges already read (name tables, dynamic segments), by `start:end`: each root of a view reads them again. */
  readonly #regions = new Map<string, Uint8Array>();
  #regionBytes = 0;
  #whole: Uint8Array | undefined;

  constructor(source: Uint8Array | ByteSource) {
    if (source instanceof Uint8Array) {
      this.size = source.length;
      // A plain view, also of a Buffer: every slice is then a plain Uint8Array, which is much cheaper to make than a Buffer.
      this.#whole = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    } else {
      // A size beyond 2^53 cannot be an exact number; the range reader refuses it.
      if (!Number.isSafeInteger(source.size) || source.size < 0) throw new RangeError(`a ByteSource's size must be a safe integer, not ${source.size}`);
      this.size = source.size;
      this.#source = source;
    }
    this.head = new Uint8Array(MAX_EHDR_SIZE);
    this.head.set(this.slice(0, MAX_EHDR_SIZE));
  }

  /**
   * The file bytes [offset, offset + length), clipped to the file. Within one
   * chunk (or a file in memory) a view; a longer range is a copy. Throws a
   * RangeError for a range longer than MAX_FILE_BYTES, the most one buffer holds.
   */
  slice(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + length));
    if (this.#whole) return this.#whole.subarray(start, end);
    if (end - start > MAX_FILE_BYTES) {
      throw new RangeError(`cannot hold the ${end - start} bytes at ${start} in one buffer (at most ${MAX_FILE_BYTES})`);
    }
    if (end === start) return new Uint8Array(0);
    const first = Math.floor(start / CHUNK);
    if (Math.floor((end - 1) / CHUNK) === first) {
      return this.chunk(first).subarray(start - first * CHUNK, end - first * CHUNK);
    }
    if (end - start >= REGION) return this.region(start, end);
    const copy = new Uint8Array(end - start);
    for (let at = start; at < end;) {
      const index = Math.floor(at / CHUNK);
      const upto = Math.min(end, (index + 1) * CHUNK);
      copy.set(this.chunk(index).subarray(at - index * CHUNK, upto - index * CHUNK), at - start);
      at = upto;
    }
    return copy;
  }

  /**
   * The bytes [offset, offset + length), clipped to the file, for a moment:
   * a view of a file in memory; of a file read on demand, `scratch()` (when
   * long enough) filled from the file and kept by no one else, so that a
   * table read a window at a time costs one buffer however long it is.
   */
  transient(offset: number, length: number, scratch: () => Uint8Array): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + length));
    if (this.#whole) return this.#whole.subarray(start, end);
    const buffer = scratch();
    const target = buffer.length >= end - start ? buffer.subarray(0, end - start) : new Uint8Array(end - start);
    this.#source!.read(target, start);
    return target;
  }

  /** The whole file, read in full on first use; a RangeError for a file over MAX_FILE_BYTES. */
  all(): Uint8Array {
    if (this.#whole) return this.#whole;
    if (this.size > MAX_FILE_BYTES) {
      throw new RangeError(`the file is ${this.size} bytes; it can be held whole only up to ${MAX_FILE_BYTES} bytes: read it by ranges`);
    }
    const whole = new Uint8Array(this.size);
    this.#source!.read(whole, 0);
    this.#whole = whole;
    this.#chunks.clear();
    this.#regions.clear();
    this.#regionBytes = 0;
    return whole;
  }

  private chunk(index: number): Uint8Array {
    const kept = this.#chunks.get(index);
    if (kept) return kept;
    const start = index * CHUNK;
    const chunk = new Uint8Array(Math.min(CHUNK, this.size - start));
    this.#source!.read(chunk, start);
    this.#chunks.set(index, chunk);
    // The oldest chunk goes first (a Map iterates in insertion order); views of it stay valid.
    if (this.#chunks.size > KEEP_CHUNKS) this.#chunks.delete(this.#chunks.keys().next().value!);
    return chunk;
  }

  private region(start: number, end: number): Uint8Array {
    const key = `${start}:${end}`;
    const kept = this.#regions.get(key);
    if (kept) return kept;
    const region = new Uint8Array(end - start);
    this.#source!.read(region, start);
    this.#regions.set(key, region);
    this.#regionBytes += region.length;
    for (const [oldKey, old] of this.#regions) {
      if (this.#regionBytes <= KEEP_REGION_BYTES || oldKey === key) break;
      this.#regions.delete(oldKey);
      this.#regionBytes -= old.length;
    }
    return region;
  }
}
