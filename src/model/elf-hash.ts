// The System V ABI's ELF hash (gABI "Hash Table"), the hash of SHT_HASH
// buckets and of the version sections' vd_hash and vna_hash.

/** elf_hash over the bytes of a name (without its NUL), as a 32-bit unsigned value. */
export function elfHash(name: Uint8Array | string): number {
  const bytes = typeof name === 'string' ? new TextEncoder().encode(name) : name;
  let hash = 0;
  for (const byte of bytes) {
    hash = ((hash << 4) + byte) >>> 0;
    const high = hash & 0xf0000000;
    if (high !== 0) hash ^= high >>> 24;
    hash = (hash & ~high) >>> 0;
  }
  return hash;
}

/** The GNU hash of SHT_GNU_HASH tables (Bernstein's h * 33 + c from 5381), as a 32-bit unsigned value. */
export function gnuHash(name: Uint8Array | string): number {
  const bytes = typeof name === 'string' ? new TextEncoder().encode(name) : name;
  let hash = 5381;
  for (const byte of bytes) hash = (Math.imul(hash, 33) + byte) >>> 0;
  return hash;
}
