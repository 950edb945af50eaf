// The map of a file that has already been linted, for the HTML report. Its own
// module, so that lint-command.ts does not import map-command.ts (which imports
// it for the target options), and the lint workers never load the map code.
import { parseElf } from '../parse/parse.js';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { Finding } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { buildMap, type MapLayout } from '../report/map.js';
import { readInput, readingInput } from './inputs.js';

/**
 * The map of the file at `path`, with findings and verdict already known (the
 * HTML report's), or undefined when it cannot be read or is not ELF.
 */
export function mapOfPath(path: string, findings: readonly Finding[], loader: LoaderVerdict | undefined, assumptions: LoaderAssumptions): MapLayout | undefined {
  const input = readInput(path, false, { onDemand: true });
  if (!input || 'error' in input) return undefined;
  return readingInput(input, (source) => {
    const file = parseElf(source);
    return file.kind === 'elf' ? buildMap({ path, file, findings, loader, assumptions }) : undefined;
  });
}
