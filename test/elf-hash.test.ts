// The SysV ELF hash against values computed by the gABI's C code (and seen in real files: GLIBC_2.2.5's vna_hash).
import { describe, expect, it } from 'vitest';
import { elfHash } from '../src/model/elf-hash.js';

describe('elfHash', () => {
  it.each([
    ['', 0x0],
    ['printf', 0x077905a6],
    ['GLIBC_2.2.5', 0x09691a75],
    // Long enough for the top nibble to fold back in many times.
    ['_ZN2v84base18ContextualVariableINS_8internal8compiler10turboshaft7TracingES5_E4top_E', 0x07060575],
  ])('hashes %j', (name, hash) => {
    expect(elfHash(name)).toBe(hash);
  });

  it('hashes the UTF-8 bytes of a name, each as an unsigned char', () => {
    expect(elfHash('été')).toBe(0x00ce10d9);
    expect(elfHash(Buffer.from('été', 'utf8'))).toBe(0x00ce10d9);
  });

  it('never sets the top four bits', () => {
    for (const name of ['abcdefghijklmnopqrstuvwxyz', '\u00ff'.repeat(40)]) expect(elfHash(name) >>> 28).toBe(0);
  });
});
