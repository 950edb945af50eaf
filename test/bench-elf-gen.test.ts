// The bench's large-file generator (bench/elf-gen.mjs) writes what it says:
// a running program with the tables it was asked for, in extended numbering
// from SHN_LORESERVE sections on. Small counts here; the bench writes 10^6.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBigElf } from '../bench/elf-gen.mjs';
import { examine } from '../src/examine.js';
import { SHN_LORESERVE, SHN_XINDEX, SHT_STRTAB, SHT_SYMTAB } from '../src/model/constants.js';
import type { ElfFile } from '../src/model/elf.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-bench-gen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function generated(name: string, options: { bytes: number; symbols: number; sections: number }) {
  const path = join(scratch, name);
  writeBigElf(path, options);
  const { file, findings, loader } = examine(readFileSync(path));
  if (file.kind !== 'elf') throw new Error('not ELF');
  return { path, file: file as ElfFile, findings, loader };
}

describe('bench/elf-gen.mjs', () => {
  it('writes extended numbering from SHN_LORESERVE sections on, with every symbol and section', () => {
    const sections = SHN_LORESERVE + 10;
    const { path, file, findings, loader } = generated('extended', { bytes: 8 * 2 ** 20, symbols: 1000, sections });
    expect(statSync(path).size).toBe(8 * 2 ** 20);
    expect(file.parseIssues).toEqual([]);
    expect(file.header!.e_shnum).toBe(0);
    expect(file.header!.e_shstrndx).toBe(SHN_XINDEX);
    expect(file.sectionHeaders).toHaveLength(sections);
    expect(file.sectionHeaders.at(0)!.sh_size).toBe(BigInt(sections));
    expect(file.shstrndx).toBe(sections - 1);
    expect([0, 1, 2, 3, 4].map((index) => file.sectionHeaders.at(index)!.name)).toEqual(['', '.text', '.symtab', '.strtab', '.fill']);
    expect(file.sectionHeaders.at(sections - 1)!.name).toBe('.shstrtab');
    expect(file.sectionHeaders.at(2)!.sh_type).toBe(SHT_SYMTAB);
    expect(file.sectionHeaders.at(3)!.sh_type).toBe(SHT_STRTAB);
    const symbols = file.contents.symbols(2);
    expect(symbols).toHaveLength(1000);
    expect(symbols.at(-1)!.name).toBe('s999');
    expect(loader.verdict).toBe('runs');
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  it('uses ordinary numbering below SHN_LORESERVE sections, and grows the file when the tables need it', () => {
    const { path, file } = generated('small', { bytes: 0, symbols: 10, sections: 7 });
    expect(file.header!.e_shnum).toBe(7);
    expect(file.shstrndx).toBe(6);
    expect(statSync(path).size).toBe(Number(file.header!.e_shoff) + 7 * 64);
    expect(file.contents.symbols(2).map((symbol) => symbol.name)).toEqual([
      '', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9',
    ]);
  });
});
