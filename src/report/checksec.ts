// `elf-lint checksec`: the table checksec users know (one row per file, the
// same column names and words), and its JSON. "N/A" is kept apart from a
// failing protection, and each JSON entry says why.
import type { Hardening, HardeningCheck, HardeningStatus } from '../model/hardening.js';
import { escapePath } from './text.js';
import type { ToolInfo } from './json.js';

export interface ChecksecRow {
  readonly path: string;
  /** Undefined when the file could not be read, is not ELF, or is never run (a core dump, debug information). */
  readonly hardening: Hardening | undefined;
  /** The file could not be read or is not ELF (an input error). */
  readonly error?: string;
  /** Why an ELF file has no hardening to show (a core dump, separate debug information). */
  readonly note?: string;
}

const COLUMNS = ['relro', 'canary', 'nx', 'pie', 'rpath', 'runpath', 'symbols', 'fortify', 'fortified', 'fortifiable', 'cet', 'bti'] as const;
type Column = (typeof COLUMNS)[number];
const HEADINGS: Record<Column, string> = {
  relro: 'RELRO', canary: 'STACK CANARY', nx: 'NX', pie: 'PIE', rpath: 'RPATH', runpath: 'RUNPATH', symbols: 'Symbols',
  fortify: 'FORTIFY', fortified: 'Fortified', fortifiable: 'Fortifiable', cet: 'CET', bti: 'BTI',
};

const PAINT: Record<HardeningStatus, string> = {
  pass: '\u001b[32m', partial: '\u001b[33m', fail: '\u001b[31m', 'not-applicable': '\u001b[2m', unknown: '\u001b[2m',
};
const RESET = '\u001b[0m';

interface Cell {
  readonly text: string;
  readonly status?: HardeningStatus;
}

function cells(hardening: Hardening): Record<Column, Cell> {
  const of = (check: HardeningCheck): Cell => ({ text: check.label, status: check.status });
  return {
    relro: of(hardening.relro), canary: of(hardening.canary), nx: of(hardening.nx), pie: of(hardening.pie),
    rpath: of(hardening.rpath), runpath: of(hardening.runpath),
    symbols: hardening.symbols === undefined ? { text: 'No Symbols', status: 'pass' } : { text: `${hardening.symbols} Symbols`, status: 'partial' },
    fortify: of(hardening.fortify), fortified: { text: String(hardening.fortify.fortified) }, fortifiable: { text: String(hardening.fortify.fortifiable) },
    cet: of(hardening.cet), bti: of(hardening.bti),
  };
}

export function renderChecksecText(rows: readonly ChecksecRow[], color: boolean): string {
  const table = rows.map((row) => ({ row, cells: row.hardening ? cells(row.hardening) : undefined }));
  const width = (column: Column) => Math.max(HEADINGS[column].length, ...table.map(({ cells: row }) => row?.[column].text.length ?? 0));
  const widths = Object.fromEntries(COLUMNS.map((column) => [column, width(column)])) as Record<Column, number>;
  const lines = [`${COLUMNS.map((column) => HEADINGS[column].padEnd(widths[column])).join('  ')}  FILE`];
  for (const { row, cells: rowCells } of table) {
    const path = escapePath(row.path);
    if (!rowCells) {
      lines.push(`${path}: ${row.error ?? row.note ?? 'not checked'}`);
      continue;
    }
    const painted = COLUMNS.map((column) => {
      const cell = rowCells[column];
      const text = cell.text.padEnd(widths[column]);
      return color && cell.status ? `${PAINT[cell.status]}${text}${RESET}` : text;
    });
    lines.push(`${painted.join('  ')}  ${path}`);
  }
  return `${lines.join('\n')}\n`;
}

export const CHECKSEC_SCHEMA_VERSION = 1;

export function renderChecksecJson(rows: readonly ChecksecRow[], tool: ToolInfo): string {
  const document = {
    schemaVersion: CHECKSEC_SCHEMA_VERSION,
    tool: { name: tool.name, version: tool.version },
    files: rows.map((row) => ({ path: row.path, ...(row.hardening ? { hardening: row.hardening } : {}),
      ...(row.error !== undefined ? { error: row.error } : {}), ...(row.note !== undefined ? { note: row.note } : {}) })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
