// Process-level output helpers shared by the commands.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError } from './exit-codes.js';

const require = createRequire(import.meta.url);
const manifest = require('../../package.json') as { name: string; version: string };

export const TOOL = { name: manifest.name, version: manifest.version } as const;

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
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
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot write to standard output: ${message}`);
  }
}
