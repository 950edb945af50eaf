// elf-lint's command line. Every failure ends in one line on stderr and a
// documented exit code; a stack trace only for a bug, and only on request.
import { Command, CommanderError } from 'commander';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, InputError, UsageError } from './exit-codes.js';
import { TOOL } from './io.js';
import { COMMAND_MODULES } from './commands.js';

/**
 * Which modules a command line needs. Commander dispatches on the first word
 * alone (the program's only options are --help and --version), and anything
 * that is not a command name goes to lint, the default; help needs them all.
 */
function modulesFor(argv: readonly string[]): typeof COMMAND_MODULES {
  const first = argv[2];
  if (first === 'help' || first === '--help' || first === '-h') return COMMAND_MODULES;
  const named = COMMAND_MODULES.find((module) => first !== undefined && module.names.includes(first));
  return [named ?? COMMAND_MODULES[0]!];
}

/**
 * Commander's own errors ("error: unknown option '--x'", possibly with a
 * "(Did you mean ...?)" line) as one line that starts like all of ours.
 */
function commanderError(text: string, write: (text: string) => void): void {
  const message = text.trim().replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  write(`elf-lint: ${message} (run with --help for usage)\n`);
}

async function buildProgram(argv: readonly string[], setExit: (code: number) => void): Promise<Command> {
  const program = new Command()
    .name('elf-lint')
    .description('Lint ELF binaries: check them against the gABI and predict what the Linux loader does.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    // Set before the commands are added: they inherit it.
    .configureOutput({ writeOut: (text) => stdoutStream().write(text), writeErr: (text) => process.stderr.write(text), outputError: commanderError });
  program.addHelpText('after', `
Examples:
  elf-lint corpus/hello                      check one file (lint is the default command)
  elf-lint --format json --fail-on warning build/
  elf-lint explain entry-in-load-segment     what a rule checks and how to fix it
  elf-lint map corpus/hello                  the file's layout: file offsets beside virtual memory
  elf-lint fuzz corpus/hello --count 10000   compare predictions with the kernel

lint's options (--format, --fail-on, --jobs, --config, ...): elf-lint lint --help.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it or a failing loader
verdict (--fail-on-verdict; fuzz: disagreements), 2 unreadable input, not an ELF file, no ELF
file found or unwritable output, 3 usage error,
4 internal error (a bug in elf-lint: please report it); stopped by a signal: 130 (Ctrl-C),
143 (SIGTERM), 129 (SIGHUP).`);
  const registers = await Promise.all(modulesFor(argv).map((module) => module.load()));
  for (const register of registers) register(program, setExit);
  // Our own `help [command]`: commander's answers an unknown name with the whole help on stderr.
  program.helpCommand(false);
  program
    .command('help')
    .description('display help for command')
    .argument('[command]', 'the command to explain')
    .action((name: string | undefined) => {
      const command = name === undefined ? program : program.commands.find((candidate) => candidate.name() === name);
      if (!command) throw new UsageError(`unknown command "${name}" (see \`elf-lint --help\`)`);
      command.outputHelp();
      setExit(EXIT_OK);
    });
  for (const command of program.commands) command.exitOverride();
  return program;
}

function exitCodeForError(error: unknown): number {
  if (error instanceof CommanderError) {
    const quiet = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return quiet.includes(error.code) ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`elf-lint: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof InputError) {
    process.stderr.write(`elf-lint: ${error.message}\n`);
    return EXIT_INPUT;
  }
  return internalError(error);
}

/**
 * Anything else is a bug (a RangeError, a TypeError, ...), never the user's
 * mistake: one line that says so, and the stack trace only with ELF_LINT_DEBUG=1.
 */
function internalError(error: unknown): number {
  const detail = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`elf-lint: internal error: ${detail}; this is a bug in elf-lint, please report it (ELF_LINT_DEBUG=1 prints the stack trace)\n`);
  if (process.env['ELF_LINT_DEBUG'] === '1') process.stderr.write(`${error instanceof Error && error.stack ? error.stack : String(error)}\n`);
  return EXIT_INTERNAL;
}

// What escapes the command (a throw in a callback or a stream handler) is a bug too.
process.on('uncaughtException', (error) => process.exit(internalError(error)));

function onStdoutError(error: NodeJS.ErrnoException): void {
  // A closed pipe (`elf-lint ... | head`) is not an error of ours.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  process.stderr.write(`elf-lint: cannot write to standard output: ${error.message}\n`);
  process.exit(EXIT_INPUT);
}

let stdoutWatched = false;
/**
 * process.stdout, watched for errors. Reports go to descriptor 1 directly (io.ts write); only
 * commander's help and version text go through the stream, made on first use here because
 * making it costs a one-file run a few milliseconds.
 */
function stdoutStream(): NodeJS.WriteStream {
  if (!stdoutWatched) process.stdout.on('error', onStdoutError);
  stdoutWatched = true;
  return process.stdout;
}

/**
 * The command line without a `--` that comes before every other word: npx's
 * separator, which some npm versions pass on (`npx elf-lint -- --format json
 * f`), and which means nothing there. A file whose name starts with `-` is
 * named after the command: `elf-lint lint -- -f`.
 */
function withoutLeadingSeparator(argv: readonly string[]): string[] {
  return argv[2] === '--' ? [...argv.slice(0, 2), ...argv.slice(3)] : [...argv];
}

/** Runs one command line; the exit code is set, never forced, so that output drains first. */
async function main(): Promise<void> {
  let exitCode = EXIT_OK;
  const argv = withoutLeadingSeparator(process.argv);
  try {
    await (await buildProgram(argv, (code) => { exitCode = code; })).parseAsync(argv);
  } catch (error) {
    exitCode = exitCodeForError(error);
  }
  process.exitCode = exitCode;
}

void main();
