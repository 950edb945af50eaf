// The bench's floor (bench/floor.mjs) stands for the least work a checker of these files must do;
// it only does if it really reads the tables and walks every entry. Its counts must be the
// parser's: the defined dynamic symbols it hashes and the relocations it walks, on one thread
// and on two, in both classes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf } from '../src/parse/parse.js';
import { SHN_UNDEF, SHT_DYNSYM, SHT_REL, SHT_RELA } from '../src/model/constants.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-bench-floor-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Dynamic PIEs (defined dynamic symbols, .rela.dyn), an ELF32 program, and one without dynamic tables.
const FILES = ['corpus/hello-gnu-hash-bloom', 'corpus/hello-version-hash', 'corpus/hello-reloc-offset', 'corpus/hello-elf32', 'corpus/hello'];

function parserCounts(paths: readonly string[]): { names: number; relocations: number } {
  let names = 0;
  let relocations = 0;
  for (const path of paths) {
    const file = parseElf(new Uint8Array(readFileSync(path)));
    if (file.kind !== 'elf') throw new Error(`${path} is not ELF`);
    for (const section of file.sectionHeaders) {
      if (section.sh_type === SHT_DYNSYM) names += file.contents.symbols(section.index).filter((symbol) => symbol.index > 0 && symbol.st_shndx !== SHN_UNDEF).length;
      if (section.sh_type === SHT_RELA || section.sh_type === SHT_REL) relocations += file.contents.relocations(section.index).length;
    }
  }
  return { names, relocations };
}

function floor(mode: 'read' | 'check', list: string, threads: number): { files: number; bytes: number; names: number; relocations: number } {
  return JSON.parse(execFileSync(process.execPath, ['bench/floor.mjs', mode, list, '--threads', String(threads)], { encoding: 'utf8' })) as ReturnType<typeof floor>;
}

describe('bench/floor.mjs', () => {
  const list = join(scratch, 'files.txt');
  writeFileSync(list, `${FILES.join('\n')}\n`);
  const expected = parserCounts(FILES);

  it('hashes every defined dynamic symbol and walks every relocation the parser reads, on one thread and on two', () => {
    expect(expected.names).toBeGreaterThan(0);
    expect(expected.relocations).toBeGreaterThan(0);
    const one = floor('check', list, 1);
    expect(one).toMatchObject({ files: FILES.length, ...expected });
    expect(floor('check', list, 2)).toEqual(one);
  });

  it('reads the same bytes without checking them', () => {
    const checked = floor('check', list, 1);
    const read = floor('read', list, 1);
    expect(read).toEqual({ files: FILES.length, bytes: checked.bytes, names: 0, relocations: 0 });
    expect(read.bytes).toBeGreaterThan(0);
  });
});
