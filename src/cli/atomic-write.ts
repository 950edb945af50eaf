// Outputs appear whole or not at all: write a temporary file beside the
// target, then rename it over the target. The rename must never replace
// something that is not a plain file of ours: a symlink is followed (the
// link stays), and a device, FIFO or file descriptor (/dev/stdout, /dev/null,
// /proc/self/fd/N) is written in place.
import {
  accessSync, chmodSync, closeSync, fchmodSync, constants, fstatSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { escapePath } from '../report/text.js';
import { InputError, UsageError } from './exit-codes.js';
import { STDIN_ARGUMENT } from './inputs.js';
import { writeAllTo } from './io.js';

/** `-o -`: standard output. */
export const STDOUT_ARGUMENT = '-';

/** Paths that name an open descriptor: renaming over them would replace the link, not write to the descriptor. */
const DESCRIPTOR_PATH = /^\/(dev\/(stdout|stderr|stdin|fd\/\d+)|proc\/(self|thread-self|\d+)\/(task\/\d+\/)?fd\/\d+)$/;

type Target =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'in-place'; readonly path: string; readonly creates: boolean }
  | { readonly kind: 'atomic'; readonly path: string };

function reasonOf(error: unknown): string {
  const known: Record<string, string> = {
    ENOENT: 'its directory does not exist', ENOTDIR: 'a parent is not a directory', EACCES: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left on device',
  };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code !== undefined ? known[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
}

function statOrUndefined(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Where and how `path` is written. Throws InputError for a directory. */
function targetOf(path: string): Target {
  if (path === STDOUT_ARGUMENT) return { kind: 'stdout' };
  const stats = statOrUndefined(path, true);
  if (stats === undefined) {
    // A dangling symlink: write through it like a shell redirection (this creates its target).
    if (statOrUndefined(path, false)?.isSymbolicLink()) return { kind: 'in-place', path, creates: true };
    return { kind: 'atomic', path };
  }
  if (stats.isDirectory()) throw new InputError(`cannot write ${path}: is a directory`);
  if (!stats.isFile() || DESCRIPTOR_PATH.test(resolve(path))) return { kind: 'in-place', path, creates: false };
  // A symlink to a regular file: replace the file it points to, keep the link.
  return { kind: 'atomic', path: realpathSync(path) };
}

/**
 * Fails early (InputError) when `path` cannot be written: a directory, a missing
 * or read-only parent. Used before long runs (fuzz --report) so that no work is lost.
 */
export function checkWritable(path: string): void {
  try {
    const target = targetOf(path);
    if (target.kind === 'stdout') return;
    if (target.kind === 'in-place') {
      if (!target.creates) accessSync(target.path, constants.W_OK);
      return;
    }
    const parent = dirname(target.path);
    if (!statSync(parent).isDirectory()) throw new Error(`${parent} is not a directory`);
    // The temporary file is created in the parent, then renamed.
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${path}: ${reasonOf(error)}`);
  }
}

/** Writes every piece, in order; an output made piece by piece (a large rebuilt file) is never held whole. */
function writeAll(fd: number, pieces: Iterable<Uint8Array>): void {
  for (const piece of pieces) writeAllTo(fd, piece);
}

function writeInPlace(path: string, pieces: Iterable<Uint8Array>, mode: number | undefined): void {
  const fd = openSync(path, 'w');
  try {
    if (mode !== undefined) fchmodSync(fd, mode); // a file this write creates gets the mode, whatever the umask
    writeAll(fd, pieces);
  } finally {
    closeSync(fd);
  }
}

/** The signals that stop a command (Ctrl-C, kill, a closed terminal). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `work` with the stop signals held. By default they end the process at
 * once, in the middle of a write, and leave the temporary file behind; a
 * listener instead makes Node take them between tasks, after `work`. A signal
 * that came meanwhile then ends the process as it would have (130, 143, 129),
 * with the output whole or absent; unless the command listens for it itself.
 */
function holdingStopSignals<Result>(work: () => Result): Result {
  const release = () => {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  };
  const stop = (signal: NodeJS.Signals) => {
    release();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    return work();
  } finally {
    // The loop's next turn takes a signal that came during `work` (its poll phase comes before this).
    setImmediate(release);
  }
}

function writeAtomically(path: string, pieces: Iterable<Uint8Array>, mode: number): void {
  holdingStopSignals(() => writeThroughTemporary(path, pieces, mode));
}

function writeThroughTemporary(path: string, pieces: Iterable<Uint8Array>, mode: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', mode);
    writeAll(fd, pieces);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temporary, mode); // explicit: openSync's mode is filtered by the umask
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(temporary); } catch { /* it may not exist */ }
    throw error;
  }
}

/** Writes `bytes` to `path` (`-` is stdout); a new or replaced regular file gets `mode`. */
export function writeFileAtomic(path: string, bytes: Uint8Array, mode: number): void {
  writePiecesAtomic(path, [bytes], mode);
}

/**
 * writeFileAtomic for an output made a piece at a time (each piece is written
 * before the next is asked for). An InputError the pieces throw (the file they
 * are read from failed) goes on as it is, and leaves no temporary file.
 */
export function writePiecesAtomic(path: string, pieces: Iterable<Uint8Array>, mode: number): void {
  try {
    const target = targetOf(path);
    if (target.kind === 'stdout') writeAll(1, pieces);
    else if (target.kind === 'in-place') writeInPlace(target.path, pieces, target.creates ? mode : undefined);
    else writeAtomically(target.path, pieces, mode);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write ${path}: ${reasonOf(error)}`);
  }
}

/** Device and inode (exact, as bigints) of a regular file, named or open; undefined for anything else. */
function regularFileId(file: string | number): string | undefined {
  try {
    const stats = typeof file === 'number' ? fstatSync(file, { bigint: true }) : statSync(file, { bigint: true });
    return stats.isFile() ? `${stats.dev}:${stats.ino}` : undefined;
  } catch {
    return undefined; // missing: nothing to overwrite, or the read reports it
  }
}

/**
 * Refuses (UsageError) an output that would replace one of the inputs: before
 * it has been read (`gen --spec s.json -o s.json`), or after (`lint -o a/hello
 * a/hello`, a binary replaced by its report). Compared by device and inode, so
 * links and other spellings of the same file are caught. `output` is the
 * option and its path; an input's option may be empty (lint's paths). `-`
 * is standard output or input.
 */
export function refuseOverwritingInputs(output: readonly [option: string, path: string], inputs: Iterable<readonly [option: string, path: string | undefined]>): void {
  const [outputOption, outputPath] = output;
  const outputId = regularFileId(outputPath === STDOUT_ARGUMENT ? 1 : outputPath);
  if (outputId === undefined) return;
  for (const [option, path] of inputs) {
    if (path !== undefined && regularFileId(path === STDIN_ARGUMENT ? 0 : path) === outputId) {
      const outputName = outputPath === STDOUT_ARGUMENT ? '- (standard output)' : escapePath(outputPath);
      const inputName = path === STDIN_ARGUMENT ? '- (standard input)' : escapePath(path);
      throw new UsageError(`${outputOption} ${outputName} is the same file as the input ${option ? `${option} ` : ''}${inputName}; write to another file`);
    }
  }
}
