// Process-level output helpers shared by the commands.
import { fstatSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError } from './exit-codes.js';
import { systemMessage } from './system-error.js';

interface Manifest {
  readonly name: string;
  readonly version: string;
}
/** The CLI's bundle has the manifest's JSON built in (scripts/finish-build.mjs): a start need not find package.json. */
declare const ELF_LINT_MANIFEST: string | undefined;
const manifest = (typeof ELF_LINT_MANIFEST === 'string' ? JSON.parse(ELF_LINT_MANIFEST) : createRequire(import.meta.url)('../../package.json')) as Manifest;

export const TOOL = { name: manifest.name, version: manifest.version } as const;

/**
 * Whether standard output is a terminal, asked without making process.stdout (its stream and the
 * modules behind it cost a one-file run a few milliseconds): a file, a pipe or a socket never is,
 * nor on Linux a memory device such as /dev/null (major number 1); any other device asks the stream.
 */
function stdoutIsTerminal(): boolean {
  try {
    const stats = fstatSync(1);
    if (!stats.isCharacterDevice()) return false;
    const major = ((stats.rdev >>> 8) & 0xfff) | (Math.floor(stats.rdev / 2 ** 32) & ~0xfff);
    if (process.platform === 'linux' && major === 1) return false;
  } catch {
    // Whatever descriptor 1 is, the stream knows.
  }
  return process.stdout.isTTY === true;
}

/** Colour only for a terminal (standard output unless `stream` is given), and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream?: { readonly isTTY?: boolean }): boolean {
  const noColor = process.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  return stream === undefined ? stdoutIsTerminal() : stream.isTTY === true;
}

/** Waits a moment for a full non-blocking pipe or terminal to drain. */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/**
 * Writes all of `bytes` to descriptor `fd`, synchronously: a full disk (ENOSPC, /dev/full),
 * a closed pipe (EPIPE) or any other failure throws the system error, so that no caller can
 * take a partial write for a complete one.
 */
export function writeAllTo(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      // stdout may be non-blocking (a pipe libuv opened, a shared terminal): wait for room.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pause();
    }
  }
}

/**
 * Writes to standard output, completely or not at all as far as the caller knows: a failure
 * (ENOSPC, EPIPE, ...) is an InputError (exit 2, one `elf-lint:` line).
 */
export function write(text: string | Uint8Array): void {
  try {
    writeAllTo(1, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  } catch (error) {
    throw new InputError(`cannot write to standard output: ${systemMessage(error)}`);
  }
}
