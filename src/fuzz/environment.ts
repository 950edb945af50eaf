// The facts of the machine the mutants really run on, so that predictions
// for executed mutants use the environment they ran in.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { release, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ELFCLASS32, EM_386, EM_X86_64, PF_R, PF_X } from '../model/constants.js';
import { buildElf } from '../gen/build.js';
import type { ElfFile } from '../model/elf.js';
import { chooseHandler } from '../loader/predict.js';
import { archByName } from '../model/arch/index.js';
import type { Executor } from './executor.js';
import * as i386 from '../gen/arch/i386.js';
import { movImm32, Reg, syscall, SYS_EXIT } from '../gen/x86-64.js';
import type { KernelVersion, LoaderAssumptions, Overcommit } from '../model/assumptions.js';
import { DEFAULT_ASSUMPTIONS, parseKernelVersion } from '../model/assumptions.js';
import type { InterpreterStatus } from '../loader/predict.js';

/** RLIMIT_AS the runner gives every mutant (runner.c). */
export const RUNNER_ADDRESS_SPACE = 512n * 1024n * 1024n;

/** The architecture profile of this machine, when it has one. */
export function hostMachine(): string | undefined {
  return process.platform === 'linux' && process.arch === 'x64' ? 'x86_64' : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The /proc files a target's facts are read from, here or in a guest (runner.c sends the same list). */
export const FACT_FILES = { mmapMinAddr: '/proc/sys/vm/mmap_min_addr', overcommit: '/proc/sys/vm/overcommit_memory', meminfo: '/proc/meminfo' } as const;

/** What a target's /proc says about the loader's environment. */
export interface SystemFacts {
  readonly mmapMinAddr?: bigint;
  /** RAM plus swap, as __vm_enough_memory sees them. */
  readonly memory?: bigint;
  readonly overcommit?: Overcommit;
  readonly kernel?: KernelVersion;
  readonly pageSize?: bigint;
}

/** The facts in the texts of FACT_FILES (a missing or unreadable file is left out) and a kernel release. */
export function factsFrom(files: { readonly [path: string]: string | undefined }, release: string | undefined): SystemFacts {
  const mmap = files[FACT_FILES.mmapMinAddr]?.trim();
  const meminfo = files[FACT_FILES.meminfo];
  const mode = files[FACT_FILES.overcommit]?.trim();
  const kib = (text: string, name: string) => BigInt(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? '0') * 1024n;
  const kernel = release === undefined ? undefined : parseKernelVersion(release);
  return {
    ...(mmap !== undefined && /^\d+$/.test(mmap) ? { mmapMinAddr: BigInt(mmap) } : {}),
    ...(meminfo !== undefined && mode !== undefined ? {
      memory: kib(meminfo, 'MemTotal') + kib(meminfo, 'SwapTotal'),
      overcommit: mode === '1' ? 'always' : mode === '2' ? 'never' : 'guess',
    } : {}),
    ...(kernel !== undefined ? { kernel } : {}),
  };
}

function hostFacts(): SystemFacts {
  const files = Object.fromEntries(Object.values(FACT_FILES).map((path) => [path, readText(path)]));
  return factsFrom(files, process.platform === 'linux' ? release() : undefined);
}

/** The status the probe programs exit with: only a kernel that ran them gives it. */
const PROBE_STATUS = 42;

/**
 * A program that exits with PROBE_STATUS, for each compat loader this probe
 * knows: the host kernel either runs it or refuses it with ENOEXEC (IA32
 * emulation off at run time, or a kernel built without CONFIG_X86_X32_ABI).
 */
export function probePrograms(): ReadonlyMap<string, Uint8Array> {
  const program = (elfClass: number, e_machine: number, code: number[]) => buildElf({
    ident: { class: elfClass }, header: { e_machine },
    segments: [{ p_flags: PF_R | PF_X, p_vaddr: 0x400000n, withHeaders: true, data: Uint8Array.from(code) }],
  });
  return new Map([
    ['ia32', program(ELFCLASS32, EM_386, [...i386.movImm32(i386.Reg32.eax, i386.SYS_EXIT), ...i386.movImm32(i386.Reg32.ebx, PROBE_STATUS), ...i386.intImm8(0x80)])],
    ['x32', program(ELFCLASS32, EM_X86_64, [...movImm32(Reg.rax, X32_SYSCALL_BIT | SYS_EXIT), ...movImm32(Reg.rdi, PROBE_STATUS), ...syscall()])],
  ]);
}

let disabledOnHost: readonly string[] | undefined;

/** The compat loaders of the host's profile that this kernel refuses, found by executing a tiny program for each. */
export function hostDisabledLoaders(): readonly string[] {
  if (disabledOnHost) return disabledOnHost;
  const directory = mkdtempSync(join(tmpdir(), 'elf-lint-probe-'));
  try {
    disabledOnHost = [...probePrograms()].filter(([name, bytes]) => {
      const path = join(directory, name);
      writeFileSync(path, bytes, { mode: 0o755 });
      // execvp hands a file the kernel refuses to /bin/sh as a script: only the status tells them apart.
      return spawnSync(path, [], { stdio: 'ignore', cwd: directory }).status !== PROBE_STATUS;
    }).map(([name]) => name);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return disabledOnHost;
}

/**
 * Whether `cpuid` faults for processes the runner traces (CPUID faulting, which some
 * hypervisors and kernels turn on): a program whose first instruction is cpuid either
 * completes it or dies of SIGSEGV.
 */
export async function probeCpuidFaults(executor: Pick<Executor, 'runBytes'>): Promise<boolean> {
  const code = [0x0f, 0xa2, ...movImm32(Reg.rax, SYS_EXIT), ...movImm32(Reg.rdi, 0), ...syscall()];
  const bytes = buildElf({ segments: [{ p_flags: PF_R | PF_X, p_vaddr: 0x400000n, withHeaders: true, data: Uint8Array.from(code) }] });
  const outcome = await executor.runBytes(bytes);
  return outcome.verdict === 'start-fault';
}

/** Whether this host's kernel has a loader that takes the seed (x86-64 and, when enabled, ia32 and x32 seeds). */
export function hostRuns(seed: ElfFile): boolean {
  return hostMachine() !== undefined && runsOn(seed, hostAssumptions(false));
}

/** Whether a kernel with these assumptions has an enabled loader that takes the seed. */
export function runsOn(seed: ElfFile, assumptions: LoaderAssumptions): boolean {
  const choice = chooseHandler(seed, assumptions);
  return choice !== undefined && choice.accepted && choice.enabled && !choice.outcome?.because.includes('machine-mismatch');
}

/** Assumptions for mutants executed here, as the unprivileged runner user. */
export function hostAssumptions(privileged: boolean): LoaderAssumptions {
  const machine = hostMachine();
  return executionAssumptions({ machine, disabledLoaders: machine === undefined ? [] : hostDisabledLoaders(), facts: hostFacts(), privileged });
}

/** The assumptions of mutants executed by runner.c on a target (this host, or a guest kernel) with these facts. */
export function executionAssumptions(target: {
  readonly machine: string | undefined; readonly disabledLoaders: readonly string[]; readonly facts: SystemFacts; readonly privileged: boolean;
}): LoaderAssumptions {
  return {
    ...DEFAULT_ASSUMPTIONS,
    disabledLoaders: target.disabledLoaders,
    ...target.facts,
    privileged: target.privileged,
    addressSpaceLimit: RUNNER_ADDRESS_SPACE,
    ...(target.machine !== undefined ? { machine: target.machine } : {}),
  };
}

/** The loaders of `machine`'s profile with a probe program that the target refuses, found by running each through its executor. */
export async function disabledLoadersVia(executor: Pick<Executor, 'runBytes'>, machine: string): Promise<string[]> {
  const loaders = new Set(archByName(machine)?.loaders.map((loader) => loader.name));
  const disabled: string[] = [];
  for (const [name, bytes] of probePrograms()) {
    if (!loaders.has(name)) continue;
    const outcome = await executor.runBytes(bytes);
    if (outcome.verdict !== 'runs' || outcome.exitCode !== PROBE_STATUS) disabled.push(name);
  }
  return disabled;
}

/** x32 system calls are the x86-64 numbers with this bit set (__X32_SYSCALL_BIT). */
const X32_SYSCALL_BIT = 0x40000000;

const NAME_MAX = 255;
const PATH_MAX = 4096;
const S_IXOTH = 0o001;

/** What the interpreter oracle needs to know of a target's files. */
export interface FileLookup {
  /** The file's type and permission bits, or the errno of stat(). */
  stat(path: string): { readonly isFile: boolean; readonly mode: number } | { readonly errno: string };
  /** Up to `length` bytes from the start of a file stat() found. */
  head(path: string, length: number): Uint8Array;
}

/** This machine's files. */
export const HOST_FILES: FileLookup = {
  stat(path) {
    try {
      const stats = statSync(path);
      return { isFile: stats.isFile(), mode: stats.mode };
    } catch (error) {
      return { errno: (error as NodeJS.ErrnoException).code ?? 'ENOENT' };
    }
  },
  head(path, length) {
    const head = new Uint8Array(length);
    const fd = openSync(path, 'r');
    try {
      return head.subarray(0, readSync(fd, head, 0, length, 0));
    } finally {
      closeSync(fd);
    }
  },
};

/**
 * What opening a PT_INTERP path gives for a process running in `cwd` as an
 * unprivileged user (open_exec: a regular file with execute permission),
 * then the interpreter's own first checks (64 bytes, ELF magic).
 */
export function interpreterOracle(cwd: string, files: FileLookup = HOST_FILES): (path: string) => InterpreterStatus {
  return (path) => {
    // An empty path resolves to the working directory, which cannot be executed (Linux 6.18: EACCES).
    if (path === '') return { ok: false, errno: 'EACCES', reason: 'the interpreter path is empty, which names the working directory' };
    if (path.length >= PATH_MAX || path.split('/').some((part) => Buffer.byteLength(part, 'latin1') > NAME_MAX)) {
      return { ok: false, errno: 'ENAMETOOLONG', reason: 'the interpreter path is too long' };
    }
    const full = isAbsolute(path) ? path : join(cwd, path);
    const stats = files.stat(full);
    if ('errno' in stats) return { ok: false, errno: stats.errno, reason: `the interpreter ${JSON.stringify(path)} cannot be opened (${stats.errno})` };
    if (!stats.isFile || (stats.mode & S_IXOTH) === 0) return { ok: false, errno: 'EACCES', reason: `the interpreter ${JSON.stringify(path)} is not an executable file` };
    const head = files.head(full, 64);
    if (head.length < 64) return { ok: false, errno: 'EIO', reason: 'the interpreter is shorter than an ELF header' };
    if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return { ok: false, errno: 'ELIBBAD', reason: 'the interpreter is not an ELF file' };
    return { ok: true };
  };
}
