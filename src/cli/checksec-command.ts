// `elf-lint checksec PATH...`: the hardening table of each file.
import type { Command } from 'commander';
import { Option } from 'commander';
import { parseElf } from '../parse/parse.js';
import { hardeningOf } from '../model/hardening.js';
import { classify } from '../model/kind.js';
import { renderChecksecJson, renderChecksecText, type ChecksecRow } from '../report/checksec.js';
import { escapePath } from '../report/text.js';
import { distinctInputs, readingInput, type Input } from './inputs.js';
import { EXIT_INPUT, EXIT_OK } from './exit-codes.js';
import { TOOL, useColor, write } from './io.js';

function rowFor(input: Input): ChecksecRow {
  if ('error' in input) return { path: input.path, hardening: undefined, error: input.error };
  return readingInput(input, (source): ChecksecRow => {
    const file = parseElf(source);
    if (file.kind !== 'elf') return { path: input.path, hardening: undefined, error: 'not an ELF file' };
    const hardening = hardeningOf(file);
    return hardening ? { path: input.path, hardening } : { path: input.path, hardening: undefined, note: classify(file).reason ?? 'not a program or library' };
  });
}

export function registerChecksec(program: Command, setExit: (code: number) => void): void {
  program
    .command('checksec')
    .description("the hardening of programs and libraries, as checksec's table: RELRO, canary, NX, PIE, RPATH, RUNPATH, symbols, FORTIFY, CET, BTI")
    .argument('<paths...>', 'files or directories (searched recursively for ELF files), or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((paths: string[], options: { format: 'text' | 'json' }) => {
      const rows: ChecksecRow[] = [];
      /** Paths under which no file was found (empty directories). */
      const unmatched: string[] = [];
      for (const input of distinctInputs(paths, { onDemand: true }, unmatched)) rows.push(rowFor(input));
      write(options.format === 'json' ? renderChecksecJson(rows, TOOL) : renderChecksecText(rows, useColor()));
      // The text table shows its errors in its rows; JSON's reader is a program, so a CI log says why from stderr.
      if (options.format === 'json') for (const row of rows) if (row.error !== undefined) process.stderr.write(`elf-lint: ${escapePath(row.path)}: ${row.error}\n`);
      if (unmatched.length > 0) process.stderr.write(`elf-lint: no ELF files found under ${unmatched.map(escapePath).join(', ')}\n`);
      // Unreadable paths, files that are not ELF and paths with nothing in them are input errors, as in lint.
      setExit(unmatched.length > 0 || rows.some((row) => row.error !== undefined) ? EXIT_INPUT : EXIT_OK);
    });
}
