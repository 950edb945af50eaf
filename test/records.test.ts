// Program and section headers, note headers, version needs, symbol tables, relocations, dynamic sections and word tables are decoded
// straight from the bytes at the class layout's offsets (src/parse/records.ts);
// the Kaitai schema describes the same entries. Here both read the tables of
// files of every class and byte order and must agree on every field.
// Host facts: the host's own binaries (/usr/bin/ls, libc) and the GNU cross
// assemblers .ci/run installs (i686, big-endian ARM, s390x); a missing tool
// skips its case and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import generated from '../src/parse/generated/Elf.cjs';
import type { ElfSchema } from '../src/parse/generated/Elf.cjs';
import { FileBytes } from '../src/parse/bytes.js';
import { FileStream } from '../src/parse/stream.js';
import { parseElf } from '../src/parse/parse.js';
import type { ElfFile } from '../src/model/elf.js';
import { joinHalves } from '../src/model/word-halves.js';
import { PT_DYNAMIC, SHT_DYNAMIC, SHT_DYNSYM, SHT_GNU_VERNEED, SHT_NOTE, SHT_REL, SHT_RELA, SHT_SYMTAB } from '../src/model/constants.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-records-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = `
  .data
  .globl shared
shared: .long 1, 2
  .text
  .globl start
start: .long shared, local, external
local: .long shared + 4
`;

/** An object assembled by `as` (with `flags`), or undefined (and why) when the assembler is missing. */
function assembled(assembler: string, flags: readonly string[]): Uint8Array | string {
  const out = join(scratch, `${assembler}.o`);
  const result = spawnSync(assembler, [...flags, '-o', out], { input: SOURCE });
  return result.status === 0 ? readFileSync(out) : `${assembler} is not installed or failed (${result.error?.message ?? result.stderr.toString().trim()})`;
}

const files: [string, Uint8Array | string][] = [
  ['ELF64 LSB executable (/usr/bin/ls)', existsSync('/usr/bin/ls') ? readFileSync('/usr/bin/ls') : '/usr/bin/ls is missing'],
  ['ELF64 LSB object (as)', assembled('as', [])],
  ['ELF32 LSB object (i686-linux-gnu-as)', assembled('i686-linux-gnu-as', ['--32'])],
  ['ELF32 MSB object (arm-linux-gnueabi-as -EB)', assembled('arm-linux-gnueabi-as', ['-EB'])],
  ['ELF64 MSB object (s390x-linux-gnu-as)', assembled('s390x-linux-gnu-as', [])],
];

const exact = (word: ElfSchema.Word) => (BigInt(word.hi) << 32n) | BigInt(word.lo);

/** One section's entries as the schema reads them: a root whose region is the section. */
function schemaEntries(bytes: Uint8Array, elf: ElfFile, index: number): ElfSchema.FileHeader {
  const section = elf.sectionHeaders.at(index)!;
  const file = new FileBytes(bytes);
  const unit = Number(section.sh_entsize);
  const count = Number(section.sh_size) / unit;
  return new generated.Elf(new FileStream(file), null, null, file.size, elf.layout.elfClass === 'ELF32' ? 1 : 2, elf.byteOrder === 'LSB' ? 1 : 2,
    0, count, Number(section.sh_offset), Number(section.sh_size), unit).header;
}

/** The program and section header tables as the schema reads them: a root whose window holds every entry. */
function schemaHeaders(bytes: Uint8Array, elf: ElfFile): ElfSchema.FileHeader {
  const file = new FileBytes(bytes);
  return new generated.Elf(new FileStream(file), null, null, file.size, elf.layout.elfClass === 'ELF32' ? 1 : 2, elf.byteOrder === 'LSB' ? 1 : 2,
    0, Math.max(elf.phnum, elf.shnum), 0, 0, 0).header;
}

/** Every row of a table's runs, each read as it comes (a walk reuses one run's arrays). */
function rowsOf<Run extends { readonly count: number }>(runs: Iterable<Run>, read: (run: Run, row: number) => unknown[]): unknown[][] {
  const rows: unknown[][] = [];
  for (const run of runs) for (let row = 0; row < run.count; row += 1) rows.push(read(run, row));
  return rows;
}

/** The file parsed, or undefined after skipping the test (and saying why) when its tool is missing. */
function parsedOrSkip(bytes: Uint8Array | string, context: { skip(): void }): ElfFile | undefined {
  if (typeof bytes === 'string') {
    console.log(`records: skipped: ${bytes}`);
    context.skip();
    return undefined;
  }
  const elf = parseElf(bytes);
  if (elf.kind !== 'elf') throw new Error('not parsed as ELF');
  return elf;
}

describe.each(files)('%s', (_name, bytes) => {
  it('reads every program and section header, each section name and the dynamic table, as the schema does', (context) => {
    const elf = parsedOrSkip(bytes, context);
    if (typeof bytes === 'string' || !elf) return;
    const schema = schemaHeaders(bytes, elf);
    const phdrs = schema.programHeaders ?? [];
    expect(elf.programHeaders.map((phdr) => [phdr.p_type, phdr.p_flags, phdr.p_offset, phdr.p_vaddr, phdr.p_paddr, phdr.p_filesz, phdr.p_memsz, phdr.p_align, phdr.interpreter]))
      .toEqual(phdrs.map((raw) => [raw.pType, raw.pFlags, exact(raw.pOffset), exact(raw.pVaddr), exact(raw.pPaddr), exact(raw.pFilesz), exact(raw.pMemsz), exact(raw.pAlign), raw.interpreter]));
    const shdrs = schema.sectionHeaders ?? [];
    expect(elf.sectionHeaders.map((shdr) => [shdr.sh_name, shdr.sh_type, shdr.sh_flags, shdr.sh_addr, shdr.sh_offset, shdr.sh_size, shdr.sh_link, shdr.sh_info, shdr.sh_addralign, shdr.sh_entsize, shdr.name]))
      .toEqual(shdrs.map((raw) => [raw.shName, raw.shType, exact(raw.shFlags), exact(raw.shAddr), exact(raw.shOffset), exact(raw.shSize), raw.shLink, raw.shInfo, exact(raw.shAddralign), exact(raw.shEntsize), raw.name]));
    expect(elf.sectionHeaders.length).toBeGreaterThan(3);
    const dynamic = phdrs.find((raw) => raw.pType === PT_DYNAMIC)?.dynamic;
    expect(elf.dynamic?.map((entry) => [entry.d_tag, entry.d_val])).toEqual(dynamic?.entries.map((raw) => [exact(raw.dTag), exact(raw.dVal)]));
  });

  it('reads every note header and version need as the schema does', (context) => {
    const elf = parsedOrSkip(bytes, context);
    if (typeof bytes === 'string' || !elf) return;
    const structs = elf.layout.contents;
    const schemaAt = (pos: number, unit: number) => {
      const file = new FileBytes(bytes);
      return new generated.Elf(new FileStream(file), null, null, file.size, elf.layout.elfClass === 'ELF32' ? 1 : 2, elf.byteOrder === 'LSB' ? 1 : 2,
        0, 0, pos, unit, unit).header;
    };
    let compared = 0;
    for (const section of elf.sectionHeaders) {
      if (section.sh_type === SHT_NOTE) {
        for (const note of elf.contents.sectionNotes(section.index)) {
          const raw = schemaAt(note.offset, structs.nhdr.size).noteHeader;
          expect([note.n_namesz, note.n_descsz, note.n_type]).toEqual([raw.nNamesz, raw.nDescsz, raw.nType]);
          compared += 1;
        }
      } else if (section.sh_type === SHT_GNU_VERNEED) {
        for (const need of elf.contents.verneed(section.index).entries) {
          const raw = schemaAt(need.offset, structs.verneed.size).verneed;
          expect([need.vn_version, need.vn_cnt, need.vn_file, need.vn_aux, need.vn_next]).toEqual([raw.vnVersion, raw.vnCnt, raw.vnFile, raw.vnAux, raw.vnNext]);
          for (const aux of need.aux) {
            const rawAux = schemaAt(aux.offset, structs.vernaux.size).vernaux;
            expect([aux.vna_hash, aux.vna_flags, aux.vna_other, aux.vna_name, aux.vna_next])
              .toEqual([rawAux.vnaHash, rawAux.vnaFlags, rawAux.vnaOther, rawAux.vnaName, rawAux.vnaNext]);
          }
          compared += 1;
        }
      }
    }
    // Objects from `as` have no notes or version needs; the host's ls has both.
    if (elf.header?.e_type !== 1) expect(compared).toBeGreaterThan(2);
  });

  it('reads every table entry as the schema does', (context) => {
    const elf = parsedOrSkip(bytes, context);
    if (typeof bytes === 'string' || !elf) return;
    let compared = 0;
    for (const section of elf.sectionHeaders) {
      const schema = () => schemaEntries(bytes, elf, section.index);
      if (section.sh_type === SHT_SYMTAB || section.sh_type === SHT_DYNSYM) {
        const raws = schema().symbols ?? [];
        const symbols = elf.contents.symbols(section.index);
        expect(symbols.length).toBe(raws.length);
        [...symbols].forEach((symbol, i) => {
          const raw = raws[i]!;
          expect([symbol.st_name, symbol.st_value, symbol.st_size, symbol.st_info, symbol.st_other, symbol.st_shndx])
            .toEqual([raw.stName, exact(raw.stValue), exact(raw.stSize), raw.stInfo, raw.stOther, raw.stShndx]);
        });
        // The same symbols a run of columns at a time, as the rules that walk every symbol read them.
        const rows = rowsOf(symbols.runs(), (run, row) => [
          run.name[row], run.info[row], run.other[row], run.shndx[row], joinHalves(run.valueHigh[row]!, run.valueLow[row]!), joinHalves(run.sizeHigh[row]!, run.sizeLow[row]!),
        ]);
        expect(rows).toEqual([...symbols].map((symbol) => [symbol.st_name, symbol.st_info, symbol.st_other, symbol.st_shndx, symbol.st_value, symbol.st_size]));
        compared += symbols.length;
      } else if (section.sh_type === SHT_RELA || section.sh_type === SHT_REL) {
        const rela = section.sh_type === SHT_RELA;
        const raws: (ElfSchema.Rel | ElfSchema.Rela)[] = (rela ? schema().relas : schema().rels) ?? [];
        const relocations = elf.contents.relocations(section.index);
        expect(relocations.length).toBe(raws.length);
        [...relocations].forEach((relocation, i) => {
          const raw = raws[i]!;
          const addend = 'rAddend' in raw ? BigInt.asIntN(elf.layout.wordSize * 8, exact(raw.rAddend)) : undefined;
          expect([relocation.r_offset, relocation.r_info, relocation.r_addend]).toEqual([exact(raw.rOffset), exact(raw.rInfo), addend]);
          const symbolShift = elf.layout.elfClass === 'ELF64' ? 32n : 8n;
          expect([relocation.symbol, relocation.type]).toEqual([Number(exact(raw.rInfo) >> symbolShift), Number(exact(raw.rInfo) & ((1n << symbolShift) - 1n))]);
        });
        const rows = rowsOf(relocations.runs(), (run, row) => [joinHalves(run.offsetHigh[row]!, run.offsetLow[row]!), run.symbol[row], run.type[row]]);
        expect(rows).toEqual([...relocations].map((relocation) => [relocation.r_offset, relocation.symbol, relocation.type]));
        compared += relocations.length;
      } else if (section.sh_type === SHT_DYNAMIC) {
        const raws = schema().dynamicEntries ?? [];
        const entries = elf.contents.dynamicSection(section.index);
        entries.forEach((entry, i) => expect([entry.d_tag, entry.d_val]).toEqual([exact(raws[i]!.dTag), exact(raws[i]!.dVal)]));
        compared += entries.length;
      }
    }
    expect(compared).toBeGreaterThan(3);
  });
});
