// The parser's view of the file: one buffer, as Kaitai needs, filled only
// where something is read. In-memory files are simply complete.
import type { ByteSource } from '../model/elf.js';
import { MAX_EHDR_SIZE } from '../model/layout.js';

/** Granularity of on-demand reads: large enough to batch a table, small enough to skip code. */
const CHUNK = 64 * 1024;

export class FileBytes {
  /** Zero-filled, at least as long as the largest ELF header; only loaded chunks hold file bytes. */
  readonly buffer: Uint8Array;
  readonly size: number;
  private readonly loaded: Uint8Array | undefined;

  constructor(private readonly source: Uint8Array | ByteSource) {
    if (source instanceof Uint8Array) {
      this.size = source.length;
      this.buffer = source.length >= MAX_EHDR_SIZE ? source : padded(source);
      this.loaded = undefined;
    } else {
      this.size = source.size;
      // A large zeroed allocation is backed lazily by the OS: untouched chunks cost nothing.
      this.buffer = new Uint8Array(Math.max(source.size, MAX_EHDR_SIZE));
      this.loaded = new Uint8Array(Math.ceil(source.size / CHUNK));
    }
  }

  /** Makes [offset, offset + length) of the file readable in `buffer`. */
  ensure(offset: number, length: number): void {
    const source = this.source;
    if (!this.loaded || source instanceof Uint8Array || length <= 0 || offset >= this.size) return;
    const end = Math.min(this.size, offset + length);
    for (let chunk = Math.floor(offset / CHUNK); chunk * CHUNK < end; chunk += 1) {
      if (this.loaded[chunk]) continue;
      const start = chunk * CHUNK;
      source.fill(this.buffer, start, Math.min(CHUNK, this.size - start));
      this.loaded[chunk] = 1;
    }
  }

  /** The file bytes [offset, offset + length), clipped to the file. */
  slice(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.max(start, Math.min(this.size, offset + length));
    this.ensure(start, end - start);
    return this.buffer.subarray(start, end);
  }

  /** The whole file. */
  all(): Uint8Array {
    return this.slice(0, this.size);
  }
}

function padded(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(MAX_EHDR_SIZE);
  copy.set(bytes);
  return copy;
}
