// The facts of the machine the mutants really run on, so that predictions
// for executed mutants use the environment they ran in.
import { readFileSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LoaderAssumptions } from '../model/assumptions.js';
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions.js';
import { EM_X86_64 } from '../model/constants.js';
import type { InterpreterStatus } from '../loader/predict.js';

/** RLIMIT_AS the runner gives every mutant (runner.c). */
export const RUNNER_ADDRESS_SPACE = 512n * 1024n * 1024n;

export function hostMachine(): number | undefined {
  return process.platform === 'linux' && process.arch === 'x64' ? EM_X86_64 : undefined;
}

function readMmapMinAddr(): bigint | undefined {
  try {
    return BigInt(readFileSync('/proc/sys/vm/mmap_min_addr', 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** Assumptions for mutants executed here, as the unprivileged runner user. */
export function hostAssumptions(privileged: boolean): LoaderAssumptions {
  const machine = hostMachine();
  return {
    ...DEFAULT_ASSUMPTIONS,
    mmapMinAddr: readMmapMinAddr() ?? DEFAULT_ASSUMPTIONS.mmapMinAddr,
    privileged,
    addressSpaceLimit: RUNNER_ADDRESS_SPACE,
    ...(machine !== undefined ? { machine } : {}),
  };
}

const NAME_MAX = 255;
const PATH_MAX = 4096;
const S_IXOTH = 0o001;

/**
 * What opening a PT_INTERP path gives for a process running in `cwd` as an
 * unprivileged user (open_exec: a regular file with execute permission),
 * then the interpreter's own first checks (64 bytes, ELF magic).
 */
export function interpreterOracle(cwd: string): (path: string) => InterpreterStatus {
  return (path) => {
    if (path === '') return { ok: false, errno: 'ENOENT', reason: 'the interpreter path is empty' };
    if (path.length >= PATH_MAX || path.split('/').some((part) => Buffer.byteLength(part, 'latin1') > NAME_MAX)) {
      return { ok: false, errno: 'ENAMETOOLONG', reason: 'the interpreter path is too long' };
    }
    const full = isAbsolute(path) ? path : join(cwd, path);
    let stats;
    try {
      stats = statSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ENOENT';
      return { ok: false, errno: code, reason: `the interpreter ${JSON.stringify(path)} cannot be opened (${code})` };
    }
    if (!stats.isFile() || (stats.mode & S_IXOTH) === 0) return { ok: false, errno: 'EACCES', reason: `the interpreter ${JSON.stringify(path)} is not an executable file` };
    const head = new Uint8Array(64);
    const fd = openSync(full, 'r');
    const length = readSync(fd, head, 0, 64, 0);
    closeSync(fd);
    if (length < 64) return { ok: false, errno: 'EIO', reason: 'the interpreter is shorter than an ELF header' };
    if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return { ok: false, errno: 'ELIBBAD', reason: 'the interpreter is not an ELF file' };
    return { ok: true };
  };
}
