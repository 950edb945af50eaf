// The dynamic-table, hash-table and relocation rules beyond their twins and
// passing cases: the GNU hash, the relocation types of each profile, the
// relocatable-object side of reloc-offset and the cap on findings per table.
import { describe, expect, it } from 'vitest';
import { gnuHash } from '../src/model/elf-hash.js';
import { relocationTypesFor } from '../src/model/arch/index.js';
import { DT_HASH, EM_386, EM_AARCH64, EM_ARM, EM_PPC64, EM_RISCV, EM_X86_64, ET_REL, SHF_ALLOC, SHF_EXECINSTR, SHF_INFO_LINK, SHT_PROGBITS, SHT_RELA, SHT_STRTAB, SHT_SYMTAB } from '../src/model/constants.js';
import { ELF64_LAYOUT } from '../src/model/layout.js';
import { encodeStructs } from '../src/gen/contents.js';
import { linkedHelloSpec } from '../src/gen/dynamic-twins.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { RULES } from '../src/rules/registry.js';
import { HELLO, lintSpec } from './support.js';

const only = (id: string) => ({ rules: RULES.filter((rule) => rule.id === id) });

describe('gnuHash', () => {
  it.each([['', 5381], ['printf', 0x156b2bb8], ['exit', 0x7c967e3f], ['__libc_start_main', 0xf63d4e2e]])('hashes %j', (name, hash) => {
    expect(gnuHash(name)).toBe(hash);
  });
});

describe('relocation types in the architecture profiles', () => {
  const known = (machine: number, elfClass: 'ELF32' | 'ELF64', type: number) =>
    relocationTypesFor(machine, elfClass)?.known.some(([low, high]) => type >= low && type <= high);
  it.each([
    // The dynamic relocations glibc applies, and the last static ones.
    [EM_X86_64, 'ELF64', 8, true], [EM_X86_64, 'ELF64', 51, true], [EM_X86_64, 'ELF64', 52, false], [EM_X86_64, 'ELF32', 37, true],
    [EM_386, 'ELF32', 42, true], [EM_386, 'ELF32', 12, false], [EM_386, 'ELF32', 44, false],
    [EM_AARCH64, 'ELF64', 1027, true], [EM_AARCH64, 'ELF64', 1033, false], [EM_AARCH64, 'ELF64', 2, false], [EM_AARCH64, 'ELF32', 183, true],
    [EM_ARM, 'ELF32', 23, true], [EM_ARM, 'ELF32', 160, true], [EM_ARM, 'ELF32', 150, false],
    [EM_RISCV, 'ELF64', 3, true], [EM_RISCV, 'ELF64', 58, true], [EM_RISCV, 'ELF64', 13, false],
  ] as const)('machine %i %s type %i known: %s', (machine, elfClass, type, expected) => {
    expect(known(machine, elfClass, type)).toBe(expected);
  });

  it('knows nothing of a machine no profile lists, so reloc-type says nothing there', () => {
    expect(relocationTypesFor(EM_PPC64, 'ELF64')).toBeUndefined();
  });
});

/** An object whose .rela.text (one R_X86_64_PC32 against symbol 1) patches `offset` of a 16-byte .text. */
function object(offset: bigint): ElfSpec {
  const rela = encodeStructs(ELF64_LAYOUT.contents.rela, 'LSB', [{ r_offset: offset, r_info: (1n << 32n) | 2n, r_addend: -4n }]);
  return {
    ...HELLO,
    header: { ...HELLO.header, e_type: ET_REL, e_entry: 0n },
    segments: [],
    sections: [
      {}, { name: '.shstrtab' },
      { name: '.text', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_EXECINSTR, data: new Uint8Array(16), sh_addralign: 16n },
      { name: '.symtab', sh_type: SHT_SYMTAB, data: new Uint8Array(48), sh_link: 4, sh_info: 1, sh_entsize: 24n, sh_addralign: 8n },
      { name: '.strtab', sh_type: SHT_STRTAB, data: Uint8Array.of(0) },
      { name: '.rela.text', sh_type: SHT_RELA, sh_flags: SHF_INFO_LINK, data: rela, sh_link: 3, sh_info: 2, sh_entsize: 24n, sh_addralign: 8n },
    ],
  };
}

describe('reloc-offset in relocatable objects', () => {
  it('accepts the last offset of the section and reports the one past it', () => {
    expect(lintSpec(object(15n), only('reloc-offset'))).toEqual([]);
    const findings = lintSpec(object(16n), only('reloc-offset'));
    expect(findings.map((finding) => finding.rule)).toEqual(['reloc-offset']);
    expect(findings[0]!.message).toContain('outside section 2 (.text)');
  });
});

describe('findings per table', () => {
  it('caps a table broken throughout at three findings, the last counting the rest', () => {
    const spec = linkedHelloSpec({ rela: (records) => [...records, ...records, ...records].map((record) => ({ ...record, r_info: 200n })) });
    const findings = lintSpec(spec, only('reloc-type'));
    expect(findings).toHaveLength(3);
    expect(findings[2]!.message).toContain('(and 3 more like it in this table)');
  });
});

describe('files without section headers', () => {
  const patchCode = { rela: (records: readonly object[]) => records.map((record, index) => (index === 0 ? { ...record, r_offset: 0x78n } : record)) };

  it('reads DT_RELA as ld.so does and points at the same relocation bytes as the section would', () => {
    const [withSections] = lintSpec(linkedHelloSpec(patchCode), only('reloc-offset'));
    const [sstripped] = lintSpec(linkedHelloSpec({ ...patchCode, noSections: true }), only('reloc-offset'));
    expect(withSections).toMatchObject({ field: 'sec[7].rela[0].r_offset' });
    expect(sstripped).toMatchObject({ field: expect.stringMatching(/^dyn\[\d+\]\.d_val$/), offset: withSections!.offset, length: 8 });
    expect(sstripped!.message).toContain('relocation 0 of the DT_RELA table patches 0x78');
  });

  it('finds the dynamic symbols and their names through DT_HASH, DT_SYMTAB and DT_STRTAB', () => {
    const bucketToPuts = { hash: (words: readonly number[]) => [words[0]!, words[1]!, 1, words[3]!, words[4]!, words[5]!], noSections: true };
    expect(lintSpec(linkedHelloSpec(bucketToPuts), only('hash-table')).map((finding) => finding.message))
      .toEqual([expect.stringContaining('the DT_HASH table does not lead to symbol 2 (hello_value)')]);
    // Without DT_HASH, DT_GNU_HASH's chains give the number of symbols (3: the last chain ends at symbol 2).
    const gnuOnly = linkedHelloSpec({ noSections: true, tags: (tags) => tags.filter(([tag]) => tag !== DT_HASH), bloom: (words) => words.map(() => 0n) });
    expect(lintSpec(gnuOnly, only('gnu-hash-table')).map((finding) => finding.message))
      .toEqual([expect.stringContaining('Bloom filter word 0 lacks the bits of symbol 2 (hello_value)')]);
    expect(lintSpec(linkedHelloSpec({ noSections: true, tags: (tags) => tags.filter(([tag]) => tag !== DT_HASH) }))).toEqual([]);
  });
});
