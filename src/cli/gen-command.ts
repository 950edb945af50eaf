// `elf-lint gen ...` and `elf-lint spec FILE`.
import { constants } from 'node:buffer';
import { InvalidArgumentError, type Command } from 'commander';
import { ElfImage, SpecError, type Piece } from '../gen/build.js';
import { fileSpecOf, type FileSpec } from '../gen/from-file.js';
import { specFromJson, specJsonPieces } from '../gen/json.js';
import type { ElfSpec } from '../gen/spec.js';
import { DOCKER_HELLO_MESSAGE, exitSpec, HELLO_ARCHES, helloSpecFor } from '../gen/templates.js';
import { archByName } from '../model/arch/index.js';
import type { ByteSource } from '../model/elf.js';
import { MAX_FILE_BYTES } from '../model/layout.js';
import { parseElf } from '../parse/parse.js';
import { escapePath } from '../report/text.js';
import { refuseOverwritingInputs, writePiecesAtomic } from './atomic-write.js';
import { EXIT_OK, InputError, UsageError } from './exit-codes.js';
import { parseJsonText } from './json-text.js';
import { systemMessage } from './system-error.js';
import { readingInput, readInput, readStdin, STDIN_ARGUMENT, STDIN_NAME } from './inputs.js';
import { write } from './io.js';
import { parseIntegerIn } from './numbers.js';

const EXECUTABLE_MODE = 0o755;

/** How a path is named in messages: `-` as standard input, never with raw control characters. */
const shown = (path: string) => (path === STDIN_ARGUMENT ? STDIN_NAME : escapePath(path));

/** A file, or standard input for `-`, read whole. */
function readBytes(path: string): Uint8Array {
  const input = path === STDIN_ARGUMENT ? readStdin(false) : readInput(path, false)!;
  if ('error' in input) throw new InputError(`${shown(path)}: ${input.error}`);
  return input.bytes;
}

/** JSON.parse needs one string, which V8 caps at 2^29 - 24 characters: the spec of a file of about 256 MiB. */
function specText(path: string): string {
  const bytes = readBytes(path);
  try {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STRING_TOO_LONG') throw error;
    throw new InputError(`${shown(path)}: ${bytes.length} bytes of JSON is more than one string can hold (${constants.MAX_STRING_LENGTH} characters); rebuild a file this large with gen --from`);
  }
}

function readSpecFile(path: string): ElfSpec {
  const text = specText(path);
  let document: unknown;
  try {
    document = parseJsonText(text);
  } catch (error) {
    throw new UsageError(`${shown(path)}: not valid JSON: ${(error as Error).message}`);
  }
  const result = specFromJson(document);
  if (!result.ok) throw new UsageError(`${shown(path)}: invalid spec: ${result.errors.join('; ')}`);
  return result.spec;
}

/**
 * The spec of an ELF file, given to `use` while the file is open: a large
 * regular file is read by ranges, its raw chunks read again as they are written,
 * so that spec and gen --from never hold it whole.
 */
function withFileSpec<Result>(path: string, use: (spec: FileSpec) => Result): Result {
  let input = path === STDIN_ARGUMENT ? readStdin(true) : readInput(path, true, { onDemand: true });
  if (input !== undefined && 'file' in input && input.file.size > MAX_FILE_BYTES) {
    // A spec's offsets and size stop at MAX_FILE_BYTES: refused as a whole read refuses it, in the same words.
    input.file.close();
    input = readInput(path, true);
  }
  if (input === undefined) throw new InputError(`${shown(path)}: not an ELF file`);
  if ('error' in input) throw new InputError(`${shown(path)}: ${input.error}`);
  return readingInput(input, (source) => {
    const file = parseElf(source);
    if (file.kind !== 'elf') throw new InputError(`${shown(path)}: not an ELF file`);
    return use(fileSpecOf(file, explainingReads(source, path)));
  });
}

/** A file read after parsing fails as an input error that names it (the parser turns its own read failures into issues). */
function explainingReads(source: Uint8Array | ByteSource, path: string): Uint8Array | ByteSource {
  if (source instanceof Uint8Array) return source;
  return {
    size: source.size,
    read(target, position) {
      try {
        source.read(target, position);
      } catch (error) {
        throw new InputError(`${shown(path)}: cannot read: ${systemMessage(error)}`);
      }
    },
  };
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

/** What gen writes, given to `use`: a spec, and with --from the raw chunks left in the file they come from. */
function withSpec(template: string | undefined, options: GenOptions, use: (spec: FileSpec) => void): void {
  const sources = [template !== undefined, options.spec !== undefined, options.from !== undefined].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give exactly one of a template (hello, exit), --spec FILE or --from FILE');
  if (template !== undefined && template !== 'hello' && template !== 'exit') throw new UsageError(`unknown template "${template}"; use hello or exit`);
  checkTemplateOptions(template, options);
  refuseOverwritingInputs(['-o', options.output!], [['--spec', options.spec], ['--from', options.from], ['--message-file', options.messageFile]]);
  if (options.from !== undefined) withFileSpec(options.from, use);
  else use({ structure: options.spec !== undefined ? readSpecFile(options.spec) : templateSpec(template, options) });
}

function templateSpec(template: string | undefined, options: GenOptions): ElfSpec {
  if (template === 'hello') {
    const message = messageOf(options);
    try {
      return helloSpecFor(options.arch ?? 'x86_64', message, { pie: options.pie ?? false });
    } catch (error) {
      if (error instanceof SpecError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (template === 'exit') {
    if (options.status === undefined) throw new UsageError('gen exit needs --status N');
    return exitSpec(options.status);
  }
  throw new UsageError(`unknown template "${template}"; use hello or exit`);
}

/** Laid out before anything is written: a spec that cannot be built leaves no output. */
function layOutOrExplain(spec: ElfSpec, raw: readonly Piece[] | undefined): ElfImage {
  try {
    return new ElfImage(spec, raw);
  } catch (error) {
    if (error instanceof SpecError) throw new UsageError(`cannot build the spec: ${error.message}`);
    throw error;
  }
}

export function registerGen(program: Command, setExit: (code: number) => void): void {
  program
    .command('gen')
    .description('write an ELF file from a template, a JSON spec, or another ELF file')
    .argument('[template]', 'hello or exit')
    .requiredOption('-o, --output <file>', 'file to write (atomically, mode 0755), or - for standard output')
    .option('--spec <file>', 'build from a JSON spec (see `elf-lint spec`); - reads standard input')
    .option('--from <file>', 'rebuild an ELF file from its parsed spec; - reads standard input')
    .option('--message <text>', 'hello: the text to print (default: the Docker hello-world message)')
    .option('--message-file <file>', 'hello: read the text to print from a file')
    .option('--pie', 'hello: build a position-independent ET_DYN executable')
    .option('--arch <name>', `hello: the architecture (${HELLO_TARGETS.join(', ')}; default x86_64)`, parseHelloArch)
    .option('--status <n>', 'exit: the exit status, 0-255', parseIntegerIn(0, 255))
    .action((template: string | undefined, options: GenOptions) => {
      withSpec(template, options, ({ structure, raw }) => {
        // A window at a time: a rebuilt file of any size costs one window of memory.
        writePiecesAtomic(options.output!, layOutOrExplain(structure, raw).windows(), EXECUTABLE_MODE);
      });
      setExit(EXIT_OK);
    });
  program
    .command('spec')
    .description('print the JSON spec of an ELF file (rebuild it with `gen --spec`)')
    .argument('<file>', 'ELF file, or - for standard input')
    .action((path: string) => {
      // Piece by piece: a large file's spec is too long for one string.
      withFileSpec(path, ({ structure, raw }) => {
        for (const piece of specJsonPieces(structure, raw)) write(piece);
      });
      setExit(EXIT_OK);
    });
}
