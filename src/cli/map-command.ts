// `elf-lint map FILE`: the file's layout, file offsets beside virtual memory.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { LoaderAssumptions } from '../model/assumptions.js';
import type { MapLayout } from '../report/map.js';
import { renderMapText } from '../report/map-text.js';
import { renderMapSvg } from '../report/map-svg.js';
import { readInput, readStdin, STDIN_ARGUMENT, type Input } from './inputs.js';
import { mapOrError } from './file-map.js';
import { addAssumptionOptions, ASSUMPTION_OPTIONS, assumptionsFrom, type LintCommandOptions } from './lint-command.js';
import { EXIT_OK, InputError, UsageError } from './exit-codes.js';
import { useColor, write } from './io.js';
import { writeFileAtomic, checkWritable } from './atomic-write.js';

type MapOptions = Pick<LintCommandOptions, (typeof ASSUMPTION_OPTIONS)[number]> & {
  readonly format: 'text' | 'svg';
  readonly ascii: boolean;
  readonly output?: string;
};

function openInput(path: string): Input {
  return path === STDIN_ARGUMENT ? readStdin(true) : readInput(path, false, { onDemand: true, elf: true })!;
}

/** The map of one input, linted with the default rules; an unreadable or non-ELF input is an InputError (exit 2). */
export function mapOfInput(input: Input, assumptions: LoaderAssumptions): MapLayout {
  const outcome = mapOrError(input, { assumptions });
  if ('error' in outcome) throw new InputError(outcome.error);
  return outcome.map;
}

export function registerMap(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('map')
    .description("the file's layout: file offsets beside virtual memory as the kernel maps it, with the findings on the parts they name")
    .argument('<file>', 'an ELF file, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'svg']).default('text'))
    .option('--ascii', 'text: plain ASCII instead of Unicode box drawing', false)
    .option('-o, --output <file>', 'write the map to this file (atomically) instead of standard output');
  addAssumptionOptions(command).action((path: string, options: MapOptions) => {
    if (options.ascii && options.format !== 'text') throw new UsageError(`--ascii applies to text output only, not to --format ${options.format}`);
    if (options.output !== undefined) checkWritable(options.output);
    const layout = mapOfInput(openInput(path), assumptionsFrom(options));
    const text = options.format === 'svg'
      ? renderMapSvg(layout, { idPrefix: 'map-', standalone: true })
      : renderMapText(layout, { ascii: options.ascii, color: options.output === undefined && !options.ascii && useColor() });
    if (options.output === undefined) write(text);
    else writeFileAtomic(options.output, Buffer.from(text, 'utf8'), 0o644);
    setExit(EXIT_OK);
  });
}
