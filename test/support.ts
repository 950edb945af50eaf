// Shared helpers for the tests: build a file from a spec, lint it, and look
// at the rule ids that fired; start processes and kill them, whatever happens.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { parseElf } from '../src/parse/parse.js';
import { lintParsed, type LintOptions } from '../src/rules/engine.js';
import type { ElfFile } from '../src/model/elf.js';
import type { Finding } from '../src/model/finding.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from '../src/gen/templates.js';

export const HELLO: ElfSpec = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'));

export function lintBytes(bytes: Uint8Array, options?: LintOptions): Finding[] {
  return lintParsed(parseElf(bytes), options);
}

export function lintSpec(spec: ElfSpec, options?: LintOptions): Finding[] {
  return lintBytes(buildElf(spec), options);
}

export function ruleIds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

export function parseSpec(spec: ElfSpec): ElfFile {
  const file = parseElf(buildElf(spec));
  if (file.kind !== 'elf') throw new Error('spec did not build an ELF file');
  return file;
}

/** hello with some header fields pinned. */
export function helloWithHeader(header: NonNullable<ElfSpec['header']>): ElfSpec {
  return { ...HELLO, header: { ...HELLO.header, e_entry: 0x400078n, ...header } };
}

/** hello with its only segment changed (entry kept at the code). */
export function helloWithSegment(fields: NonNullable<ElfSpec['segments']>[number]): ElfSpec {
  return { ...HELLO, header: { ...HELLO.header, e_entry: 0x400078n }, segments: [{ ...HELLO.segments![0]!, ...fields }] };
}

// ---- processes the tests start ----
//
// Every process a test starts goes through spawnTracked: it runs in its own process group
// (like a shell job; the fuzz CLI's runners make their own groups and sessions), carries a
// marker in its environment that its descendants inherit (the runners keep it; mutants get an
// empty environment and die with their runner), and is killed, group, descendants and all, by
// killTracked (afterEach), whatever the test's outcome. Where setpriv(1) exists it also gets
// PR_SET_PDEATHSIG=SIGKILL, so that it dies with the test worker if the worker itself dies.
// Nothing here waits for a fixed time: tests wait for events (an exit, a line on stderr) or
// poll a condition until it holds.

const MARK = 'ELF_LINT_TEST_MARK';
/** This module instance (one per test file and worker): the prefix of every marker it hands out. */
const RUN = `${process.pid}.${randomBytes(4).toString('hex')}`;
let spawnedCount = 0;
const live = new Set<Spawned>();

export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

let pdeathsig: boolean | undefined;
function withPdeathsig(): boolean {
  pdeathsig ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return pdeathsig;
}

/** The pids of live processes whose /proc/PID/`file` satisfies `test` (never this process). */
export function processesWhere(file: 'environ' | 'cmdline', test: (content: Buffer) => boolean): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (test(readFileSync(`/proc/${entry}/${file}`))) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Processes whose /proc/PID/`file` contains `text`. A zombie has neither an environment nor a command line. */
export function processesWith(file: 'environ' | 'cmdline', text: string): number[] {
  return processesWhere(file, (content) => content.includes(text));
}

/** Processes that carry `marker` (a Spawned's marker: the process and the descendants that kept its environment). */
export function processesMarked(marker: string): number[] {
  return processesWith('environ', `${marker}\0`);
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Polls `condition` until it holds (backing off from 5 to 100 ms between polls). `limitMs` only
 * turns a condition that never comes true into a clear failure; nothing waits for it to pass.
 */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const started = performance.now();
  for (let delay = 5; !condition(); delay = Math.min(delay * 2, 100)) {
    if (performance.now() - started > limitMs) throw new Error(`still waiting after ${limitMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Finished extends Exit {
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface SpawnOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Written to stdin, which is then closed (stdin is an empty pipe otherwise, as with spawnSync). */
  readonly input?: string | Uint8Array;
}

export class Spawned {
  readonly child: ChildProcess;
  /** `NAME=VALUE` in the environment of the process and of the descendants that keep it. */
  readonly marker: string;
  /** The process has exited (its output may still be draining). */
  readonly exited: Promise<Exit>;
  /** The process has exited and its stdout and stderr are closed. */
  readonly closed: Promise<Exit>;
  private readonly out: Buffer[] = [];
  private err = '';
  private done: Exit | undefined;

  constructor(command: string, args: readonly string[], options: SpawnOptions = {}) {
    spawnedCount += 1;
    const value = `${RUN}.${spawnedCount}`;
    this.marker = `${MARK}=${value}`;
    const [file, argv] = withPdeathsig() ? ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
    // detached: a new session and process group, which kill() signals as a whole.
    this.child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...options.env, [MARK]: value } });
    live.add(this);
    this.child.stdout!.on('data', (chunk: Buffer) => this.out.push(chunk));
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => { this.err += text; });
    this.child.stdin!.on('error', () => {}); // a child that exits without reading its input
    this.child.stdin!.end(options.input === undefined ? undefined : Buffer.from(options.input));
    const failed = new Promise<Exit>((resolve) => this.child.once('error', (error) => {
      this.err += `spawn ${command} failed: ${error.message}\n`;
      resolve({ code: null, signal: null });
    }));
    this.exited = Promise.race([failed, new Promise<Exit>((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })))]);
    this.closed = Promise.race([failed, new Promise<Exit>((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })))])
      .then((exit) => { this.done = exit; return exit; });
  }

  /** What it has written to stderr so far. */
  get stderr(): string {
    return this.err;
  }

  /** Its exit status and everything it wrote, once it has exited and closed its output. */
  async result(): Promise<Finished> {
    const exit = await this.closed;
    const bytes = Buffer.concat(this.out);
    return { ...exit, stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: this.err };
  }

  /** Whether `pattern` (without the g or y flag) shows up on stderr before the process closes its output. */
  sawStderr(pattern: RegExp): Promise<boolean> {
    if (pattern.test(this.err)) return Promise.resolve(true);
    if (this.done) return Promise.resolve(false);
    return new Promise((resolve) => {
      const stream = this.child.stderr!;
      const onData = () => {
        if (!pattern.test(this.err)) return;
        stream.off('data', onData);
        resolve(true);
      };
      stream.on('data', onData); // after the listener that appends to this.err
      void this.closed.then(() => {
        stream.off('data', onData);
        resolve(pattern.test(this.err));
      });
    });
  }

  /** Waits for `pattern` on stderr and returns its match; fails if the process ends without printing it. */
  async expectStderr(pattern: RegExp): Promise<RegExpExecArray> {
    if (!(await this.sawStderr(pattern))) {
      const exit = await this.closed;
      throw new Error(`the process ended (${exit.signal ?? `exit ${exit.code}`}) without printing ${pattern} on stderr; its stderr:\n${this.err}`);
    }
    return pattern.exec(this.err)!;
  }

  /** Sends `signal` to its process group, as a terminal does to its foreground job. */
  signalGroup(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined) send(-this.child.pid, signal);
  }

  /** SIGKILLs its process group and every process that carries its marker; waits until they are gone. */
  async kill(): Promise<void> {
    live.delete(this);
    await killAll([this], `${this.marker}\0`);
  }

  /** SIGKILLs its process group, while Node has not reaped it (afterwards the number may belong to someone else). */
  killGroup(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    send(-this.child.pid, 'SIGKILL');
    send(this.child.pid, 'SIGKILL');
  }
}

/**
 * Kills `spawned` and every process whose environment holds `marker` (one marker and its NUL, or
 * the prefix of all of this module's): what is left of their groups, and the runners, which lead
 * groups of their own (killing one takes its mutants along). Twice: at once, and again once the
 * direct children have exited (for descendants started meanwhile); then waits until none is left.
 * The bound only turns a process that never dies into a clear failure.
 */
async function killAll(spawned: readonly Spawned[], marker: string): Promise<void> {
  const round = () => {
    for (const one of spawned) one.killGroup();
    for (const pid of processesWith('environ', marker)) {
      send(-pid, 'SIGKILL');
      send(pid, 'SIGKILL');
    }
  };
  round();
  await Promise.all(spawned.map((one) => one.exited));
  round();
  await waitUntil(() => processesWith('environ', marker).length === 0, `the processes marked ${marker} to end after SIGKILL`, 30_000);
}

/** Starts `command` as a tracked process (see above); killTracked() ends it. */
export function spawnTracked(command: string, args: readonly string[], options?: SpawnOptions): Spawned {
  return new Spawned(command, args, options);
}

/** Starts the built CLI (dist/, made by `npm run build`, which `npm test` runs first). */
export function spawnCli(args: readonly string[], options?: SpawnOptions): Spawned {
  return spawnTracked(process.execPath, [CLI, ...args], options);
}

/** Runs the built CLI to its end. */
export function runCli(args: readonly string[], options?: SpawnOptions): Promise<Finished> {
  return spawnCli(args, options).result();
}

/** Kills every process this file started, and their descendants, that are still around: for afterEach. */
export async function killTracked(): Promise<void> {
  const spawned = [...live];
  live.clear();
  // Every marker this module hands out starts with this: one scan of /proc finds them all.
  await killAll(spawned, `${MARK}=${RUN}.`);
}

// A worker that ends with tracked processes still running (a failure outside any test) kills them on its way out.
process.once('exit', () => {
  for (const spawned of live) spawned.killGroup();
  for (const pid of processesWith('environ', `${MARK}=${RUN}.`)) {
    send(-pid, 'SIGKILL');
    send(pid, 'SIGKILL');
  }
});
