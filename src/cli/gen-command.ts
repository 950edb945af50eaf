// `elf-lint gen ...` and `elf-lint spec FILE`.
import { InvalidArgumentError, type Command } from 'commander';
import { buildElf, SpecError } from '../gen/build.js';
import { specFromFile } from '../gen/from-file.js';
import { specFromJson, specToJson } from '../gen/json.js';
import type { ElfSpec } from '../gen/spec.js';
import { DOCKER_HELLO_MESSAGE, exitSpec, HELLO_ARCHES, helloSpecFor } from '../gen/templates.js';
import { archByName } from '../model/arch/index.js';
import { parseElf } from '../parse/parse.js';
import { writeFileAtomic } from './atomic-write.js';
import { EXIT_OK, InputError, UsageError } from './exit-codes.js';
import { readInput } from './inputs.js';
import { write } from './io.js';
import { parseIntegerIn } from './numbers.js';

const EXECUTABLE_MODE = 0o755;

function readBytes(path: string): Uint8Array {
  const input = readInput(path, false)!;
  if ('error' in input) throw new InputError(`${path}: ${input.error}`);
  return input.bytes;
}

function readSpecFile(path: string): ElfSpec {
  const text = Buffer.from(readBytes(path)).toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const result = specFromJson(document);
  if (!result.ok) throw new UsageError(`${path}: invalid spec:\n  ${result.errors.join('\n  ')}`);
  return result.spec;
}

function specOfElf(path: string): ElfSpec {
  const file = parseElf(readBytes(path));
  if (file.kind !== 'elf') throw new InputError(`${path}: not an ELF file`);
  return specFromFile(file);
}

interface GenOptions {
  readonly output?: string;
  readonly spec?: string;
  readonly from?: string;
  readonly message?: string;
  readonly messageFile?: string;
  readonly pie?: boolean;
  readonly arch?: string;
  readonly status?: number;
}

const HELLO_TARGETS = ['x86_64', ...HELLO_ARCHES.keys()];

/** `--arch`: a profile name or alias (amd64, arm64, ppc64el) that has a hello template. */
function parseHelloArch(text: string): string {
  const name = archByName(text.trim())?.name;
  if (name === undefined || !HELLO_TARGETS.includes(name)) {
    throw new InvalidArgumentError(`"${text}" has no hello template; use one of ${HELLO_TARGETS.join(', ')}.`);
  }
  return name;
}

function messageOf(options: GenOptions): Uint8Array {
  if (options.message !== undefined && options.messageFile !== undefined) throw new UsageError('give --message or --message-file, not both');
  if (options.messageFile !== undefined) return readBytes(options.messageFile);
  return Buffer.from(options.message ?? DOCKER_HELLO_MESSAGE, 'utf8');
}

/** Options that only one template reads: given elsewhere they would be silently ignored. */
function checkTemplateOptions(template: string | undefined, options: GenOptions): void {
  const given = (names: readonly [string, unknown][]) => names.filter(([, value]) => value !== undefined).map(([name]) => name);
  const helloOnly = given([['--pie', options.pie], ['--arch', options.arch], ['--message', options.message], ['--message-file', options.messageFile]]);
  const exitOnly = given([['--status', options.status]]);
  if (template !== 'hello' && helloOnly.length > 0) throw new UsageError(`${helloOnly.join(', ')} ${helloOnly.length === 1 ? 'applies' : 'apply'} to \`gen hello\` only`);
  if (template !== 'exit' && exitOnly.length > 0) throw new UsageError('--status applies to `gen exit` only');
}

function specFor(template: string | undefined, options: GenOptions): ElfSpec {
  const sources = [template !== undefined, options.spec !== undefined, options.from !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give exactly one of a template (hello, exit), --spec FILE or --from FILE');
  if (template !== undefined && template !== 'hello' && template !== 'exit') throw new UsageError(`unknown template "${template}"; use hello or exit`);
  checkTemplateOptions(template, options);
  if (options.spec !== undefined) return readSpecFile(options.spec);
  if (options.from !== undefined) return specOfElf(options.from);
  if (template === 'hello') {
    const message = messageOf(options);
    try {
      return helloSpecFor(options.arch ?? 'x86_64', message, { pie: options.pie ?? false });
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (template === 'exit') {
    if (options.status === undefined) throw new UsageError('gen exit needs --status N');
    return exitSpec(options.status);
  }
  throw new UsageError(`unknown template "${template}"; use hello or exit`);
}

function buildOrExplain(spec: ElfSpec): Uint8Array {
  try {
    return buildElf(spec);
  } catch (error) {
    if (error instanceof SpecError || error instanceof RangeError) throw new UsageError(`cannot build the spec: ${error.message}`);
    throw error;
  }
}

export function registerGen(program: Command, setExit: (code: number) => void): void {
  program
    .command('gen')
    .description('write an ELF file from a template, a JSON spec, or another ELF file')
    .argument('[template]', 'hello or exit')
    .requiredOption('-o, --output <file>', 'file to write (atomically, mode 0755), or - for standard output')
    .option('--spec <file>', 'build from a JSON spec (see `elf-lint spec`)')
    .option('--from <file>', 'rebuild an ELF file from its parsed spec')
    .option('--message <text>', 'hello: the text to print (default: the Docker hello-world message)')
    .option('--message-file <file>', 'hello: read the text to print from a file')
    .option('--pie', 'hello: build a position-independent ET_DYN executable')
    .option('--arch <name>', `hello: the architecture (${HELLO_TARGETS.join(', ')}; default x86_64)`, parseHelloArch)
    .option('--status <n>', 'exit: the exit status, 0-255', parseIntegerIn(0, 255))
    .action((template: string | undefined, options: GenOptions) => {
      const bytes = buildOrExplain(specFor(template, options));
      writeFileAtomic(options.output!, bytes, EXECUTABLE_MODE);
      setExit(EXIT_OK);
    });
  program
    .command('spec')
    .description('print the JSON spec of an ELF file (rebuild it with `gen --spec`)')
    .argument('<file>', 'ELF file')
    .action((path: string) => {
      write(specToJson(specOfElf(path)));
      setExit(EXIT_OK);
    });
}
