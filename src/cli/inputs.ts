// Turns command-line paths into files to check. Directories are walked in a
// stable order; there, files without the ELF magic are skipped silently.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasElfMagic } from '../parse/parse.js';
import { MAX_FILE_BYTES, MAX_RANGED_FILE_BYTES } from '../model/layout.js';
import type { ByteSource } from '../model/elf.js';
import { systemMessage } from './system-error.js';

/** A regular file left open and read on demand; close it when done. */
export interface OpenFile extends ByteSource {
  close(): void;
}

/** A file read whole, or the reason it could not be read. */
export type WholeInput =
  | { readonly path: string; readonly bytes: Uint8Array }
  | { readonly path: string; readonly error: string };

/** With `onDemand`, large regular files (of any size) come back open instead. */
export type Input = WholeInput | { readonly path: string; readonly file: OpenFile };

export interface ReadOptions {
  /** Leave large regular files open and read only what is used (lint does). */
  readonly onDemand?: boolean;
  /** With `onDemand`, every regular file comes back open, however small: the lint pool passes paths to its workers. */
  readonly openEvery?: boolean;
  /**
   * The input is read as an ELF file: a stream (a pipe, a device) whose first bytes are not the
   * ELF magic is read no further. Its head is all it takes to say so, and /dev/zero never ends.
   */
  readonly elf?: boolean;
}

/** Below this a file is read whole: one read is cheaper than bookkeeping. */
const ON_DEMAND_FROM = 256 * 1024;
/** The most one read(2) asks for (Linux transfers at most 0x7ffff000 bytes per call). */
const MAX_READ = 1 << 30;

function openFile(fd: number, size: number): OpenFile {
  return {
    size,
    read(target, position) {
      let done = 0;
      while (done < target.length) {
        const count = readSync(fd, target, done, Math.min(target.length - done, MAX_READ), position + done);
        if (count === 0) break; // the file shrank: the rest stays as it is (zero)
        done += count;
      }
    },
    close() {
      closeSync(fd);
    },
  };
}

/**
 * Runs `read` on a readable input (its bytes, or the open file read by ranges)
 * and closes an open file afterwards, whatever happens.
 */
export function readingInput<Result>(input: Exclude<Input, { readonly error: string }>, read: (source: Uint8Array | ByteSource) => Result): Result {
  try {
    return read('file' in input ? input.file : input.bytes);
  } finally {
    if ('file' in input) input.file.close();
  }
}

/** The path `-` on the command line means standard input; reports name it so. */
export const STDIN_ARGUMENT = '-';
export const STDIN_NAME = '<stdin>';

/** Why a file is not read whole: gen, spec, fuzz seeds and standard input hold the whole file in one buffer. */
const WHOLE_LIMIT = `elf-lint holds a whole file in memory only up to ${MAX_FILE_BYTES} bytes (2 GiB less one byte); lint reads larger regular files by ranges`;
const TOO_BIG = `more than ${MAX_FILE_BYTES} bytes; ${WHOLE_LIMIT}`;
const CHUNK = 64 * 1024;
/** Reused by every read (reads are synchronous): probes for bytes past st_size. */
const PROBE = new Uint8Array(CHUNK);

/** The first `count` bytes of a regular file (fewer if it is shorter). */
function readHead(fd: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count);
  let done = 0;
  while (done < count) {
    const read = readSync(fd, bytes, done, count - done, done);
    if (read === 0) break;
    done += read;
  }
  return bytes.subarray(0, done);
}

/** One read; a non-blocking descriptor (a shared terminal or pipe) that has nothing yet is waited for. */
function readSome(fd: number, buffer: Uint8Array, offset: number, position: number | null): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, buffer.length - offset, position);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Reads until end of file. st_size is only a hint: pipes, terminals and /proc
 * files report 0, and files may grow. `positional` reads from offset 0 (regular
 * files); otherwise reads go on from where the descriptor is (pipes cannot seek).
 */
function readToEnd(fd: number, sizeHint: number, positional: boolean, elf: boolean): Uint8Array | undefined {
  let buffer = new Uint8Array(Math.min(sizeHint > 0 ? sizeHint : CHUNK, MAX_FILE_BYTES));
  let done = 0;
  for (;;) {
    if (elf && !positional && done >= 4 && !hasElfMagic(buffer)) return buffer.subarray(0, done);
    if (done === buffer.length) {
      // Full: probe for more before growing, so that a file of exactly st_size costs no copy.
      const count = readSome(fd, PROBE, 0, positional ? done : null);
      if (count === 0) return buffer;
      if (done + count > MAX_FILE_BYTES) return undefined;
      const grown = new Uint8Array(Math.min(Math.max(buffer.length * 2, done + count), MAX_FILE_BYTES));
      grown.set(buffer);
      grown.set(PROBE.subarray(0, count), done);
      buffer = grown;
      done += count;
      continue;
    }
    const count = readSome(fd, buffer, done, positional ? done : null);
    if (count === 0) return buffer.subarray(0, done);
    done += count;
  }
}

function readDescriptor(fd: number, path: string, stats: Stats, elf: boolean): WholeInput {
  if (stats.isFile() && stats.size > MAX_FILE_BYTES) return { path, error: `file is ${stats.size} bytes; ${WHOLE_LIMIT}` };
  const bytes = readToEnd(fd, stats.isFile() ? stats.size : 0, stats.isFile(), elf);
  return bytes ? { path, bytes } : { path, error: `file is ${TOO_BIG}` };
}

/** Reads a file; with `onlyElf`, returns undefined for files without the ELF magic. */
export function readInput(path: string, onlyElf: boolean, options?: ReadOptions & { readonly onDemand?: false }): WholeInput | undefined;
export function readInput(path: string, onlyElf: boolean, options: ReadOptions): Input | undefined;
export function readInput(path: string, onlyElf: boolean, options: ReadOptions = {}): Input | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { path, error: 'is a directory' };
    // Only regular files are sniffed (directory walks); a pipe's head cannot be read twice.
    if (onlyElf && stats.isFile() && !hasElfMagic(readHead(fd, 4))) return undefined;
    if (options.onDemand && stats.isFile() && (options.openEvery === true || stats.size >= ON_DEMAND_FROM)) {
      // st_size as a number is exact below 2^53; past that it is only approximate, so ask for it exactly.
      if (stats.size > MAX_RANGED_FILE_BYTES) return { path, error: `file is ${fstatSync(fd, { bigint: true }).size} bytes; elf-lint reads files of up to ${MAX_RANGED_FILE_BYTES} bytes (2^53 - 1)` };
      const file = openFile(fd, stats.size);
      fd = undefined; // the caller closes it
      return { path, file };
    }
    return readDescriptor(fd, path, stats, onlyElf || options.elf === true);
  } catch (error) {
    return { path, error: `cannot read: ${systemMessage(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Standard input, read to its end (`elf-lint -`, `cat file | elf-lint -`); `elf`: as ReadOptions' elf. */
export function readStdin(elf: boolean): WholeInput {
  try {
    return readDescriptor(0, STDIN_NAME, fstatSync(0), elf);
  } catch (error) {
    return { path: STDIN_NAME, error: `cannot read: ${systemMessage(error)}` };
  }
}

function* walk(directory: string, options: ReadOptions): Generator<Input> {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    yield { path: directory, error: `cannot read directory: ${systemMessage(error)}` };
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      yield* walk(path, options);
    } else if (entry.isFile() || (entry.isSymbolicLink() && isRegularFile(path))) {
      const input = readInput(path, true, options);
      if (input) yield input;
    }
  }
}

function isRegularFile(path: string): boolean {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return false;
  }
  return stats.isFile();
}

/** Every file to check (read as ELF files: ReadOptions' elf), in command-line order; directory contents sorted by name. */
export function collectInputs(paths: readonly string[]): Generator<WholeInput>;
export function collectInputs(paths: readonly string[], options: ReadOptions): Generator<Input>;
export function* collectInputs(paths: readonly string[], given: ReadOptions = {}): Generator<Input> {
  const options = { ...given, elf: true };
  for (const path of paths) {
    if (path === STDIN_ARGUMENT) {
      yield readStdin(true);
      continue;
    }
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      yield { path, error: `cannot read: ${systemMessage(error)}` };
      continue;
    }
    if (stats.isDirectory()) yield* walk(path, options);
    else yield readInput(path, false, options)!;
  }
}

/**
 * collectInputs of every path, each file once: a file named twice, or found again in a directory
 * also named, comes back the first time only (a repeat left open is closed). Each path under which
 * nothing at all was found (an empty directory) is added to `unmatched`.
 */
export function* distinctInputs(paths: readonly string[], options: ReadOptions, unmatched: string[]): Generator<Input> {
  const seen = new Set<string>();
  for (const path of paths) {
    let found = 0;
    for (const input of collectInputs([path], options)) {
      found += 1;
      const key = input.path === STDIN_NAME ? input.path : resolve(input.path);
      if (!seen.has(key)) {
        seen.add(key);
        yield input;
      } else if ('file' in input) {
        input.file.close();
      }
    }
    if (found === 0) unmatched.push(path);
  }
}
