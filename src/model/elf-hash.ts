// The System V ABI's ELF hash (gABI "Hash Table"), the hash of SHT_HASH
// buckets and of the version sections' vd_hash and vna_hash, and the GNU hash
// of SHT_GNU_HASH. Each is computed over a name's bytes, or straight from a
// string table at the name's offset (a hash table's check hashes every
// exported name, and a view per name would cost more than the hash).

const encoder = new TextEncoder();

function bytesOf(name: Uint8Array | string): Uint8Array {
  return typeof name === 'string' ? encoder.encode(name) : name;
}

// Both hashes run in 32-bit integer arithmetic (| 0), which V8 keeps in
// registers; an unsigned result (>>> 0) on every step would go through doubles.

/** elf_hash over bytes [start, end) of `bytes`. */
function elfHashOver(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0;
  for (let at = start; at < end; at += 1) {
    hash = ((hash << 4) + bytes[at]!) | 0;
    const high = hash & 0xf0000000;
    // With no high bits, both steps change nothing: no branch needed.
    hash = (hash ^ (high >>> 24)) & ~high;
  }
  return hash >>> 0;
}

/** The GNU hash over bytes [start, end) of `bytes`. */
function gnuHashOver(bytes: Uint8Array, start: number, end: number): number {
  let hash = 5381;
  for (let at = start; at < end; at += 1) hash = (Math.imul(hash, 33) + bytes[at]!) | 0;
  return hash >>> 0;
}

/** elf_hash over the bytes of a name (without its NUL), as a 32-bit unsigned value. */
export function elfHash(name: Uint8Array | string): number {
  const bytes = bytesOf(name);
  return elfHashOver(bytes, 0, bytes.length);
}

/** The GNU hash of SHT_GNU_HASH tables (Bernstein's h * 33 + c from 5381), as a 32-bit unsigned value. */
export function gnuHash(name: Uint8Array | string): number {
  const bytes = bytesOf(name);
  return gnuHashOver(bytes, 0, bytes.length);
}

/** elfHash of the name at `offset` of a string table; undefined when it runs to the end without a NUL. */
export function elfHashAt(strings: Uint8Array, offset: number): number | undefined {
  const end = strings.indexOf(0, offset);
  return end < 0 ? undefined : elfHashOver(strings, offset, end);
}

/** gnuHash of the name at `offset` of a string table; undefined when it runs to the end without a NUL. */
export function gnuHashAt(strings: Uint8Array, offset: number): number | undefined {
  const end = strings.indexOf(0, offset);
  return end < 0 ? undefined : gnuHashOver(strings, offset, end);
}
