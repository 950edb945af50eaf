// The symbol-table and symbol-versioning rules beyond their corpus twins: the
// branches each rule has, on the twins' layouts (src/gen/symbol-twins.ts).
import { describe, expect, it } from 'vitest';
import { staticSymbols, symbolHelloSpec, versionedHelloSpec } from '../src/gen/symbol-twins.js';
import {
  DT_VERNEEDNUM, ET_REL, PF_R, PT_TLS, SHF_ALLOC, SHF_TLS, SHF_WRITE, SHN_COMMON, SHT_NOBITS, SHT_PROGBITS, SHT_RELA, STB_GLOBAL, STB_GNU_UNIQUE,
  STT_OBJECT, STT_TLS, STV_HIDDEN, STV_PROTECTED,
} from '../src/model/constants.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { encodeStructs } from '../src/gen/contents.js';
import { ELF64_LAYOUT } from '../src/model/layout.js';
import { KEEP_BYTES } from '../src/parse/records.js';
import { lintSpec, ruleIds } from './support.js';

const withSymbol = (fields: object): ElfSpec => symbolHelloSpec(staticSymbols().map((symbol, index) => (index === 3 ? { ...symbol, ...fields } : symbol)));
const asRelocatable = (spec: ElfSpec): ElfSpec => ({ ...spec, header: { ...spec.header, e_type: ET_REL, e_entry: 0n } });
const fired = (spec: ElfSpec) => ruleIds(lintSpec(spec));

describe('symbol rules', () => {
  it('reads st_value as an offset in a relocatable object', () => {
    expect(fired(asRelocatable(withSymbol({ st_value: 0x10n, st_size: 0x10n })))).not.toContain('symbol-value-in-section');
    expect(fired(asRelocatable(withSymbol({ st_value: 0x21n })))).toContain('symbol-value-in-section');
  });

  it('wants a symbol\'s bytes (st_size from st_value) inside its section', () => {
    expect(fired(withSymbol({ st_size: 0x20n }))).not.toContain('symbol-value-in-section');
    expect(lintSpec(withSymbol({ st_size: 0x21n })).filter((finding) => finding.rule === 'symbol-value-in-section').map((finding) => finding.field)).toEqual(['sec[3].sym[3].st_size']);
    expect(fired(asRelocatable(withSymbol({ st_value: 0x10n, st_size: 0x10n })))).not.toContain('symbol-value-in-section');
    expect(fired(asRelocatable(withSymbol({ st_value: 0x10n, st_size: 0x11n })))).toContain('symbol-value-in-section');
  });

  // node's layout: a 4-byte .tdata, then .tbss (0xf8 bytes) at TLS offset 8 of a 0x100-byte PT_TLS.
  const tlsSpec = (st_value: bigint, st_size: bigint): ElfSpec => {
    const spec = symbolHelloSpec(
      [...staticSymbols(), { st_info: (STB_GNU_UNIQUE << 4) | STT_TLS, st_shndx: 6, st_value, st_size }],
      {},
      [
        { name: '.tdata', sh_type: SHT_PROGBITS, sh_flags: SHF_ALLOC | SHF_WRITE | SHF_TLS, sh_addr: 0x400078n, sh_offset: 0x78n, sh_size: 4n, sh_addralign: 8n },
        { name: '.tbss', sh_type: SHT_NOBITS, sh_flags: SHF_ALLOC | SHF_WRITE | SHF_TLS, sh_addr: 0x400080n, sh_offset: 0x7cn, sh_size: 0xf8n, sh_addralign: 8n },
      ],
    );
    return { ...spec, segments: [...spec.segments!, { p_type: PT_TLS, p_flags: PF_R, p_offset: 0x78n, p_vaddr: 0x400078n, p_paddr: 0x400078n, p_filesz: 4n, p_memsz: 0x100n, p_align: 8n }] };
  };
  const tlsFindings = (st_value: bigint, st_size: bigint) => lintSpec(tlsSpec(st_value, st_size)).filter((finding) => finding.rule === 'symbol-value-in-section').map((finding) => finding.field);

  it('reads an STT_TLS symbol of a linked file as an offset in PT_TLS, inside its section\'s part of it', () => {
    // The last 8 bytes of .tbss: eu-elflint compares 0xf8 + 8 with .tbss's size and complains.
    expect(tlsFindings(0xf8n, 8n)).toEqual([]);
    expect(tlsFindings(0x8n, 8n)).toEqual([]);
    expect(tlsFindings(0xf8n, 0x10n)).toEqual(['sec[3].sym[4].st_size']);
    // Offset 4 is .tdata's, not .tbss's.
    expect(tlsFindings(0x4n, 4n)).toEqual(['sec[3].sym[4].st_value']);
  });

  it('accepts SHN_COMMON only in relocatable objects', () => {
    const common = { st_shndx: SHN_COMMON, st_info: (STB_GLOBAL << 4) | STT_OBJECT, st_value: 8n };
    expect(fired(asRelocatable(withSymbol(common)))).not.toContain('symbol-section');
    expect(fired(withSymbol(common))).toContain('symbol-section');
  });

  it('reports a symbol table whose null symbol is not all zeros', () => {
    expect(fired(symbolHelloSpec([{ st_value: 1n }, ...staticSymbols().slice(1)]))).toEqual(['symbol-info']);
  });

  it('reports hidden, not protected, symbols exported from .dynsym', () => {
    expect(fired(versionedHelloSpec({ helloSymbol: { st_other: STV_HIDDEN } }))).toEqual(['symbol-info']);
    expect(fired(versionedHelloSpec({ helloSymbol: { st_other: STV_PROTECTED } }))).toEqual([]);
  });
});

describe('symbol rules read every symbol\'s columns first', () => {
  const valueFindings = (fields: object) => lintSpec(withSymbol(fields)).filter((finding) => finding.rule === 'symbol-value-in-section').map((finding) => finding.field);

  it('check a value or size that a number cannot hold exactly', () => {
    // .text is [TEXT_ADDRESS, TEXT_ADDRESS + 0x20]; 2^53 and above are past what the columns' numbers hold.
    expect(valueFindings({ st_value: 2n ** 53n + 0x10n })).toEqual(['sec[3].sym[3].st_value']);
    expect(valueFindings({ st_value: 0xffff_ffff_ffff_fff0n })).toEqual(['sec[3].sym[3].st_value']);
    expect(valueFindings({ st_size: 2n ** 60n })).toEqual(['sec[3].sym[3].st_size']);
    expect(valueFindings({ st_size: 2n ** 53n })).toEqual(['sec[3].sym[3].st_size']);
    expect(valueFindings({ st_size: 0x20n })).toEqual([]);
  });

  it('find every broken symbol of a table longer than a run of columns', () => {
    // 9,000 symbols (more than two runs of 4,096): every 7th has an unknown binding, every 11th a st_shndx past the sections.
    const symbols = [...staticSymbols(), ...Array.from({ length: 9_000 - staticSymbols().length }, (_, i) => ({
      st_info: ((i % 7 === 0 ? 5 : STB_GLOBAL) << 4) | STT_OBJECT, st_shndx: i % 11 === 0 ? 77 : 2, st_value: staticSymbols()[3]!.st_value,
    }))];
    const findings = lintSpec(symbolHelloSpec(symbols));
    const total = (rule: string) => findings.filter((finding) => finding.rule === rule).reduce((sum, finding) => sum + 1 + (finding.folded ?? 0), 0);
    const extra = 9_000 - staticSymbols().length;
    expect(total('symbol-info')).toBe(Math.ceil(extra / 7));
    expect(total('symbol-section')).toBe(Math.ceil(extra / 11));
  });
});

describe('relocation rules read every relocation\'s columns first', () => {
  it('find every broken relocation of a table of more than KEEP_BYTES, decoded a window at a time', () => {
    const text = BigInt(staticSymbols()[3]!.st_value!);
    const rela = ELF64_LAYOUT.contents.rela;
    const count = Math.ceil(KEEP_BYTES / rela.size) + 2_000;
    // Sound: R_X86_64_64 against symbol 3 at the start of .text. Every 1,000th names a symbol past the table, every 777th has an
    // unknown type, every 555th patches past .text.
    const relocations = Array.from({ length: count }, (_, i) => ({
      r_offset: i % 555 === 0 ? text + 0x1000n : text,
      r_info: (BigInt(i % 1000 === 0 ? 99 : 3) << 32n) | BigInt(i % 777 === 0 ? 200 : 1),
      r_addend: 0n,
    }));
    const spec = symbolHelloSpec(staticSymbols(), {}, [
      { name: '.rela.text', sh_type: SHT_RELA, sh_link: 3, sh_info: 2, sh_entsize: BigInt(rela.size), sh_addralign: 8n, data: encodeStructs(rela, 'LSB', relocations) },
    ]);
    const findings = lintSpec(spec);
    const total = (rule: string) => {
      const reports = findings.filter((finding) => finding.rule === rule);
      const more = /\(and (\d+) more like it in this table\)/.exec(reports.at(-1)?.message ?? '');
      return reports.length + Number(more?.[1] ?? 0);
    };
    const every = (step: number) => Math.ceil(count / step);
    expect(total('reloc-symbol')).toBe(every(1000));
    expect(total('reloc-type')).toBe(every(777));
    expect(total('reloc-offset')).toBe(every(555));
  });
});

describe('version rules', () => {
  it('reports a vd_cnt that its chain of names does not match', () => {
    expect(lintSpec(versionedHelloSpec({ verdef: [{}, { vd_cnt: 2 }] }))).toEqual([
      expect.objectContaining({ rule: 'version-definitions', field: 'sec[6].verdef[1].vd_cnt', message: expect.stringContaining('holds 1') }),
    ]);
  });

  it('reports a definition list that leaves the section, and then leaves the indexes alone', () => {
    const findings = lintSpec(versionedHelloSpec({ verdef: [{}, { vd_next: 0x1000 }] }));
    expect(ruleIds(findings)).toEqual(['version-definitions']);
    expect(findings[0]).toMatchObject({ field: 'sec[6].verdef[1].vd_next', message: expect.stringContaining('cannot be walked') });
  });

  it('reports a needed file that is not a DT_NEEDED library', () => {
    // vn_file 1 is hello.so, the soname, the first string of .dynstr.
    expect(lintSpec(versionedHelloSpec({ verneed: { vn_file: 1 } }))).toEqual([
      expect.objectContaining({ rule: 'version-needs', field: 'sec[8].verneed[0].vn_file', actual: 'hello.so', expected: 'libc.so.6' }),
    ]);
  });

  it('reports a needed version whose index a definition already has', () => {
    expect(lintSpec(versionedHelloSpec({ vernaux: { vna_other: 2 }, versym: [0, 2, 2] }))).toEqual([
      expect.objectContaining({ rule: 'version-needs', field: 'sec[8].verneed[0].aux[0].vna_other' }),
    ]);
  });

  it('compares DT_VERNEEDNUM with the needs the section holds', () => {
    expect(lintSpec(versionedHelloSpec({ tagDelta: new Map([[DT_VERNEEDNUM, 1n]]) }))).toEqual([
      expect.objectContaining({ rule: 'dynsym-dynamic-match', actual: '2', expected: '1', message: expect.stringContaining('holds 1 entry:') }),
    ]);
  });
});
