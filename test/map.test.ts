// The layout map as data (src/report/map.ts), its text and SVG renderings,
// and the HTML report, without a browser (test/map-browser.test.ts opens them in one).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examine } from '../src/examine.js';
import { buildElf } from '../src/gen/build.js';
import { MAX_FILE_ROWS, type MapLayout } from '../src/report/map.js';
import { renderMapText } from '../src/report/map-text.js';
import { renderMapSvg } from '../src/report/map-svg.js';
import { renderHtml } from '../src/report/html.js';
import { mapOfInput } from '../src/cli/map-command.js';
import { chooseHandler, imagePlacement } from '../src/loader/predict.js';
import { DEFAULT_ASSUMPTIONS } from '../src/model/assumptions.js';
import { ET_CORE, SHT_PROGBITS } from '../src/model/constants.js';
import { summarizeElf, type FileReport } from '../src/report/file-report.js';
import { HELLO } from './support.js';

const CORPUS = new URL('../corpus/', import.meta.url);

function mapOf(name: string): MapLayout {
  return mapOfInput({ path: `corpus/${name}`, bytes: readFileSync(new URL(name, CORPUS)) }, DEFAULT_ASSUMPTIONS);
}

function mapOfBytes(path: string, bytes: Uint8Array): MapLayout {
  return mapOfInput({ path, bytes }, DEFAULT_ASSUMPTIONS);
}

const corpusFiles = readdirSync(CORPUS).filter((name) => name !== 'README.md').sort();

// The golden map of the seed: what `elf-lint map corpus/hello` prints in a pipe.
const HELLO_MAP = `corpus/hello: ELF64 LSB EXEC X86_64, 910 bytes; memory as the x86_64 loader maps it, page 0x1000
 file offsets                                   0        virtual memory
┌─────────────────────────────────────────────────┐    ┌────────────────────────────────────────────────────┐
│ 0x000-0x040 ELF header                        ┃ │───►│ 0x400000-0x401000 r-x LOAD 0 (file 0x0+0x38e)      │
│ 0x040-0x078 program headers (1)               ┃ │    │ ▶ 0x400078 entry point (in LOAD 0)                 │
│ 0x078-0x38e in no header or section           ┃ │    │ 0x402000-0x40401000 heap start (brk)               │
└─────────────────────────────────────────────────┘    │ 0x7efbff701000-0x7ffbff700000 mmap base            │
                                                       │ 0x7ffc00000000-0x7ffffffff000 stack top            │
                                                       └────────────────────────────────────────────────────┘
segment 0: LOAD, file 0x0-0x38e
heap start, mmap base, stack top: random within the ranges shown (8 MiB stack limit assumed)
the heap grows up from its start, the stack down from its top;
the interpreter, libraries and other mappings go below the mmap base
loader: runs: the program starts at 0x400078
`;

const ENTRY_OUTSIDE_ASCII = `corpus/hello-entry-outside: ELF64 LSB EXEC X86_64, 910 bytes; memory as the x86_64 loader maps it, page 0x1000
 file offsets                                   0        virtual memory
+-------------------------------------------------+    +----------------------------------------------------+
| 0x000-0x040 ELF header                        | |--->| 0x400000-0x401000 r-x LOAD 0 (file 0x0+0x38e)      |
|   E entry-in-load-segment (e_entry)           | |    | 0x402000-0x40401000 heap start (brk)               |
| 0x040-0x078 program headers (1)               | |    | -> 0x500000 entry point (in no PT_LOAD)            |
| 0x078-0x38e in no header or section           | |    |   E entry-in-load-segment (e_entry)                |
+-------------------------------------------------+    | 0x7efbff701000-0x7ffbff700000 mmap base            |
                                                       | 0x7ffc00000000-0x7ffffffff000 stack top            |
                                                       +----------------------------------------------------+
segment 0: LOAD, file 0x0-0x38e
heap start, mmap base, stack top: random within the ranges shown (8 MiB stack limit assumed)
the heap grows up from its start, the stack down from its top;
the interpreter, libraries and other mappings go below the mmap base
loader: start-fault (SIGSEGV): nothing is mapped at the entry point 0x500000
`;

describe('the layout map of the seed', () => {
  it('has the file regions, the mapping, the link between them and the entry point', () => {
    const map = mapOf('hello');
    expect(map.fileRows.map((row) => [row.kind, row.start, row.end])).toEqual([['header', 0, 0x40], ['phdrs', 0x40, 0x78], ['gap', 0x78, 910]]);
    expect(map.memoryRows.map((row) => [row.kind, row.start, row.end, row.perms])).toEqual([
      ['load', '0x400000', '0x401000', 'r-x'], ['entry', '0x400078', '', ''],
      // Where randomisation puts the heap's start, the mmap base and the stack's top (test/arch-profiles.test.ts has the arithmetic).
      ['heap', '0x402000', '0x40401000', ''], ['mmap', '0x7efbff701000', '0x7ffbff700000', ''], ['stack', '0x7ffc00000000', '0x7ffffffff000', ''],
    ]);
    expect(map.links).toEqual([{ segment: 0, firstRow: 0, lastRow: 2, memoryRow: 0 }]);
    expect(map.lanes).toEqual([{ segment: 0, type: 'LOAD', start: 0, end: 910, firstRow: 0, lastRow: 2 }]);
    expect(map.findings).toEqual([]);
    expect(map.bias).toBeUndefined();
    expect(map.verdict).toEqual({ verdict: 'runs', label: 'runs', reason: 'the program starts at 0x400078' });
  });

  it('renders as the golden text map, and in ASCII', () => {
    expect(renderMapText(mapOf('hello'), { ascii: false, color: false })).toBe(HELLO_MAP);
    expect(renderMapText(mapOf('hello-entry-outside'), { ascii: true, color: false })).toBe(ENTRY_OUTSIDE_ASCII);
    expect(renderMapText(mapOf('hello-entry-outside'), { ascii: true, color: false })).toMatch(/^[\u0020-\u007e\n]*$/);
  });

  it('colours findings only when asked', () => {
    const coloured = renderMapText(mapOf('hello-entry-outside'), { ascii: false, color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(renderMapText(mapOf('hello-entry-outside'), { ascii: false, color: false })).not.toContain('\u001b');
  });

  it('docs/map-hello.svg is current (run `npm run docs` to refresh)', () => {
    expect(readFileSync(new URL('../docs/map-hello.svg', import.meta.url), 'utf8')).toBe(renderMapSvg(mapOf('hello'), { idPrefix: 'map-', standalone: true }));
  });
});

describe('findings on the map', () => {
  it('draws a finding on the rows its bytes lie in, and an e_entry finding on the entry point', () => {
    const map = mapOf('hello-entry-outside');
    expect(map.findings.map((finding) => [finding.rule, finding.offset, finding.length])).toEqual([['entry-in-load-segment', 0x18, 8]]);
    expect(map.fileRows[0]!.findings).toEqual([0]);
    expect(map.fileRows.slice(1).every((row) => row.findings.length === 0)).toBe(true);
    const entry = map.memoryRows.find((row) => row.kind === 'entry')!;
    expect(entry).toMatchObject({ start: '0x500000', label: 'entry point (in no PT_LOAD)', findings: [0] });
  });

  it('draws a finding on a program header field on its segment\'s mapping too', () => {
    const map = mapOf('hello-wx');
    const index = map.findings.findIndex((finding) => finding.rule === 'wx-segment');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(map.memoryRows.find((row) => row.kind === 'load')).toMatchObject({ perms: 'rwx', findings: [index] });
    expect(map.fileRows.find((row) => row.kind === 'phdrs')!.findings).toContain(index);
  });

  it('puts every finding of every corpus file on at least one row, and keeps the file column within its cap', () => {
    for (const name of corpusFiles) {
      const bytes = readFileSync(new URL(name, CORPUS));
      const { file } = examine(bytes);
      if (file.kind !== 'elf') continue;
      const map = mapOfBytes(name, bytes);
      expect(map.fileRows.length, name).toBeLessThanOrEqual(MAX_FILE_ROWS);
      const drawn = new Set(map.fileRows.flatMap((row) => row.findings));
      map.findings.forEach((finding, index) => expect(drawn.has(index), `${name}: ${finding.rule} at ${finding.offset}`).toBe(true));
      // The rows are in file order and lie inside the file.
      for (const row of map.fileRows) expect(row.end <= bytes.length && row.start < row.end, `${name}: ${row.label}`).toBe(true);
      expect(renderMapText(map, { ascii: true, color: false })).toMatch(/^[\u0020-\u007e\n]*$/);
      const svg = renderMapSvg(map, { idPrefix: 'm-', standalone: true });
      expect(svg.match(/<g\b/g)?.length, name).toBe(svg.match(/<\/g>/g)?.length);
      expect(svg).not.toMatch(/<script/i);
    }
  });
});

describe('memory as the loader model places it', () => {
  it('an ET_DYN map adds the load biases of the loader model, whose verdict names the same address', () => {
    const bytes = readFileSync(new URL('hello-pie', CORPUS));
    const map = mapOfBytes('hello-pie', bytes);
    const { file, loader } = examine(bytes);
    if (file.kind !== 'elf') throw new Error('hello-pie is ELF');
    const placement = imagePlacement(chooseHandler(file, DEFAULT_ASSUMPTIONS)!);
    expect(map.bias).toEqual({ low: `0x${placement.biases[0].toString(16)}`, high: `0x${placement.biases[1].toString(16)}` });
    // The verdict is made at the highest placement: its entry point is the high bias plus e_entry.
    const entry = BigInt(map.memoryRows.find((row) => row.kind === 'entry')!.start);
    expect(loader.reason).toContain(`0x${(placement.biases[1] + entry).toString(16)}`);
    expect(placement.biases[0]).toBeLessThan(placement.biases[1]);
  });

  it.each([
    ['hello-i386', 'ELF32 LSB EXEC 386', ['0xbf801000', '0xc0000000']],
    ['hello-s390x', 'ELF64 MSB EXEC S390', ['', '0xfffffffffffff000']],
    ['hello-arm', 'ELF32 LSB EXEC ARM', ['0xbe801000', '0xbf000000']],
  ])('%s (ELF32 or big-endian) is read through the same model', (name, summary, stack) => {
    const map = mapOf(name);
    expect(map.summary).toBe(summary);
    expect(map.links).toHaveLength(1);
    expect(map.memoryRows.find((row) => row.kind === 'load')).toMatchObject({ perms: 'r-x', start: '0x400000' });
    const row = map.memoryRows.find((each) => each.kind === 'stack')!;
    expect([row.start, row.end]).toEqual(stack);
    expect(map.memoryRows.find((row) => row.kind === 'entry')!.label).toBe('entry point (in LOAD 0)');
  });

  it('draws the heap, mmap base and stack as ranges where the profile knows them, open-ended where it does not', () => {
    const kinds = (map: MapLayout) => map.memoryRows.filter((row) => ['heap', 'mmap', 'stack'].includes(row.kind)).map((row) => [row.kind, row.start, row.end, row.label]);
    // A PIE with an interpreter: its heap follows the image, and so adds the load bias; the mmap base and stack do not.
    expect(kinds(mapOf('hello-linked'))).toEqual([
      ['heap', '0x203000', '0x40202000', 'heap start (brk) + bias'], ['mmap', '0x7efbff701000', '0x7ffbff700000', 'mmap base'], ['stack', '0x7ffc00000000', '0x7ffffffff000', 'stack top'],
    ]);
    // Without one, load_elf_binary moves the brk to ELF_ET_DYN_BASE.
    const pie = mapOf('hello-pie');
    expect(kinds(pie)[0]).toEqual(['heap', '0x555555554000', '0x555595553000', 'heap start (brk)']);
    expect(pie.processNotes.join(' ')).toContain('ELF_ET_DYN_BASE');
    // s390x has no process facts: the old open-ended rows, and a note that says so.
    const s390 = mapOf('hello-s390x');
    expect(kinds(s390)).toEqual([['heap', '0x401000', '', 'heap (brk), randomised upward'], ['stack', '', '0xfffffffffffff000', 'stack, randomised downward']]);
    expect(s390.processNotes).toEqual(['the s390x profile has no stack, heap or mmap facts: the heap and stack are drawn without their ranges']);
    expect(renderMapText(s390, { ascii: true, color: false })).toContain('| 0x401000- heap (brk), randomised upward');
    // Both renderings show the ranges and the notes.
    const svg = renderMapSvg(mapOf('hello'), { idPrefix: 'm-', standalone: true });
    expect(svg).toContain('<g class="memory-row" data-kind="mmap" role="listitem" aria-label="0x7efbff701000-0x7ffbff700000 mmap base">');
    expect(svg).toContain('the interpreter, libraries and other mappings go below the mmap base');
  });
});

describe('files execve never runs', () => {
  it('a core dump has its segments in memory, but no entry point, heap or stack', () => {
    const map = mapOfBytes('core', buildElf({ ...HELLO, header: { ...HELLO.header, e_type: ET_CORE } }));
    expect(map.memory).toBe('memory as its PT_LOADs describe it (a core dump (ET_CORE): a record of a process, never executed)');
    expect(map.memoryRows.map((row) => [row.kind, row.start, row.end])).toEqual([['load', '0x400000', '0x401000']]);
    expect(map.links).toHaveLength(1);
    expect(map.verdict?.verdict).toBe('not-applicable');
  });
});

describe('thousands of sections', () => {
  it('are grouped into runs so that the file column stays within its cap', () => {
    const sections = [{}, { name: '.shstrtab' }, ...Array.from({ length: 3000 }, (_, i) => ({ name: `.text.f${i}`, sh_type: SHT_PROGBITS, data: new Uint8Array(16 + (i % 7)) }))];
    const bytes = buildElf({ ...HELLO, sections });
    const map = mapOfBytes('many', bytes);
    expect(map.fileRows.length).toBeLessThanOrEqual(MAX_FILE_ROWS);
    expect(map.fileRows.length).toBeGreaterThan(MAX_FILE_ROWS / 2);
    expect(map.grouped).toBeGreaterThanOrEqual(2990);
    expect(map.fileRows.some((row) => row.kind === 'sections' && / … \[\d+\] \.text\.f\d+ \(\d+ sections/.test(row.label))).toBe(true);
    // Every byte of the file is still in exactly one row's range, in order.
    let next = 0;
    for (const row of map.fileRows) {
      expect(row.start).toBeLessThanOrEqual(next);
      next = Math.max(next, row.end);
    }
    expect(next).toBe(bytes.length);
  });
});

describe('the HTML report', () => {
  function reportOf(name: string): FileReport {
    const bytes = readFileSync(new URL(name, CORPUS));
    const { file, findings, loader } = examine(bytes);
    return { path: `corpus/${name}`, elf: summarizeElf(file), findings, loader };
  }

  it('is one page without external resources, with the data embedded so that nothing in it can close the script', () => {
    const evil: FileReport = { ...reportOf('hello-entry-outside'), path: 'a</script><img src=x onerror=alert(1)>' };
    const reports = [reportOf('hello'), evil, { path: 'missing', elf: undefined, findings: [], error: 'cannot read: no such file or directory' }];
    const maps = [mapOf('hello'), mapOf('hello-entry-outside'), undefined];
    const page = renderHtml(reports, maps, { name: 'elf-lint', version: '0.1.0' });
    expect(page.match(/<\/script>/g)).toHaveLength(2);
    expect(page).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\ssrc\s*=\s*["']/i);
    expect(page).toContain("default-src 'none'");
    // Links go only to the rule docs of this version.
    const urls = [...page.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((match) => match[0]);
    expect(urls.every((url) => url.startsWith('https://unpkg.com/elf-lint@0.1.0/') || url === 'http://www.w3.org/2000/svg')).toBe(true);
    expect(page).toContain('<details class="file" id="file-2" data-index="2">');
    // A long findings table comes first: the top of the page links to the files and their maps.
    expect(page).toContain('<a href="#findings">the findings (1)</a>, or to <a href="#files">the files, with their loader verdicts and layout maps</a>');
    expect(page).toContain('<section id="files" aria-labelledby="files-title">');
    expect(page).toContain('cannot read: no such file or directory');
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(page)![1]!) as { findings: unknown[][]; maps: unknown[] };
    expect(data.findings).toEqual([[1, 'entry-in-load-segment', 'error', 'e_entry', 0x18, expect.stringContaining('e_entry 0x500000')]]);
    expect(data.maps[2]).toBeNull();
  });
});
