// The layout map of one file, as pure data: its file offsets (headers,
// tables, sections, gaps, the bytes past the last segment) and its virtual
// memory (each PT_LOAD as the kernel maps it, bss, the entry point, the
// stack and heap), the links between them, and the findings drawn on the
// parts whose bytes they name. It reads the parsed model, the byte ranges the
// engine located findings at (model/layout.ts) and the loader model's own
// placement; map-text.ts and map-svg.ts draw it, html.ts embeds it.
import type { ElfFile, ProgramHeader } from '../model/elf.js';
import type { Finding, Severity } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions } from '../model/assumptions.js';
import {
  ELF_MACHINE_NAMES, ELF_TYPE_NAMES, ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_NAMES, SHT_NOBITS, SHT_STRTAB, nameOr,
} from '../model/constants.js';
import { hex } from '../model/hex.js';
import { firstInterpreter, loadSegments, pageDown, pageUp } from '../model/segments.js';
import { processRanges, STACK_RLIMIT, type AddressRange } from '../loader/process-layout.js';
import { chooseHandler, imagePlacement } from '../loader/predict.js';
import { classify } from '../model/kind.js';
import { verdictLabel } from './verdict-detail.js';

/** The most rows the file column draws; runs of small sections are grouped to stay below it. */
export const MAX_FILE_ROWS = 40;
/** The most segment lanes drawn beside the file column (PT_LOADs first). */
export const MAX_LANES = 8;

export type FileRowKind = 'header' | 'phdrs' | 'shdrs' | 'section' | 'strtab' | 'sections' | 'gap' | 'tail';
export type MemoryRowKind = 'load' | 'bss' | 'entry' | 'heap' | 'mmap' | 'stack';

export interface MapFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly offset: number;
  readonly length: number;
  readonly field: string | undefined;
  readonly message: string;
}

export interface FileRow {
  readonly kind: FileRowKind;
  readonly label: string;
  /** File offsets [start, end). */
  readonly start: number;
  readonly end: number;
  /** Indices into MapLayout.findings of the findings whose bytes lie in this row. */
  readonly findings: readonly number[];
}

/** A program header's file image, drawn as a lane beside the file rows it covers. */
export interface Lane {
  readonly segment: number;
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** First and last file row it covers (inclusive); -1 when it covers none (past the end of the file). */
  readonly firstRow: number;
  readonly lastRow: number;
}

export interface MemoryRow {
  readonly kind: MemoryRowKind;
  readonly label: string;
  /**
   * Addresses as hex text (exact 64-bit values); `end` is empty for a point
   * (the entry) or an open range. For the heap, mmap and stack rows with
   * numbers, the range randomisation chooses the heap's start, the mmap base
   * or the stack's top from.
   */
  readonly start: string;
  readonly end: string;
  /** `rwx` with `-` for a missing permission; empty for the entry, heap and stack. */
  readonly perms: string;
  readonly segment: number | undefined;
  readonly findings: readonly number[];
}

/** A PT_LOAD's file image (file rows firstRow..lastRow) and the memory row it maps to. */
export interface MapLink {
  readonly segment: number;
  readonly firstRow: number;
  readonly lastRow: number;
  readonly memoryRow: number;
}

export interface MapLayout {
  readonly path: string;
  /** `ELF64 LSB EXEC X86_64`. */
  readonly summary: string;
  readonly size: number;
  /** The page size the memory column is rounded to, in hex. */
  readonly pageSize: string;
  /** What the memory column shows: `memory as the x86_64 loader maps it`, or as the PT_LOADs describe a file execve never runs. */
  readonly memory: string;
  /** For an ET_DYN image: the range of load biases the kernel chooses from, which the image's addresses add. */
  readonly bias: { readonly low: string; readonly high: string } | undefined;
  readonly fileRows: readonly FileRow[];
  readonly lanes: readonly Lane[];
  /** Program headers with a file image that have no lane (beyond MAX_LANES). */
  readonly lanesOmitted: number;
  readonly memoryRows: readonly MemoryRow[];
  readonly links: readonly MapLink[];
  readonly findings: readonly MapFinding[];
  /** Sections folded into `sections` rows. */
  readonly grouped: number;
  /** `label`: the verdict with its errno or signal, as the text report names it ("exec-error (ENOEXEC)"). */
  readonly verdict: { readonly verdict: string; readonly label: string; readonly reason: string } | undefined;
  /** What the heap, mmap and stack rows mean (lines of a legend); empty when there are none. */
  readonly processNotes: readonly string[];
}

export interface MapInput {
  readonly path: string;
  readonly file: ElfFile;
  readonly findings: readonly Finding[];
  readonly loader: LoaderVerdict | undefined;
  readonly assumptions?: LoaderAssumptions;
}

interface Span {
  readonly kind: FileRowKind;
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** Section names and other text from the file, as one printable line. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function clip(value: bigint, size: number): number {
  return value > BigInt(size) ? size : Number(value);
}

function fileSpans(file: ElfFile): Span[] {
  const spans: Span[] = [];
  const header = file.header;
  spans.push({ kind: 'header', label: 'ELF header', start: 0, end: Math.min(file.layout.ehdrSize, file.size) });
  if (header && file.phnum > 0) {
    const start = clip(header.e_phoff, file.size);
    spans.push({ kind: 'phdrs', label: `program headers (${file.phnum})`, start, end: clip(header.e_phoff + BigInt(header.e_phentsize * file.phnum), file.size) });
  }
  if (header && file.shnum > 0) {
    const start = clip(header.e_shoff, file.size);
    spans.push({ kind: 'shdrs', label: `section headers (${file.shnum})`, start, end: clip(header.e_shoff + BigInt(header.e_shentsize * file.shnum), file.size) });
  }
  for (const section of file.sectionHeaders) {
    if (section.index === 0 || section.sh_type === SHT_NOBITS || section.sh_size === 0n) continue;
    const start = clip(section.sh_offset, file.size);
    const end = clip(section.sh_offset + section.sh_size, file.size);
    if (end <= start) continue;
    const name = section.name === undefined || section.name === '' ? `section ${section.index}` : printable(section.name);
    spans.push({ kind: section.sh_type === SHT_STRTAB ? 'strtab' : 'section', label: `[${section.index}] ${name}`, start, end });
  }
  return spans.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The spans plus a row for each run of bytes none of them covers; those past the last PT_LOAD's file image are `tail`. */
function withGaps(spans: readonly Span[], size: number, loadEnd: number): Span[] {
  const rows: Span[] = [];
  let covered = 0;
  const gap = (start: number, end: number) => {
    if (start < loadEnd && end > start) rows.push({ kind: 'gap', label: 'in no header or section', start, end: Math.min(end, loadEnd) });
    if (end > Math.max(start, loadEnd)) rows.push({ kind: 'tail', label: 'past the last segment (not loaded)', start: Math.max(start, loadEnd), end });
  };
  for (const span of spans) {
    if (span.start > covered) gap(covered, span.start);
    rows.push(span);
    covered = Math.max(covered, span.end);
  }
  if (covered < size) gap(covered, size);
  return rows;
}

/** One row of the file column before findings are attached: a span, or a run of small ones folded together. */
type Grouped = Span | { readonly members: readonly Span[] };

function isSmall(row: Span, threshold: number): boolean {
  return (row.kind === 'section' || row.kind === 'strtab' || row.kind === 'gap') && row.end - row.start < threshold;
}

/** Runs of consecutive small spans, each run closed once it covers `threshold` bytes. */
function runsOf(rows: readonly Span[], threshold: number): Grouped[] {
  const out: Grouped[] = [];
  let run: Span[] = [];
  const flush = () => {
    if (run.length > 0) out.push(run.length === 1 ? run[0]! : { members: run });
    run = [];
  };
  for (const row of rows) {
    if (!isSmall(row, threshold)) {
      flush();
      out.push(row);
      continue;
    }
    run.push(row);
    if (row.end - run[0]!.start >= threshold) flush();
  }
  flush();
  return out;
}

function groupSpan(members: readonly Span[]): Span {
  const sections = members.filter((row) => row.kind !== 'gap');
  const padding = members.length > sections.length ? ' and padding' : '';
  const first = sections[0];
  const label = !first ? 'in no header or section'
    : sections.length === 1 ? `${first.label}${padding}`
      : `${first.label} … ${sections.at(-1)!.label} (${sections.length} sections${padding})`;
  const end = members.reduce((most, row) => Math.max(most, row.end), 0);
  return { kind: sections.length === 1 ? first!.kind : first ? 'sections' : 'gap', label, start: members[0]!.start, end };
}

/**
 * Folds runs of small sections (and the padding between them) into one row
 * each until at most `limit` rows remain, then splits the largest runs again
 * while there is room, so that thousands of sections become a few dozen rows.
 */
function grouped(rows: readonly Span[], limit: number): { rows: Span[]; folded: number } {
  if (rows.length <= limit) return { rows: [...rows], folded: 0 };
  const total = rows.reduce((sum, row) => sum + (row.end - row.start), 0);
  let out: Grouped[] = [];
  for (let threshold = Math.max(1, Math.floor(total / limit / 16)); ; threshold *= 2) {
    out = runsOf(rows, threshold);
    if (out.length <= limit || threshold > total) break;
  }
  for (;;) {
    let largest = -1;
    out.forEach((row, index) => {
      const size = 'members' in row ? row.members.length : 0;
      if (size > 1 && size > (largest < 0 ? 1 : (out[largest] as { members: Span[] }).members.length)) largest = index;
    });
    if (largest < 0 || out.length >= limit) break;
    const { members } = out[largest] as { readonly members: readonly Span[] };
    const half = Math.ceil(members.length / 2);
    const pieces = [members.slice(0, half), members.slice(half)].map((part) => (part.length === 1 ? part[0]! : { members: part }));
    out.splice(largest, 1, ...pieces);
  }
  const spans = out.map((row) => ('members' in row ? groupSpan(row.members) : row));
  const folded = out.reduce((count, row) => count + ('members' in row ? row.members.filter((member) => member.kind !== 'gap').length : 0), 0);
  return { rows: spans, folded };
}

function permissions(phdr: ProgramHeader, readImpliesExec: boolean): string {
  const read = (phdr.p_flags & PF_R) !== 0;
  const exec = (phdr.p_flags & PF_X) !== 0 || (read && readImpliesExec);
  return `${read ? 'r' : '-'}${(phdr.p_flags & PF_W) !== 0 ? 'w' : '-'}${exec ? 'x' : '-'}`;
}

/** Which rows a byte range falls in: every row it overlaps, or the row that holds its offset for an empty range. */
function rowsOf(rows: readonly { start: number; end: number }[], offset: number, length: number): number[] {
  const hits: number[] = [];
  rows.forEach((row, index) => {
    const inside = length === 0 ? offset >= row.start && offset < row.end : offset < row.end && offset + length > row.start;
    if (inside) hits.push(index);
  });
  if (hits.length === 0 && length === 0 && rows.length > 0) {
    // A zero-length finding at the end of the file (a field past it): the last row.
    const last = rows.reduce((best, row, index) => (row.end >= rows[best]!.end ? index : best), 0);
    if (offset >= rows[last]!.end) hits.push(last);
  }
  return hits;
}

const PHDR_FIELD = /^phdr\[(\d+)\]/;

export function buildMap(input: MapInput): MapLayout {
  const { file, path } = input;
  const base = input.assumptions ?? DEFAULT_ASSUMPTIONS;
  const findings: MapFinding[] = input.findings.map((finding) => ({
    rule: finding.rule, severity: finding.severity, offset: finding.offset, length: finding.length, field: finding.field, message: finding.message,
  }));
  const choice = file.header ? chooseHandler(file, base) : undefined;
  const view = choice?.view ?? file;
  const placement = choice ? imagePlacement(choice) : undefined;
  const page = placement?.pageSize ?? resolveAssumptions(base, undefined, file.layout).pageSize;
  const loads = loadSegments(view);
  const loadEnd = loads.reduce((end, phdr) => Math.max(end, clip(phdr.p_offset + phdr.p_filesz, file.size)), 0);

  const all = withGaps(fileSpans(file), file.size, loadEnd);
  const { rows: spans, folded } = grouped(all, MAX_FILE_ROWS);
  const fileRows: FileRow[] = spans.map((span) => ({ ...span, findings: [] }));
  findings.forEach((finding, index) => {
    for (const row of rowsOf(fileRows, finding.offset, finding.length)) (fileRows[row]!.findings as number[]).push(index);
  });

  const imaged = view.programHeaders.filter((phdr) => phdr.p_filesz > 0n && phdr.p_offset < BigInt(file.size));
  const ordered = [...imaged.filter((phdr) => phdr.p_type === PT_LOAD), ...imaged.filter((phdr) => phdr.p_type !== PT_LOAD)];
  const lanes: Lane[] = ordered.slice(0, MAX_LANES).map((phdr) => {
    const start = Number(phdr.p_offset);
    const end = clip(phdr.p_offset + phdr.p_filesz, file.size);
    const covered = rowsOf(fileRows, start, end - start);
    return { segment: phdr.index, type: nameOr(PT_NAMES, phdr.p_type), start, end, firstRow: covered[0] ?? -1, lastRow: covered.at(-1) ?? -1 };
  }).sort((a, b) => a.segment - b.segment);

  // The memory column, in the image's own addresses (p_vaddr); an ET_DYN image adds a load bias.
  const readImpliesExec = placement?.readImpliesExec ?? false;
  const rows: (MemoryRow & { readonly at: bigint })[] = [];
  const onSegment = (segment: number) => findings.flatMap((finding, index) => (PHDR_FIELD.exec(finding.field ?? '')?.[1] === String(segment) ? [index] : []));
  let imageEnd = 0n;
  for (const phdr of loads) {
    const start = pageDown(phdr.p_vaddr, BigInt(page));
    const fileEnd = pageUp(phdr.p_vaddr + phdr.p_filesz, BigInt(page));
    const memEnd = pageUp(phdr.p_vaddr + phdr.p_memsz, BigInt(page));
    const perms = permissions(phdr, readImpliesExec);
    const segmentFindings = onSegment(phdr.index);
    if (phdr.p_filesz > 0n || memEnd === start) {
      const image = `file ${hex(phdr.p_offset)}+${hex(phdr.p_filesz)}`;
      rows.push({ kind: 'load', label: `LOAD ${phdr.index} (${image})`, start: hex(start), end: hex(fileEnd), perms, segment: phdr.index, findings: segmentFindings, at: start });
    }
    if (memEnd > fileEnd) {
      const from = phdr.p_filesz > 0n ? fileEnd : start;
      const bss = phdr.p_filesz > 0n ? [] : segmentFindings;
      rows.push({ kind: 'bss', label: `LOAD ${phdr.index} bss (zeroed, p_memsz ${hex(phdr.p_memsz)})`, start: hex(from), end: hex(memEnd), perms: `rw${perms[2]}`, segment: phdr.index, findings: bss, at: from });
    }
    if (memEnd > imageEnd) imageEnd = memEnd;
  }
  // The entry point, heap and stack belong to a program; a core dump, an object or a library only has its segments.
  const program = classify(view).program;
  const entry = view.header?.e_entry;
  if (entry !== undefined && program) {
    const holder = loads.find((phdr) => entry >= phdr.p_vaddr && entry < phdr.p_vaddr + phdr.p_memsz);
    const entryFindings = findings.flatMap((finding, index) => (finding.field === 'e_entry' ? [index] : []));
    const where = holder ? `in LOAD ${holder.index}` : 'in no PT_LOAD';
    rows.push({ kind: 'entry', label: `entry point (${where})`, start: hex(entry), end: '', perms: '', segment: holder?.index, findings: entryFindings, at: entry });
  }
  const processNotes: string[] = [];
  if (choice && loads.length > 0 && program) {
    const staticPie = view.header?.e_type === ET_DYN && firstInterpreter(view) === undefined;
    const ranges = processRanges(choice.loader, BigInt(page), imageEnd, staticPie);
    const unplaced = { perms: '', segment: undefined, findings: [] };
    if (ranges) {
      const range = (kind: MemoryRowKind, label: string, { low, high }: AddressRange) => ({ kind, label, start: hex(low), end: hex(high), ...unplaced, at: low });
      const biased = placement!.randomised && ranges.heapFollowsImage;
      rows.push(range('heap', `heap start (brk${biased ? ') + bias' : ')'}`, ranges.heapStart), range('mmap', 'mmap base', ranges.mmapBase), range('stack', 'stack top', ranges.stackTop));
      const heap = biased ? ' (which adds the load bias)' : ranges.heapFollowsImage ? '' : ' (ELF_ET_DYN_BASE: a program without an interpreter)';
      processNotes.push(
        `heap start, mmap base, stack top: random within the ranges shown (${STACK_RLIMIT >> 20n} MiB stack limit assumed)`,
        `the heap grows up from its start${heap}, the stack down from its top;`,
        'the interpreter, libraries and other mappings go below the mmap base',
      );
    } else {
      rows.push({ kind: 'heap', label: 'heap (brk), randomised upward', start: hex(imageEnd), end: '', ...unplaced, at: imageEnd });
      // Above everything: the stack is at the top of user space.
      rows.push({ kind: 'stack', label: 'stack, randomised downward', start: '', end: hex(placement!.taskSize), ...unplaced, at: 1n << 64n });
      processNotes.push(`the ${choice.loader.name} profile has no stack, heap or mmap facts: the heap and stack are drawn without their ranges`);
    }
  }
  rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const memoryRows: MemoryRow[] = rows.map(({ at: _at, ...row }) => row);
  const links: MapLink[] = [];
  for (const lane of lanes) {
    const memoryRow = memoryRows.findIndex((row) => row.kind === 'load' && row.segment === lane.segment);
    if (memoryRow >= 0 && lane.firstRow >= 0) links.push({ segment: lane.segment, firstRow: lane.firstRow, lastRow: lane.lastRow, memoryRow });
  }
  const header = file.header;
  const summary = [file.layout.elfClass, file.byteOrder, header ? nameOr(ELF_TYPE_NAMES, header.e_type) : 'unknown', header ? nameOr(ELF_MACHINE_NAMES, header.e_machine) : 'unknown'].join(' ');
  const biases = placement?.randomised ? placement.biases : undefined;
  return {
    path, summary, size: file.size, pageSize: hex(page),
    memory: !program ? `memory as its PT_LOADs describe it (${classify(view).reason ?? 'not a program'})`
      : choice ? `memory as the ${choice.loader.name} loader maps it` : 'memory as its PT_LOADs describe it (no loader of any profile takes it)',
    bias: biases ? { low: hex(biases[0]), high: hex(biases[1]) } : undefined,
    fileRows, lanes, lanesOmitted: ordered.length - lanes.length, memoryRows, links, findings, grouped: folded,
    verdict: input.loader ? { verdict: input.loader.verdict, label: verdictLabel(input.loader), reason: input.loader.reason } : undefined,
    processNotes,
  };
}
