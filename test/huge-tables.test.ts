// Tables of every size the format allows (extended numbering: e_phnum PN_XNUM
// with the count in section 0's sh_info, e_shnum 0 with the count in its
// sh_size) take time linear in the table and bounded memory, and a rule that
// fires on every entry reports its first few findings and a count. Also:
// findings on a truncated file point inside it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec, SegmentSpec } from '../src/gen/spec.js';
import { helloSpecFor } from '../src/gen/templates.js';
import { parseElf } from '../src/parse/parse.js';
import { FOLD_AFTER, lintParsed } from '../src/rules/engine.js';
import { loadSegmentsOverlap } from '../src/rules/checks/load-segments-overlap.js';
import type { RuleContext } from '../src/rules/rule.js';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions } from '../src/model/assumptions.js';
import { DF_1_PIE, DT_FLAGS_1, ET_CORE, ET_EXEC, ET_REL, PF_R, PN_XNUM, PT_DYNAMIC, PT_LOAD, PT_NOTE, PT_NULL } from '../src/model/constants.js';
import type { ElfFile, ProgramHeader } from '../src/model/elf.js';
import type { Finding } from '../src/model/finding.js';
import { HELLO, parseSpec } from './support.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-huge-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `count` program headers, counted through section 0 (extended numbering). */
function manySegments(count: number, segment: (index: number) => SegmentSpec, type = ET_EXEC): ElfSpec {
  return { header: { e_type: type, e_phnum: PN_XNUM }, segments: Array.from({ length: count }, (_, i) => segment(i)), sections: [{ sh_info: count }] };
}

/** Read-only PT_LOADs in descending order, each with bss: two rules fire on every entry. */
const unsorted = (count: number) => manySegments(count, (i) => ({
  p_type: PT_LOAD, p_flags: PF_R, p_vaddr: 0x400000n + BigInt(count - i) * 0x1000n, p_offset: 0n, p_filesz: 0n, p_memsz: 0x1000n,
}));

/** A relocatable object with `count` sections (e_shnum 0, the count in section 0's sh_size), each with a bad sh_addralign. */
function manySections(count: number): ElfSpec {
  const sections = Array.from({ length: count - 1 }, (_, i) => (i === 0 ? {} : { name: `.s${i}`, sh_type: 1, sh_offset: 0x40n, sh_size: 16n, sh_addralign: 3n }));
  return { header: { e_type: ET_REL }, sections: [...sections, { name: '.shstrtab' }] };
}

function lint(spec: ElfSpec): Finding[] {
  return lintParsed(parseElf(buildElf(spec)));
}

function shownAndFolded(findings: readonly Finding[], rule: string): { shown: Finding[]; folded: number } {
  const shown = findings.filter((finding) => finding.rule === rule);
  return { shown, folded: shown.reduce((sum, finding) => sum + (finding.folded ?? 0), 0) };
}

describe('a rule that fires on every entry folds', () => {
  it('66,000 program headers: the first 10 findings of each rule, and a count of the rest', () => {
    const findings = lint(unsorted(66_000));
    const sorted = shownAndFolded(findings, 'load-segments-sorted');
    expect(sorted.shown.map((finding) => finding.field)).toEqual(Array.from({ length: FOLD_AFTER }, (_, i) => `phdr[${i + 1}].p_vaddr`));
    expect(sorted.folded).toBe(65_999 - FOLD_AFTER);
    // The count rides on the last finding shown, in the order the rule reported them.
    expect(sorted.shown.find((finding) => finding.folded)?.field).toBe(`phdr[${FOLD_AFTER}].p_vaddr`);
    expect(shownAndFolded(findings, 'segment-bss-not-writable')).toMatchObject({ folded: 66_000 - FOLD_AFTER });
    expect(findings.length).toBeLessThan(40);
  });

  it('131,070 program headers (more findings than a spread argument list holds) do not crash the engine', () => {
    const findings = lint(unsorted(131_070));
    expect(findings.filter((finding) => finding.rule === 'internal-error')).toEqual([]);
    expect(shownAndFolded(findings, 'load-segments-sorted').folded).toBe(131_069 - FOLD_AFTER);
  });

  it('66,000 sections counted through section 0: the first 10 findings and a count, names read across windows', () => {
    const file = parseElf(buildElf(manySections(66_000)));
    if (file.kind !== 'elf') throw new Error('not ELF');
    expect(file.header?.e_shnum).toBe(0);
    expect(file.sectionHeaders).toHaveLength(66_000);
    for (const index of [1, 4095, 4096, 4097, 65_998]) expect(file.sectionHeaders.at(index)?.name).toBe(`.s${index}`);
    expect(file.sectionHeaders.at(65_999)?.name).toBe('.shstrtab');
    const aligned = shownAndFolded(lintParsed(file), 'section-align-invalid');
    expect(aligned.shown).toHaveLength(FOLD_AFTER);
    expect(aligned.folded).toBe(65_998 - FOLD_AFTER);
  });

  it('a rule that fires up to 10 times is not folded', () => {
    // 11 entries: 10 out of order (not folded), 11 with bss (1 folded).
    const findings = lint(unsorted(FOLD_AFTER + 1));
    expect(shownAndFolded(findings, 'load-segments-sorted')).toMatchObject({ shown: { length: FOLD_AFTER }, folded: 0 });
    expect(shownAndFolded(findings, 'segment-bss-not-writable')).toMatchObject({ shown: { length: FOLD_AFTER }, folded: 1 });
  });
});

describe('the parser reads huge tables in windows', () => {
  it('every entry of a 131,070-entry core is read, across window boundaries', () => {
    const count = 131_070;
    const file = parseSpec(manySegments(count, (i) => (i === 0 ? { p_type: PT_NOTE } : { p_type: PT_LOAD, p_vaddr: BigInt(i) * 0x1000n, p_memsz: 0x1000n }), ET_CORE));
    expect(file.phnum).toBe(count);
    expect(file.programHeaders).toHaveLength(count);
    for (const index of [1, 4095, 4096, 4097, 8192, count - 1]) {
      expect(file.programHeaders[index]).toMatchObject({ index, p_type: PT_LOAD, p_vaddr: BigInt(index) * 0x1000n, p_memsz: 0x1000n });
    }
  });

  it('the dynamic table of a PT_DYNAMIC past the first window', () => {
    const entries = Buffer.alloc(32);
    entries.writeBigUInt64LE(DT_FLAGS_1, 0);
    entries.writeBigUInt64LE(DF_1_PIE, 8);
    const file = parseSpec(manySegments(5000, (i) => (i === 4500 ? { p_type: PT_DYNAMIC, data: entries } : { p_type: PT_NULL })));
    expect(file.dynamic).toEqual([{ index: 0, d_tag: DT_FLAGS_1, d_val: DF_1_PIE }, { index: 1, d_tag: 0n, d_val: 0n }]);
  });

  it('keeps the model of a table, not a parser object per entry (retained heap per entry)', () => {
    // Measured in a child with --expose-gc; the model itself is about 250 bytes an entry, Kaitai's objects were 1,200.
    const path = join(scratch, 'core');
    writeFileSync(path, buildElf(manySegments(131_070, (i) => ({ p_type: PT_LOAD, p_vaddr: BigInt(i) * 0x1000n, p_memsz: 0x1000n }), ET_CORE)));
    const parser = new URL('../dist/parse/parse.js', import.meta.url).href;
    const script = `
      import { readFileSync } from 'node:fs';
      import { parseElf } from ${JSON.stringify(parser)};
      const bytes = readFileSync(${JSON.stringify(path)});
      gc(); const before = process.memoryUsage().heapUsed;
      const file = parseElf(bytes); const count = file.programHeaders.length;
      gc(); const after = process.memoryUsage().heapUsed;
      console.log(JSON.stringify({ count, perEntry: (after - before) / count }));`;
    const result = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const { count, perEntry } = JSON.parse(result.stdout) as { count: number; perEntry: number };
    expect(count).toBe(131_070);
    expect(perEntry).toBeLessThan(600);
  });
});

describe('load-segments-overlap sorts and sweeps', () => {
  const context = (file: ElfFile): RuleContext => ({
    assumptions: resolveAssumptions(DEFAULT_ASSUMPTIONS, undefined, file.layout), handler: undefined,
    prediction: () => { throw new Error('not used'); },
  });
  const overlaps = (a: ProgramHeader, b: ProgramHeader) => a.p_vaddr < b.p_vaddr + b.p_memsz && b.p_vaddr < a.p_vaddr + a.p_memsz;
  const loads = (ranges: readonly (readonly [bigint, bigint])[]) => parseSpec({
    ...HELLO, segments: ranges.map(([p_vaddr, p_memsz]) => ({ p_type: PT_LOAD, p_vaddr, p_memsz, p_offset: 0n, p_filesz: 0n })),
  });

  it('reads each segment a logarithmic number of times, not once per pair', () => {
    const file = loads(Array.from({ length: 2000 }, () => [0x400000n, 0x1000n] as const));
    let reads = 0;
    const counted = file.programHeaders.map((phdr) => new Proxy(phdr, {
      get(target, key, receiver) {
        if (key === 'p_vaddr' || key === 'p_memsz') reads += 1;
        return Reflect.get(target, key, receiver);
      },
    }));
    const view = new Proxy(file, { get: (target, key) => (key === 'programHeaders' ? counted : Reflect.get(target, key, target)) });
    const reports = [...loadSegmentsOverlap.check(view, context(file))];
    // Every segment but the first overlaps the first: one report each, not one per pair.
    expect(reports).toHaveLength(1999);
    expect(reads).toBeLessThan(2000 * 60);
  });

  it('reports an overlapping pair for every segment that overlaps another, and nothing else', () => {
    const range = fc.tuple(fc.bigInt({ min: 0n, max: 0x40n }), fc.bigInt({ min: 0n, max: 0x20n })).map(([start, size]) => [0x400000n + start * 0x10n, size * 0x10n] as const);
    fc.assert(fc.property(fc.array(range, { maxLength: 12 }), (ranges) => {
      const file = loads(ranges);
      const mapped = file.programHeaders.filter((phdr) => phdr.p_memsz > 0n);
      const involved = new Set(mapped.filter((a) => mapped.some((b) => a !== b && overlaps(a, b))).map((phdr) => phdr.index));
      const reported = new Set<number>();
      for (const report of loadSegmentsOverlap.check(file, context(file))) {
        const [second, first] = [...report.message.matchAll(/PT_LOAD (\d+)/g)].map((match) => Number(match[1]));
        expect(first).toBeLessThan(second!);
        expect(overlaps(file.programHeaders[first!]!, file.programHeaders[second!]!)).toBe(true);
        reported.add(first!).add(second!);
      }
      expect([...reported].sort()).toEqual([...involved].sort());
    }));
  });
});

describe('the CLI on huge tables', () => {
  const path = join(scratch, 'unsorted');
  writeFileSync(path, buildElf(unsorted(131_070)));

  it('text: the first findings of each rule and a line with the count of the rest', () => {
    const result = spawnSync(process.execPath, [CLI, path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toContain(`${path}: note: ${131_069 - FOLD_AFTER} more load-segments-sorted findings folded (the first ${FOLD_AFTER} are shown)`);
    expect(result.stdout).toMatch(new RegExp(`infos \\(and ${131_069 + 131_070 - 2 * FOLD_AFTER} more folded\\)\\n$`));
    expect(result.stdout.split('\n').length).toBeLessThan(40);
  });

  it('JSON: a folded count per rule for the file and in the summary', () => {
    const result = spawnSync(process.execPath, [CLI, '--format', 'json', path], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(1);
    const document = JSON.parse(result.stdout) as { files: { folded: Record<string, number> }[]; summary: { folded: number } };
    expect(document.files[0]!.folded).toEqual({ 'load-segments-sorted': 131_069 - FOLD_AFTER, 'segment-bss-not-writable': 131_070 - FOLD_AFTER });
    expect(document.summary.folded).toBe(131_069 + 131_070 - 2 * FOLD_AFTER);
  });
});

describe('findings on a truncated file point inside it', () => {
  const cut = (spec: ElfSpec, size: number) => lintParsed(parseElf(buildElf({ ...spec, size })));

  it('hello cut anywhere in its header: every finding lies inside the file', () => {
    for (let size = 16; size <= 64; size += 1) {
      for (const finding of cut(HELLO, size)) {
        expect(finding.offset + finding.length, `${finding.rule} at ${size} bytes`).toBeLessThanOrEqual(size);
      }
    }
  });

  it('a field wholly past the end is pointed at the end, said to be missing', () => {
    // At 50 bytes e_phentsize (54) and e_phnum (56) are gone and read as zero.
    const findings = cut(HELLO, 50);
    expect(findings.find((finding) => finding.rule === 'header-phentsize')).toMatchObject({
      field: 'e_phentsize', offset: 50, length: 0, actual: 'missing',
      message: expect.stringMatching(/ \(the field lies past the end of the 50-byte file\)$/),
    });
    expect(findings.find((finding) => finding.rule === 'phdr-count')).toMatchObject({ offset: 50, length: 0, actual: 'missing' });
  });

  it('a field cut by the end keeps the bytes that are there', () => {
    // Big-endian: e_phentsize 0x0038 at 54 loses its low byte at 55 bytes and reads as 0.
    const findings = cut(helloSpecFor('s390x', Buffer.from('hi\n')), 55);
    expect(findings.find((finding) => finding.rule === 'header-phentsize')).toMatchObject({
      offset: 54, length: 1, actual: '0', message: expect.stringMatching(/ \(the field runs past the end of the 55-byte file\)$/),
    });
  });

  it('findings inside the file are unchanged (hello cut at 60 bytes, as in the corpus)', () => {
    expect(cut(HELLO, 60).map(({ rule, offset, length }) => ({ rule, offset, length }))).toEqual([
      { rule: 'header-truncated', offset: 0, length: 60 },
      { rule: 'phdr-table-bounds', offset: 32, length: 8 },
    ]);
  });
});
