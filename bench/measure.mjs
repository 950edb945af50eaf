// The measuring half of `npm run bench`: runs a command under bench/rusage.c
// (compiled here once per version of its source) and returns its wall time
// and peak RSS; medians and ranges; the bench's cache directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
export const CACHE = join(ROOT, 'node_modules', '.cache', 'elf-lint-bench');

export const fingerprint = (text) => createHash('sha256').update(text).digest('hex').slice(0, 10);

let wrapper;
/** bench/rusage.c, compiled into the cache the first time (cc), older builds of it removed. */
export function rusageWrapper() {
  if (wrapper) return wrapper;
  const source = join(ROOT, 'bench', 'rusage.c');
  mkdirSync(CACHE, { recursive: true });
  const binary = join(CACHE, `rusage-${fingerprint(readFileSync(source))}`);
  if (!existsSync(binary)) {
    for (const stale of readdirSync(CACHE)) if (stale.startsWith('rusage-')) rmSync(join(CACHE, stale), { force: true });
    execFileSync('cc', ['-O2', '-o', binary, source], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  wrapper = binary;
  return binary;
}

/**
 * One run of `command args` with its standard output sent to `stdout`:
 * { ms, rssMB, status, stderr }. status is the exit code, 128 + a signal,
 * or 'timeout'. The wrapper kills the command when it is itself stopped.
 */
export function measure(command, args, { stdout = '/dev/null', timeoutSeconds = 600, cwd = ROOT } = {}) {
  const result = spawnSync(rusageWrapper(), [String(timeoutSeconds), stdout, command, ...args], {
    cwd, encoding: 'utf8', maxBuffer: 1 << 26, timeout: (timeoutSeconds + 30) * 1000, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [micros, kib, status] = (result.stdout ?? '').trim().split(' ');
  if (result.error || micros === undefined || kib === undefined || status === undefined) {
    throw new Error(`could not measure ${command}: ${result.error?.message ?? (result.stderr || 'no measurement printed').trim()}`);
  }
  return { ms: Number(micros) / 1000, rssMB: (Number(kib) * 1024) / 1e6, status: status === 'timeout' ? status : Number(status), stderr: result.stderr };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** { median, min, max, n } of a list of numbers. */
export function stats(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Shell-quoted, for printing the exact command. */
export const shellWords = (words) => words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ');
