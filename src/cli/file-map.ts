// The map of one input, or why there is none, for `elf-lint map` and the
// library's layoutMap; and the map of a file that has already been linted,
// read again at its path, for `merge --format html`, which has only the
// shards' JSON reports (lint makes its maps where it checks each file:
// lint-options.ts). Its own module, free of commander, so that the library
// and merge-command.ts import it without the map command.
import type { ExamineOptions } from '../examine.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { Finding } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { parseElf } from '../parse/parse.js';
import { buildMap, type MapLayout } from '../report/map.js';
import { readInput, readingInput, type Input } from './inputs.js';
import { checkInput } from './lint-options.js';

/** A map, or why a file has none (it cannot be read, or is not ELF), as one line naming the file. */
export type MapOutcome = { readonly map: MapLayout } | { readonly error: string };

/** The map of one input, linted with `options` from the same parse. Never throws for anything in the file. */
export function mapOrError(input: Input, options: ExamineOptions): MapOutcome {
  const { report, map } = checkInput(input, options, true);
  if (report.error !== undefined) return { error: `${input.path}: ${report.error}` };
  return map ? { map } : { error: `${input.path}: not an ELF file (it does not start with \\x7fELF)` };
}

/**
 * The map of the file at `path`, with findings and verdict already known (the
 * HTML report's), or undefined when it cannot be read or is not ELF.
 */
export function mapOfPath(path: string, findings: readonly Finding[], loader: LoaderVerdict | undefined, assumptions: LoaderAssumptions): MapLayout | undefined {
  const input = readInput(path, false, { onDemand: true, elf: true });
  if (!input || 'error' in input) return undefined;
  return readingInput(input, (source) => {
    const file = parseElf(source);
    return file.kind === 'elf' ? buildMap({ path, file, findings, loader, assumptions }) : undefined;
  });
}
