// A guest kernel as an executor: Debian's kernel booted under qemu-system
// (TCG) with an initramfs whose /init is runner.c, built statically for the
// guest. runner.c serves its usual protocol on the serial console (see its
// "Guest mode"); mutants travel inline, base64 on the job line. The guest is
// booted once per executor and booted again when it dies or hangs.
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import {
  checkTimeout, ExecutorUnavailable, Runner, RunnerFailed, runnerBinary, scratchRoot, type ExecOutcome, type Executor, type RunnerReady, type SandboxInfo,
} from '../executor.js';
import { disabledLoadersVia, executionAssumptions, factsFrom, interpreterOracle, probeCpuidFaults, type FileLookup, type SystemFacts } from '../environment.js';
import type { LoaderAssumptions } from '../../model/assumptions.js';
import { fetchKernel, kernelCacheDirectory, type KernelImage, type Log } from './fetch.js';
import { GUEST_TREE, guestInitramfs } from './initramfs.js';
import type { GuestArch, KernelSpec } from './spec.js';

/** runner.c's GUEST_MARK. */
const GUEST_MARK = '@elf-lint@ ';
const DEFAULT_TIMEOUT_MS = 1000;
/** TCG on a busy machine: a boot takes seconds, so allow for a slow one. */
const BOOT_TIMEOUT_MS = 180_000;
/** No answer for this long past the default job timeout means the guest is hung. */
const HANG_SLACK_MS = 60_000;
const MAX_RESTARTS = 3;
const GUEST_MEMORY_MIB = 512;
/** Where the mutants run in the guest (runner.c's workdir there). */
const GUEST_WORKDIR = '/tmp';

/** What the guest said about itself when it booted. */
export interface GuestInfo {
  readonly release: string;
  readonly machine: string;
  readonly pageSize: bigint;
  readonly facts: SystemFacts;
  /** From starting qemu to the runner's greeting. */
  readonly bootMs: number;
}

export interface GuestExecutor extends Executor {
  readonly kernel: KernelImage;
  readonly arch: GuestArch;
  /** The kernel command line words the spec added (`no4lvl`, `syscall.x32=y`). */
  readonly kernelArgs: readonly string[];
  readonly guest: GuestInfo;
  /** How often the guest was booted again after dying or hanging. */
  restarts(): number;
}

export interface GuestOptions {
  readonly spec: KernelSpec;
  /** Progress lines (fetching, booting). */
  readonly log: Log;
  /** Default wall-clock timeout per run in milliseconds (default 1000). */
  readonly timeoutMs?: number;
  /** Kernel cache (default: kernelCacheDirectory()). */
  readonly cache?: string;
}

/** Whether `command` is an executable file in a directory of PATH. */
export function onPath(command: string, path: string = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).filter(Boolean).some((dir) => {
    try {
      accessSync(join(dir, command), fsConstants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export function qemuArguments(arch: GuestArch, vmlinuz: string, initrd: string, kernelArgs: readonly string[] = []): string[] {
  return [
    '-accel', 'tcg', ...arch.machineArgs, '-m', String(GUEST_MEMORY_MIB), '-smp', '1',
    '-nodefaults', '-no-reboot', '-display', 'none', '-monitor', 'none',
    // The console on our stdio; signal=off: a byte of ours must never stop qemu.
    '-chardev', 'stdio,id=console,signal=off', '-serial', 'chardev:console',
    '-kernel', vmlinuz, '-initrd', initrd,
    // Quiet, so that kernel messages rarely share the console with the runner; a panic powers off.
    '-append', [`console=${arch.console}`, 'quiet', 'loglevel=0', 'panic=-1', ...kernelArgs].join(' '),
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The guest part of runner.c's greeting. */
export function parseGreeting(record: Readonly<Record<string, unknown>>, bootMs: number): GuestInfo | { readonly error: string } {
  const guest = record.guest;
  if (!isRecord(guest)) return { error: 'the runner in the guest did not describe the guest (is /init an older runner?)' };
  const { release, machine, pageSize, files } = guest;
  if (typeof release !== 'string' || typeof machine !== 'string' || typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize <= 0 || !isRecord(files)) {
    return { error: `malformed guest description: ${JSON.stringify(guest).slice(0, 200)}` };
  }
  const texts: Record<string, string | undefined> = {};
  for (const [path, text] of Object.entries(files)) texts[path] = typeof text === 'string' ? text : undefined;
  return { release, machine, pageSize: BigInt(pageSize), facts: { ...factsFrom(texts, release), pageSize: BigInt(pageSize) }, bootMs };
}

/**
 * The guest's files as the interpreter oracle sees them: what the initramfs holds (/init is
 * the runner), before anything but the mutant is written. The mutant itself, /tmp/mutant, and
 * what devtmpfs and procfs add are not known, so a PT_INTERP naming them is mispredicted.
 */
function guestFiles(runner: Uint8Array): FileLookup {
  return {
    stat(path) {
      const normal = path.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      const kind = GUEST_TREE.get(normal);
      if (kind === undefined) return { errno: 'ENOENT' };
      return { isFile: kind === 'file', mode: kind === 'directory' ? 0o755 : kind === 'file' ? 0o755 : 0o600 };
    },
    head(_path, length) {
      return runner.subarray(0, length);
    },
  };
}

export async function startGuest(options: GuestOptions): Promise<GuestExecutor> {
  const { spec, log } = options;
  const { arch } = spec;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!onPath(arch.qemu)) throw new ExecutorUnavailable(`${arch.qemu} is not installed (Debian: apt-get install ${arch.qemuPackage})`);
  if (!onPath('apt-get') || !onPath('dpkg-deb')) throw new ExecutorUnavailable('guest kernels come from Debian packages: apt-get and dpkg-deb are needed');
  const kernel = await fetchKernel(spec, options.cache ?? kernelCacheDirectory(), log);
  if ('error' in kernel) throw new ExecutorUnavailable(kernel.error);
  const runnerPath = await runnerBinary(arch.build).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExecutorUnavailable(`cannot build the guest runner (Debian: apt-get install ${arch.buildPackages.join(' ')}): ${message}`);
  });
  const runner = new Uint8Array(await readFile(runnerPath));
  const workDir = await mkdtemp(join(await scratchRoot(), 'elf-lint-guest-'));
  const initrd = join(workDir, 'initramfs.cpio');
  try {
    await writeFile(initrd, guestInitramfs(runner));
    const args = qemuArguments(arch, kernel.vmlinuz, initrd, spec.kernelArgs);
    const first = await boot(arch, args, log, kernel, defaultTimeout);
    return guestExecutor({ arch, kernel, kernelArgs: spec.kernelArgs, args, workDir, runner, defaultTimeout, log, first });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

interface Booted {
  readonly runner: Runner;
  readonly ready: RunnerReady;
  readonly info: GuestInfo;
}

async function boot(arch: GuestArch, args: readonly string[], log: Log, kernel: KernelImage, timeoutMs: number): Promise<Booted> {
  log(`booting ${kernel.package} (${kernel.version}) under ${arch.qemu}`);
  const started = performance.now();
  // qemu does not stop when our end of its console closes: where util-linux's setpriv is, the
  // kernel kills it when we die, however we die.
  const options = { marker: GUEST_MARK, watchdogMs: timeoutMs + HANG_SLACK_MS };
  const runner = onPath('setpriv')
    ? new Runner('setpriv', ['--pdeathsig', 'KILL', '--', arch.qemu, ...args], options)
    : new Runner(arch.qemu, args, options);
  const timer = setTimeout(() => runner.kill(`the guest did not finish booting within ${BOOT_TIMEOUT_MS / 1000} s`), BOOT_TIMEOUT_MS);
  let ready: RunnerReady;
  try {
    ready = await runner.ready;
  } catch (error) {
    runner.kill();
    throw new ExecutorUnavailable(`the ${arch.debian} guest did not start: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
  const info = parseGreeting(ready.record, Math.round(performance.now() - started));
  if ('error' in info || info.machine !== arch.unameMachine) {
    await runner.close();
    throw new ExecutorUnavailable('error' in info ? info.error : `the guest is a ${info.machine} machine, not ${arch.unameMachine}`);
  }
  return { runner, ready, info };
}

function guestExecutor(setup: {
  readonly arch: GuestArch; readonly kernel: KernelImage; readonly kernelArgs: readonly string[]; readonly args: readonly string[]; readonly workDir: string;
  readonly runner: Uint8Array; readonly defaultTimeout: number; readonly log: Log; readonly first: Booted;
}): GuestExecutor {
  const { arch, kernel, args, workDir, defaultTimeout, log, first } = setup;
  let current = first.runner;
  let nextId = 1;
  let restarts = 0;
  let closed: Promise<void> | undefined;
  const replacements = new Map<Runner, Promise<void>>();

  /** One new guest for all the jobs that failed with `failed`. */
  const replace = (failed: Runner, why: string): Promise<void> => {
    let pending = replacements.get(failed);
    if (!pending) {
      restarts += 1;
      log(`the guest failed (${why}); booting it again (${restarts} of ${MAX_RESTARTS})`);
      failed.kill();
      pending = boot(arch, args, log, kernel, defaultTimeout).then((booted) => {
        current = booted.runner;
        // Closed meanwhile: nobody will use it.
        if (closed) booted.runner.kill();
      });
      replacements.set(failed, pending);
    }
    return pending;
  };

  const submit = async (inline: string, timeoutMs: number): Promise<ExecOutcome> => {
    for (;;) {
      if (closed) throw new Error('executor is closed');
      const runner = current;
      const id = nextId;
      nextId += 1;
      try {
        return await runner.submit(id, timeoutMs, inline);
      } catch (error) {
        if (!(error instanceof RunnerFailed) || closed || (restarts >= MAX_RESTARTS && !replacements.has(runner))) throw error;
        await replace(runner, error.message.slice(0, 300));
      }
    }
  };

  const runBytes = async (bytes: Uint8Array, options: { readonly timeoutMs?: number; readonly mode?: number } = {}): Promise<ExecOutcome> => {
    // The guest writes every mutant with mode 0755.
    if (options.mode !== undefined && options.mode !== 0o755) throw new RangeError('a guest runs files with mode 0755 only');
    const timeoutMs = options.timeoutMs ?? defaultTimeout;
    checkTimeout(timeoutMs);
    return submit(`:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`, timeoutMs);
  };

  const sandbox: SandboxInfo = first.ready.sandbox;
  return {
    workDir, sandbox, arch, kernel, kernelArgs: setup.kernelArgs, guest: first.info,
    interpreter: interpreterOracle(GUEST_WORKDIR, guestFiles(setup.runner)),
    restarts: () => restarts,
    run: async (path, timeoutMs = defaultTimeout) => runBytes(new Uint8Array(await readFile(path)), { timeoutMs }),
    runBytes,
    close: () => {
      closed ??= (async () => {
        await Promise.all([...replacements.values()].map((pending) => pending.catch(() => {})));
        // A poweroff under TCG takes a moment; a guest that does not stop is killed.
        await current.close(30_000);
        await rm(workDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/**
 * What mutants executed in the guest are predicted with: the facts it reported at boot, the
 * compat loaders the probe programs found enabled there, and (x86-64) whether cpuid faults.
 */
export async function guestAssumptions(guest: GuestExecutor): Promise<LoaderAssumptions> {
  const privileged = false; // runner.c drops to an unprivileged uid in the guest too
  const base = executionAssumptions({ machine: guest.arch.profile, disabledLoaders: await disabledLoadersVia(guest, guest.arch.profile), facts: guest.guest.facts, privileged });
  return guest.arch.profile === 'x86_64' ? { ...base, cpuidFaults: await probeCpuidFaults(guest) } : base;
}

/** Whether a guest of this architecture can be started here at all, or why not (for tests and --help). */
export function guestUnavailable(arch: GuestArch): string | undefined {
  if (process.platform !== 'linux') return `guests need Linux (this is ${process.platform})`;
  if (!onPath(arch.qemu)) return `${arch.qemu} is not installed (Debian: apt-get install ${arch.qemuPackage})`;
  if (!onPath('apt-get') || !onPath('dpkg-deb')) return 'apt-get and dpkg-deb are not installed';
  if (!onPath(arch.build.compiler) || (arch.buildNeeds !== undefined && !existsSync(arch.buildNeeds))) {
    return `the guest runner cannot be built (Debian: apt-get install ${arch.buildPackages.join(' ')})`;
  }
  return undefined;
}
