// Turns command-line paths into files to check. Directories are walked in a
// stable order; there, files without the ELF magic are skipped silently.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { hasElfMagic } from '../parse/parse.js';

export type Input =
  | { readonly path: string; readonly bytes: Uint8Array }
  | { readonly path: string; readonly error: string };

/** Node's Buffer limit on this platform is above this, but 2 GiB keeps memory use sane. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

function systemMessage(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    const code = String((error as NodeJS.ErrnoException).code);
    const known: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
      ELOOP: 'too many levels of symbolic links',
    };
    return known[code] ?? `${code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function readAll(fd: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let done = 0;
  while (done < size) {
    const count = readSync(fd, bytes, done, size - done, done);
    if (count === 0) return bytes.subarray(0, done);
    done += count;
  }
  return bytes;
}

/** Reads a file; with `onlyElf`, returns undefined for files without the ELF magic. */
export function readInput(path: string, onlyElf: boolean): Input | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { path, error: 'is a directory' };
    if (onlyElf) {
      const head = readAll(fd, Math.min(4, stats.size));
      if (!hasElfMagic(head)) return undefined;
    }
    if (stats.size > MAX_FILE_BYTES) return { path, error: `file is ${stats.size} bytes; elf-lint reads files up to 2 GiB` };
    return { path, bytes: readAll(fd, stats.size) };
  } catch (error) {
    return { path, error: `cannot read: ${systemMessage(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function* walk(directory: string): Generator<Input> {
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
      yield* walk(path);
    } else if (entry.isFile() || (entry.isSymbolicLink() && isRegularFile(path))) {
      const input = readInput(path, true);
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

/** Every file to check, in command-line order; directory contents sorted by name. */
export function* collectInputs(paths: readonly string[]): Generator<Input> {
  for (const path of paths) {
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      yield { path, error: `cannot read: ${systemMessage(error)}` };
      continue;
    }
    if (stats.isDirectory()) yield* walk(path);
    else yield readInput(path, false)!;
  }
}
