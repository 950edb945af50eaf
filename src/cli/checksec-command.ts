// `elf-lint checksec PATH...`: the hardening table of each file.
import type { Command } from 'commander';
import { Option } from 'commander';
import { parseElf } from '../parse/parse.js';
import { hardeningOf } from '../model/hardening.js';
import { classify } from '../model/kind.js';
import { renderChecksecJson, renderChecksecText, type ChecksecRow } from '../report/checksec.js';
import { collectInputs, readingInput, type Input } from './inputs.js';
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
      for (const input of collectInputs(paths, { onDemand: true })) rows.push(rowFor(input));
      write(options.format === 'json' ? renderChecksecJson(rows, TOOL) : renderChecksecText(rows, useColor()));
      // Unreadable paths and files that are not ELF are input errors, as in lint; so is finding nothing at all.
      setExit(rows.length === 0 || rows.some((row) => row.error !== undefined) ? EXIT_INPUT : EXIT_OK);
    });
}
