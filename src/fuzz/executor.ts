// Runs ELF files for real and reports what the kernel did with them.
//
// A small C helper (runner.c, compiled on first use) does the work: it is a
// long-lived process that reads "ID TIMEOUT_MS PATH" lines (or the file's bytes
// inline) and answers each with one JSON line, so a mutant costs one
// clone+execve instead of a Node child_process.spawn. See runner.c for the
// sandbox and the verdicts.
//
// The mutants run as an unprivileged uid (65534 by default) when Node is root,
// so every file handed to run() must be readable and executable by that uid
// (mode 0755) and every directory above it traversable (o+x). The executor's
// own workDir (mkdtemp + chmod 0711) satisfies this; runBytes() files go there.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ExecStage } from '../model/loader-verdict.js';
import type { InterpreterStatus } from '../loader/predict.js';
import { makeDirectories } from './directories.js';

export type Verdict = 'runs' | 'exec-error' | 'exec-killed' | 'start-fault';

export interface ExecOutcome {
  readonly verdict: Verdict;
  /**
   * Where it was decided (runner.c): `execve`, `entry`, `program` (the program's own entry, reached
   * through its interpreter), or `interpreter` (the interpreter exited or died before that).
   */
  readonly stage: ExecStage | 'interpreter';
  /** exec-error: execve's errno; exec-killed: the error the kernel gave up with, when recoverable. */
  readonly errno: string | null;
  /** exec-killed and start-fault: the fatal signal ("SIGSEGV", ...). */
  readonly signal: string | null;
  /** runs: the exit status, unless the program outlived the timeout or died of a signal later. */
  readonly exitCode: number | null;
  /** runs: a signal that killed the program after its first instruction completed. */
  readonly laterSignal: string | null;
  /**
   * The wall-clock timeout expired and everything the job started was killed: `runs` when the
   * program had started, `exec-killed` with SIGKILL when it was still inside execve.
   */
  readonly timedOut: boolean;
  /** The first 64 KiB the program wrote to stdout. */
  readonly stdout: Uint8Array;
}

export interface ExecutorOptions {
  /** Credentials of the mutants when running as root (default 65534/65534). Ignored otherwise. */
  readonly uid?: number;
  readonly gid?: number;
  /** Directory the mutants run in and runBytes() writes to; created (and removed on close) if absent. */
  readonly workDir?: string;
  /** Runner processes to spread jobs over (default 1). */
  readonly jobs?: number;
  /** Try a private PID namespace per runner (default true; needs root). */
  readonly pidNamespace?: boolean;
  /** Default wall-clock timeout per run in milliseconds (default 1000). */
  readonly timeoutMs?: number;
}

export interface SandboxInfo {
  /** Every runner is PID 1 of its own PID namespace. */
  readonly pidNamespace: boolean;
  /** The uid/gid the mutants actually run as. */
  readonly uid: number;
  readonly gid: number;
  /** Why something was not available (empty when everything was). */
  readonly note: string;
}

export interface Executor {
  readonly workDir: string;
  readonly sandbox: SandboxInfo;
  /** Executes the file at `path` (resolved against the current directory). */
  run(path: string, timeoutMs?: number): Promise<ExecOutcome>;
  /**
   * Runs `bytes` as a file in workDir: with mode 0755 (the default) and up to 1 MiB, the runner
   * writes it to a file of its own; otherwise it is written to a fresh file here, run and removed.
   */
  runBytes(bytes: Uint8Array, options?: { readonly timeoutMs?: number; readonly mode?: number }): Promise<ExecOutcome>;
  /** Ends the runners; they kill whatever their mutants left behind. */
  close(): Promise<void>;
  /** What opening a PT_INTERP path gives where the mutants run, when that is not this host's workDir. */
  readonly interpreter?: (path: string) => InterpreterStatus;
}

/** A runner process died or could not start while mutants were being executed. */
export class RunnerFailed extends Error {
  override readonly name = 'RunnerFailed';
}

/** No executor on this machine: not Linux, or no working C compiler. */
export class ExecutorUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecutorUnavailable';
  }
}

const DEFAULT_UID = 65534;
const DEFAULT_GID = 65534;
const DEFAULT_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 86_400_000;
const CLOSE_GRACE_MS = 5000;
const ETXTBSY_RETRIES = 3;

// ---- locating and compiling runner.c ----

const here = dirname(fileURLToPath(import.meta.url));

/** runner.c sits beside this module under src/; from dist/fuzz/ it is ../../src/fuzz/. */
export function runnerSourcePath(): string {
  const candidates = [join(here, 'runner.c'), join(here, '..', '..', 'src', 'fuzz', 'runner.c')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new ExecutorUnavailable(`runner.c not found (looked at ${candidates.join(', ')})`);
  return found;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}

/** A cache directory only we can write to (the binary runs as root, so nobody else may plant it). */
async function privateDirectory(path: string): Promise<boolean> {
  try {
    makeDirectories(path, 0o700);
    const info = await stat(path);
    return info.isDirectory() && info.uid === currentUid() && (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

async function cacheDirectory(): Promise<string> {
  const modules = join(here, '..', '..', 'node_modules');
  const candidates = [
    ...(existsSync(modules) ? [join(modules, '.cache', 'elf-lint')] : []),
    join(tmpdir(), `elf-lint-cache-${currentUid()}`),
  ];
  for (const candidate of candidates) {
    if (await privateDirectory(candidate)) return candidate;
  }
  return mkdtemp(join(tmpdir(), 'elf-lint-runner-'));
}

function runCompiler(compiler: string, args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(compiler, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      reject(errorCode(error) === 'ENOENT'
        ? new ExecutorUnavailable(`no C compiler: \`${compiler}\` is not on PATH (install gcc or clang)`)
        : new ExecutorUnavailable(`cannot run ${compiler}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new ExecutorUnavailable(`${compiler} failed to compile runner.c (${signal ?? `exit ${code}`}):\n${Buffer.concat(chunks).toString()}`));
    });
  });
}

/** How to build runner.c for a machine: the compiler, its extra flags, and a name for the cached binary. */
export interface RunnerBuild {
  readonly compiler: string;
  readonly flags: readonly string[];
  /** Distinguishes binaries of the same source (the host's, each guest architecture's). */
  readonly tag: string;
}

const HOST_BUILD: RunnerBuild = { compiler: 'cc', flags: [], tag: process.arch };

const compiled = new Map<string, Promise<string>>();

/** Path of the compiled runner; compiles runner.c once per source version and build. */
export function runnerBinary(build: RunnerBuild = HOST_BUILD): Promise<string> {
  const key = `${build.compiler}\0${build.flags.join('\0')}\0${build.tag}`;
  let binary = compiled.get(key);
  if (!binary) {
    binary = compileRunner(build).catch((error: unknown) => {
      compiled.delete(key);
      throw error;
    });
    compiled.set(key, binary);
  }
  return binary;
}

async function compileRunner(build: RunnerBuild): Promise<string> {
  if (process.platform !== 'linux') throw new ExecutorUnavailable(`the executor needs Linux (this is ${process.platform})`);
  const source = runnerSourcePath();
  const hash = createHash('sha256').update(await readFile(source)).update(build.tag).update(build.flags.join(' ')).digest('hex').slice(0, 16);
  const binary = join(await cacheDirectory(), `runner-${build.tag === process.arch && build.flags.length === 0 ? '' : `${build.tag}-`}${hash}`);
  if (existsSync(binary)) return binary;
  // Compile under a private name and rename: concurrent test workers may race here.
  const scratch = `${binary}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await runCompiler(build.compiler, ['-O2', '-Wall', '-Wextra', ...build.flags, '-o', scratch, source]);
    await rename(scratch, binary);
  } finally {
    await rm(scratch, { force: true });
  }
  return binary;
}

// ---- the work directory ----

/** Checks that `uid` can reach `dir` (search permission on it and every parent). */
async function checkTraversable(dir: string, uid: number, gid: number): Promise<void> {
  let current = resolve(dir);
  for (;;) {
    const info = await stat(current);
    const bit = info.uid === uid ? 0o100 : info.gid === gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(`uid ${uid} cannot traverse ${current} (mode ${(info.mode & 0o777).toString(8)}), so it cannot run files in ${dir}; pass a workDir under a world-traversable directory`);
    }
    const parent = dirname(current);
    if (parent === current || current === parsePath(current).root) return;
    current = parent;
  }
}

// ---- talking to one runner process ----

interface Pending {
  readonly id: number;
  readonly resolve: (outcome: ExecOutcome) => void;
  readonly reject: (error: Error) => void;
}

const VERDICTS: ReadonlySet<string> = new Set<Verdict>(['runs', 'exec-error', 'exec-killed', 'start-fault']);
const STAGES: ReadonlySet<string> = new Set(['execve', 'entry', 'program', 'interpreter']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function parseOutcome(record: Record<string, unknown>): ExecOutcome {
  const { verdict, stage, errno, signal, exitCode, laterSignal, timedOut, stdout } = record;
  if (typeof verdict !== 'string' || !VERDICTS.has(verdict) || typeof stage !== 'string' || !STAGES.has(stage) || !stringOrNull(errno) || !stringOrNull(signal) || !stringOrNull(laterSignal)
    || !(exitCode === null || typeof exitCode === 'number') || typeof timedOut !== 'boolean' || typeof stdout !== 'string') {
    throw new Error(`malformed runner result: ${JSON.stringify(record)}`);
  }
  const bytes = Buffer.from(stdout, 'base64');
  return {
    verdict: verdict as Verdict, stage: stage as ExecOutcome['stage'], errno, signal, exitCode, laterSignal, timedOut,
    stdout: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

/**
 * Mutants are rewritten thousands of times a second: on a disk file system
 * truncating a file that was just executed costs ~0.2 ms, on tmpfs almost
 * nothing. Prefer /dev/shm when it is there and writable.
 */
export async function scratchRoot(): Promise<string> {
  try {
    const info = await stat('/dev/shm');
    if (info.isDirectory() && (info.mode & 0o1777) === 0o1777) return '/dev/shm';
  } catch {
    // no /dev/shm: fall back to the system temporary directory
  }
  return tmpdir();
}

export interface RunnerOptions {
  /**
   * Lines of the protocol start with this (a guest's console also carries kernel messages);
   * other lines are kept as console text for error messages.
   */
  readonly marker?: string;
  /** A runner that answers nothing for this long while jobs wait is taken for hung and killed. */
  readonly watchdogMs?: number;
}

/** The runner's greeting: the sandbox, and the whole record for what else a runner reports. */
export interface RunnerReady {
  readonly sandbox: SandboxInfo;
  readonly record: Readonly<Record<string, unknown>>;
}

/** One runner process (runner.c, or a guest kernel whose init it is) and the jobs it has been given. */
export class Runner {
  readonly pending: Pending[] = [];
  readonly ready: Promise<RunnerReady>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private failure: Error | undefined;
  private stderr = '';
  private console = '';
  private watchdog: NodeJS.Timeout | undefined;

  constructor(binary: string, args: readonly string[], private readonly options: RunnerOptions = {}) {
    // Its own process group: a Ctrl-C at the terminal must reach elf-lint, which
    // finishes the jobs in flight, not the runners (they die with us anyway).
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let settleReady: { resolve: (info: RunnerReady) => void; reject: (error: Error) => void } | undefined;
    this.ready = new Promise((resolvePromise, reject) => { settleReady = { resolve: resolvePromise, reject }; });
    // Nobody may be waiting for the greeting any more when the runner fails.
    this.ready.catch(() => {});
    this.exited = new Promise((resolvePromise) => this.child.once('close', () => resolvePromise()));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => { this.stderr = (this.stderr + text).slice(-4096); });
    // A write after the runner died would otherwise throw EPIPE asynchronously.
    this.child.stdin?.on('error', () => {});
    this.child.on('error', (error) => this.fail(new RunnerFailed(`executor runner failed to start: ${error.message}`)));
    this.child.on('close', (code, signal) => {
      clearTimeout(this.watchdog);
      const detail = [this.stderr.trim(), this.console.trim() ? `console: ${this.console.trim()}` : ''].filter(Boolean).join('; ');
      this.fail(new RunnerFailed(`executor runner exited (${signal ?? `code ${code}`})${detail ? `: ${detail}` : ''}`));
      settleReady?.reject(this.failure ?? new RunnerFailed('executor runner exited'));
    });
    const lines = createInterface({ input: this.child.stdout!, crlfDelay: Infinity });
    let first = true;
    lines.on('line', (line) => {
      const payload = this.payload(line);
      if (payload === undefined) return;
      try {
        const parsed: unknown = JSON.parse(payload);
        if (!isRecord(parsed)) throw new Error(`unexpected runner output: ${payload}`);
        if (first) {
          first = false;
          settleReady?.resolve({ sandbox: this.parseReady(parsed, payload), record: parsed });
          return;
        }
        this.settle(parsed);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        settleReady?.reject(failure);
        this.fail(failure);
        this.child.kill('SIGKILL');
      }
    });
  }

  /** The protocol part of a line, or undefined for console text. */
  private payload(line: string): string | undefined {
    const marker = this.options.marker;
    if (marker === undefined) return line;
    const at = line.indexOf(marker);
    if (at < 0) {
      this.console = `${this.console}\n${line}`.slice(-2048);
      return undefined;
    }
    return line.slice(at + marker.length);
  }

  private parseReady(record: Record<string, unknown>, line: string): SandboxInfo {
    const { ready, pidNamespace, uid, gid, note } = record;
    if (ready !== true || typeof pidNamespace !== 'boolean' || typeof uid !== 'number' || typeof gid !== 'number' || typeof note !== 'string') {
      throw new Error(`unexpected runner greeting: ${line}`);
    }
    return { pidNamespace, uid, gid, note };
  }

  private settle(record: Record<string, unknown>): void {
    const job = this.pending.shift();
    if (!job) throw new Error(`runner answered a job nobody asked for: ${JSON.stringify(record)}`);
    if (record.id !== job.id) throw new Error(`runner answered job ${String(record.id)}, expected ${job.id}`);
    this.armWatchdog();
    if (typeof record.error === 'string') job.reject(new Error(`executor: ${record.error}`));
    else job.resolve(parseOutcome(record));
  }

  private armWatchdog(): void {
    const limit = this.options.watchdogMs;
    clearTimeout(this.watchdog);
    if (limit === undefined || this.pending.length === 0 || this.failure) return;
    this.watchdog = setTimeout(() => {
      this.fail(new RunnerFailed(`the runner answered nothing for ${limit} ms${this.console.trim() ? `; console: ${this.console.trim()}` : ''}`));
      this.child.kill('SIGKILL');
    }, limit);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    clearTimeout(this.watchdog);
    for (const job of this.pending.splice(0)) job.reject(this.failure);
  }

  /** `path` is a file to execute, or ":" and the file's bytes in base64. */
  submit(id: number, timeoutMs: number, path: string): Promise<ExecOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolvePromise, reject) => {
      this.pending.push({ id, resolve: resolvePromise, reject });
      if (this.pending.length === 1) this.armWatchdog();
      this.child.stdin!.write(`${id} ${timeoutMs} ${path}\n`);
    });
  }

  /** Ends the runner now, whatever it is doing; `reason` becomes the error of its jobs and of its start. */
  kill(reason?: string): void {
    if (reason !== undefined) this.fail(new RunnerFailed(`${reason}${this.console.trim() ? `; console: ${this.console.trim()}` : ''}`));
    this.child.kill('SIGKILL');
  }

  /** Asks the runner to finish and waits for it to exit; one that does not within `graceMs` is killed. */
  async close(graceMs: number = CLOSE_GRACE_MS): Promise<void> {
    // "bye" and EOF both end the job loop; a guest only sees the former.
    this.child.stdin?.end('bye\n');
    // The runner kills its leftovers and exits; a stuck one is killed,
    // which takes its PID namespace (and PDEATHSIG'd mutants) along.
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

// ---- the executor ----

/** The largest file runBytes() sends to the runner inline. */
const INLINE_MAX_BYTES = 1 << 20;

/** The file in workDir that runner `index` writes the bytes of runBytes() to. */
function inlineName(index: number): string {
  return `inline-${index}`;
}

/** A job timeout the runner accepts, or a RangeError. */
export function checkTimeout(timeoutMs: number): number {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new RangeError(`timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${timeoutMs}`);
  }
  return timeoutMs;
}

export async function startExecutor(options: ExecutorOptions = {}): Promise<Executor> {
  const binary = await runnerBinary();
  const uid = options.uid ?? DEFAULT_UID;
  const gid = options.gid ?? DEFAULT_GID;
  const jobs = options.jobs ?? 1;
  const defaultTimeout = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  for (const [name, value] of [['uid', uid], ['gid', gid]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xfffffffe) throw new RangeError(`${name} must be a valid id, got ${value}`);
  }

  const ownDir = options.workDir === undefined;
  const workDir = resolve(options.workDir ?? await mkdtemp(join(await scratchRoot(), 'elf-lint-exec-')));
  if (ownDir) await chmod(workDir, 0o711);
  const asRoot = currentUid() === 0;
  const runners: Runner[] = [];
  try {
    if (asRoot && uid !== 0) await checkTraversable(workDir, uid, gid);
    const args = ['-u', String(uid), '-g', String(gid), '-d', workDir, ...(options.pidNamespace === false ? ['-N'] : [])];
    // Each runner writes the files sent inline to its own name in the shared workDir. When there is
    // a CPU for each, each runs on its own (runner.c, bind_to_cpu); the first is chosen at random, so
    // that executors of other processes spread over the CPUs too.
    const firstCpu = jobs <= availableParallelism() ? randomBytes(1)[0]! : undefined;
    for (let i = 0; i < jobs; i += 1) {
      runners.push(new Runner(binary, [...args, '-m', inlineName(i), ...(firstCpu === undefined ? [] : ['-c', String(firstCpu + i)])]));
    }
    const infos = (await Promise.all(runners.map((runner) => runner.ready))).map((ready) => ready.sandbox);
    const sandbox = infos[0]!;
    return makeExecutor(runners, workDir, ownDir, defaultTimeout, {
      ...sandbox, pidNamespace: infos.every((info) => info.pidNamespace),
    });
  } catch (error) {
    await Promise.all(runners.map((runner) => runner.close()));
    if (ownDir) await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

function makeExecutor(runners: readonly Runner[], workDir: string, ownDir: boolean, defaultTimeout: number, sandbox: SandboxInfo): Executor {
  let nextId = 1;
  let nextFile = 1;
  let closed: Promise<void> | undefined;

  /** `what` is a path or ":" and the bytes in base64, as the runner's job line takes them. */
  const submit = (what: string, timeoutMs: number): Promise<ExecOutcome> => {
    if (closed) return Promise.reject(new Error('executor is closed'));
    let timeout: number;
    try {
      timeout = checkTimeout(timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    // Least-loaded runner; runners answer in order, so any pending count works.
    let target = runners[0]!;
    for (const runner of runners) if (runner.pending.length < target.pending.length) target = runner;
    const id = nextId;
    nextId += 1;
    return target.submit(id, timeout, what);
  };

  const run = (path: string, timeoutMs: number = defaultTimeout): Promise<ExecOutcome> => {
    const absolute = resolve(path);
    if (/[\n\0]/.test(absolute)) return Promise.reject(new Error(`cannot execute a path containing a newline or NUL: ${JSON.stringify(absolute)}`));
    return submit(absolute, timeoutMs);
  };

  const runBytes = async (bytes: Uint8Array, options: { readonly timeoutMs?: number; readonly mode?: number } = {}): Promise<ExecOutcome> => {
    // In the common case the runner writes the file itself: no file to write, chmod and unlink
    // here, and no descriptor of ours open for writing while another fork may inherit it. A large
    // file goes through a file of ours: in base64 on one line, it would cost more than it saves.
    if ((options.mode ?? 0o755) === 0o755 && bytes.byteLength <= INLINE_MAX_BYTES) return submit(`:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`, options.timeoutMs ?? defaultTimeout);
    const file = join(workDir, `mutant-${process.pid}-${nextFile}`);
    nextFile += 1;
    await writeFile(file, bytes);
    try {
      await chmod(file, options.mode ?? 0o755); // explicit: writeFile's mode is filtered by the umask
      let outcome = await run(file, options.timeoutMs);
      // Another fork in this process may briefly hold our write descriptor.
      for (let retry = 0; outcome.verdict === 'exec-error' && outcome.errno === 'ETXTBSY' && retry < ETXTBSY_RETRIES; retry += 1) {
        outcome = await run(file, options.timeoutMs);
      }
      return outcome;
    } finally {
      await unlink(file).catch(() => {});
    }
  };

  const close = (): Promise<void> => {
    closed ??= (async () => {
      await Promise.all(runners.map((runner) => runner.close()));
      if (ownDir) await rm(workDir, { recursive: true, force: true });
      else await Promise.all(runners.map((_, index) => rm(join(workDir, inlineName(index)), { force: true })));
    })();
    return closed;
  };

  return { workDir, sandbox, run, runBytes, close };
}
