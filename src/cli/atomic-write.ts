// Outputs appear whole or not at all: write a temporary file beside the
// target, then rename it over the target.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, chmodSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './exit-codes.js';

export function writeFileAtomic(path: string, bytes: Uint8Array, mode: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', mode);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try { unlinkSync(temporary); } catch { /* it may not exist */ }
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`cannot write ${path}: ${reason}`);
  }
}
