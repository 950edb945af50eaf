// The layout map as text: the file column and the memory column in boxes,
// with lines in the gutter joining each PT_LOAD's file image to its mapping.
// Unicode box drawing by default, plain ASCII with `ascii`; colour on a terminal.
import type { Severity } from '../model/finding.js';
import type { FileRow, MapLayout, MemoryRow } from './map.js';
import { escapePath } from './text.js';

export interface MapTextOptions {
  readonly ascii: boolean;
  readonly color: boolean;
}

const LEFT_WIDTH = 46;
const RIGHT_WIDTH = 52;

/** The directions a gutter cell's line leaves it in, as bits. */
const [UP, DOWN, LEFT, RIGHT] = [1, 2, 4, 8] as const;

const BOX: Record<number, string> = {
  [LEFT | RIGHT]: '─', [UP | DOWN]: '│', [LEFT | DOWN]: '┐', [LEFT | UP]: '┘', [RIGHT | DOWN]: '┌', [RIGHT | UP]: '└',
  [LEFT | RIGHT | UP | DOWN]: '┼', [LEFT | RIGHT | DOWN]: '┬', [LEFT | RIGHT | UP]: '┴', [UP | DOWN | RIGHT]: '├', [UP | DOWN | LEFT]: '┤',
  [LEFT]: '─', [RIGHT]: '─', [UP]: '│', [DOWN]: '│',
};

interface Glyphs {
  readonly frame: { h: string; v: string; tl: string; tr: string; bl: string; br: string };
  readonly lane: string;
  readonly arrow: string;
  readonly more: string;
  readonly severity: Record<Severity, string>;
  cell(mask: number): string;
}

const UNICODE: Glyphs = {
  frame: { h: '─', v: '│', tl: '┌', tr: '┐', bl: '└', br: '┘' },
  lane: '┃', arrow: '►', more: '…',
  severity: { error: '✖', warning: '▲', info: '●' },
  cell: (mask) => (mask === 0 ? ' ' : BOX[mask] ?? '┼'),
};

const ASCII: Glyphs = {
  frame: { h: '-', v: '|', tl: '+', tr: '+', bl: '+', br: '+' },
  lane: '|', arrow: '>', more: '...',
  severity: { error: 'E', warning: 'W', info: 'I' },
  cell: (mask) => (mask === 0 ? ' ' : mask === (LEFT | RIGHT) || mask === LEFT || mask === RIGHT ? '-' : mask === (UP | DOWN) ? '|' : '+'),
};

const COLORS: Record<Severity | 'dim' | 'bold', string> = {
  error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m', dim: '\u001b[2m', bold: '\u001b[1m',
};

/** Text that comes from the file (section names, the path), as plain ASCII when asked. */
function plain(text: string, ascii: boolean): string {
  const escaped = escapePath(text);
  return ascii ? escaped.replace(/[^\u0020-\u007e]/g, '?').replace(/\?+/g, '?') : escaped;
}

function fit(text: string, width: number, glyphs: Glyphs): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return chars.slice(0, width - [...glyphs.more].length).join('') + glyphs.more;
}

function worst(layout: MapLayout, indices: readonly number[]): Severity | undefined {
  const order: Severity[] = ['error', 'warning', 'info'];
  return order.find((severity) => indices.some((index) => layout.findings[index]!.severity === severity));
}

function paint(text: string, color: Severity | 'dim' | undefined, options: MapTextOptions): string {
  return options.color && color ? `${COLORS[color]}${text}\u001b[0m` : text;
}

/** The most finding lines under one row; the rest are counted. */
const MARKS_PER_ROW = 3;

/**
 * The lines of one row: the row itself, then a line per rule with findings in
 * it (`✖ rule-id`), each `width` characters.
 */
function rowLines(layout: MapLayout, main: string, findings: readonly number[], width: number, options: MapTextOptions, glyphs: Glyphs, dim: boolean): string[] {
  const severity = worst(layout, findings);
  const lines = [paint(fit(main, width, glyphs), severity ?? (dim ? 'dim' : undefined), options)];
  const rules = [...new Set(findings.map((index) => layout.findings[index]!.rule))];
  for (const rule of rules.slice(0, MARKS_PER_ROW)) {
    const first = findings.map((index) => layout.findings[index]!).find((finding) => finding.rule === rule)!;
    const text = `   ${glyphs.severity[first.severity]} ${rule}${first.field ? ` (${plain(first.field, options.ascii)})` : ''}`;
    lines.push(paint(fit(text, width, glyphs), first.severity, options));
  }
  if (rules.length > MARKS_PER_ROW) lines.push(fit(`   and ${rules.length - MARKS_PER_ROW} more rules`, width, glyphs));
  return lines;
}

function fileLines(layout: MapLayout, row: FileRow, options: MapTextOptions, glyphs: Glyphs): string[] {
  const digits = layout.size.toString(16).length;
  const range = `0x${row.start.toString(16).padStart(digits, '0')}-0x${row.end.toString(16).padStart(digits, '0')}`;
  return rowLines(layout, ` ${range} ${plain(row.label, options.ascii)}`, row.findings, LEFT_WIDTH, options, glyphs, row.kind === 'gap' || row.kind === 'tail');
}

function memoryLines(layout: MapLayout, row: MemoryRow, options: MapTextOptions, glyphs: Glyphs): string[] {
  // A point (the entry), a range, or an open one (a heap or stack without numbers).
  const range = row.kind === 'entry' ? `${options.ascii ? '->' : '▶'} ${row.start}` : `${row.start}-${row.end}`;
  const perms = row.perms ? `${row.perms} ` : '';
  return rowLines(layout, ` ${range} ${perms}${plain(row.label, options.ascii)}`, row.findings, RIGHT_WIDTH, options, glyphs, false);
}

/** A column's lines and the line each row starts on. */
interface Column {
  readonly lines: string[];
  /** Row index of each line. */
  readonly rowOf: number[];
  readonly starts: number[];
}

function column(rows: readonly string[][]): Column {
  const lines: string[] = [];
  const rowOf: number[] = [];
  const starts: number[] = [];
  rows.forEach((row, index) => {
    starts.push(lines.length);
    for (const line of row) {
      lines.push(line);
      rowOf.push(index);
    }
  });
  return { lines, rowOf, starts };
}

/** The gutter: one cell mask per line and column, link k turning down or up in column 1 + 2k. */
function gutter(layout: MapLayout, lines: number, left: Column, right: Column): number[][] {
  const width = Math.max(3, layout.links.length * 2 + 2);
  const cells = Array.from({ length: lines }, () => new Array<number>(width).fill(0));
  layout.links.forEach((link, k) => {
    const from = left.starts[link.firstRow]!;
    const to = right.starts[link.memoryRow]!;
    const col = 1 + 2 * k;
    const set = (line: number, at: number, mask: number) => { cells[line]![at]! |= mask; };
    for (let at = 0; at < col; at += 1) set(from, at, LEFT | RIGHT);
    if (from === to) {
      for (let at = col; at < width; at += 1) set(from, at, LEFT | RIGHT);
      return;
    }
    set(from, col, LEFT | (to > from ? DOWN : UP));
    for (let line = Math.min(from, to) + 1; line < Math.max(from, to); line += 1) set(line, col, UP | DOWN);
    set(to, col, RIGHT | (to > from ? UP : DOWN));
    for (let at = col + 1; at < width; at += 1) set(to, at, LEFT | RIGHT);
  });
  return cells;
}

export function renderMapText(layout: MapLayout, options: MapTextOptions): string {
  const glyphs = options.ascii ? ASCII : UNICODE;
  const { frame } = glyphs;
  const laneWidth = layout.lanes.length * 2;
  const leftInner = LEFT_WIDTH + (laneWidth > 0 ? laneWidth + 1 : 0);
  const left = column(layout.fileRows.map((row) => fileLines(layout, row, options, glyphs)));
  const right = column(layout.memoryRows.map((row) => memoryLines(layout, row, options, glyphs)));
  const lines = Math.max(left.lines.length, right.lines.length);
  const cells = gutter(layout, lines, left, right);
  const gutterWidth = cells[0]?.length ?? 3;
  const targets = new Set(layout.links.map((link) => right.starts[link.memoryRow]));
  const bold = (text: string) => (options.color ? `${COLORS.bold}${text}\u001b[0m` : text);
  const leftBottom = `${frame.bl}${frame.h.repeat(leftInner)}${frame.br}`;
  const rightBottom = `${frame.bl}${frame.h.repeat(RIGHT_WIDTH)}${frame.br}`;

  const out: string[] = [];
  out.push(`${bold(plain(layout.path, options.ascii))}: ${layout.summary}, ${layout.size} bytes; ${layout.memory}, page ${layout.pageSize}`);
  if (layout.bias) out.push(`the image's addresses below add the load bias, ${layout.bias.low} to ${layout.bias.high} (address randomisation)`);
  const laneHeader = layout.lanes.map((lane) => String(lane.segment).padEnd(2).slice(0, 2)).join('');
  const leftTitle = fit(' file offsets', LEFT_WIDTH + 1, glyphs) + (laneWidth > 0 ? ` ${laneHeader}` : '');
  out.push(`${leftTitle}  ${' '.repeat(gutterWidth)} virtual memory`);
  out.push(`${frame.tl}${frame.h.repeat(leftInner)}${frame.tr}${' '.repeat(gutterWidth)}${frame.tl}${frame.h.repeat(RIGHT_WIDTH)}${frame.tr}`);
  for (let line = 0; line <= lines; line += 1) {
    let leftText = ' '.repeat(leftInner + 2);
    const fileLine = left.lines[line];
    if (fileLine !== undefined) {
      const row = left.rowOf[line]!;
      const lanes = layout.lanes.map((lane) => (lane.firstRow >= 0 && row >= lane.firstRow && row <= lane.lastRow ? `${glyphs.lane} ` : '  ')).join('');
      leftText = `${frame.v}${fileLine}${laneWidth > 0 ? ` ${lanes}` : ''}${frame.v}`;
    } else if (line === left.lines.length) {
      leftText = leftBottom;
    }
    const row = cells[line];
    let middle = row ? row.map((mask) => glyphs.cell(mask)).join('') : ' '.repeat(gutterWidth);
    if (row && targets.has(line) && row[gutterWidth - 1] !== 0) middle = middle.slice(0, -1) + glyphs.arrow;
    const memoryLine = right.lines[line];
    const rightText = memoryLine !== undefined ? `${frame.v}${memoryLine}${frame.v}` : line === right.lines.length ? rightBottom : '';
    out.push(`${leftText}${middle}${rightText}`.trimEnd());
  }
  for (const lane of layout.lanes) out.push(`segment ${lane.segment}: ${lane.type}, file 0x${lane.start.toString(16)}-0x${lane.end.toString(16)}`);
  if (layout.lanesOmitted > 0) out.push(`(${layout.lanesOmitted} more program headers with file contents are not drawn)`);
  if (layout.grouped > 0) out.push(`(${layout.grouped} small sections are grouped into runs)`);
  out.push(...layout.processNotes);
  if (layout.verdict) out.push(`loader: ${layout.verdict.label}: ${layout.verdict.reason}`);
  return `${out.join('\n')}\n`;
}
