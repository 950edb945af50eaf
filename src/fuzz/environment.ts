// The facts of the machine the mutants really run on, so that predictions
// for executed mutants use the environment they ran in.
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ELFCLASS32, EM_386, EM_X86_64, PF_R, PF_X } from '../model/constants.js';
import { buildElf } from '../gen/build.js';
import type { ElfFile } from '../model/elf.js';
import { chooseHandler } from '../loader/predict.js';
import type { Executor } from './executor.js';
import * as i386 from '../gen/arch/i386.js';
import { movImm32, Reg, syscall, SYS_EXIT } from '../gen/x86-64.js';
import type { LoaderAssumptions, Overcommit } from '../model/assumptions.js';
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions.js';
import type { InterpreterStatus } from '../loader/predict.js';

/** RLIMIT_AS the runner gives every mutant (runner.c). */
export const RUNNER_ADDRESS_SPACE = 512n * 1024n * 1024n;

/** The architecture profile of this machine, when it has one. */
export function hostMachine(): string | undefined {
  return process.platform === 'linux' && process.arch === 'x64' ? 'x86_64' : undefined;
}

function readMmapMinAddr(): bigint | undefined {
  try {
    return BigInt(readFileSync('/proc/sys/vm/mmap_min_addr', 'utf8').trim());
  } catch {
    return undefined;
  }
}

/** RAM plus swap and the overcommit mode, as __vm_enough_memory sees them. */
function memoryFacts(): { memory?: bigint; overcommit?: Overcommit } {
  try {
    const meminfo = readFileSync('/proc/meminfo', 'utf8');
    const kib = (name: string) => BigInt(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? '0') * 1024n;
    const mode = readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim();
    const overcommit = mode === '1' ? 'always' : mode === '2' ? 'never' : 'guess';
    return { memory: kib('MemTotal') + kib('SwapTotal'), overcommit };
  } catch {
    return {};
  }
}

function mmapMinAddr(): { mmapMinAddr?: bigint } {
  const value = readMmapMinAddr();
  return value === undefined ? {} : { mmapMinAddr: value };
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
  if (hostMachine() === undefined) return false;
  const choice = chooseHandler(seed, hostAssumptions(false));
  return choice !== undefined && choice.accepted && choice.enabled && !choice.outcome?.because.includes('machine-mismatch');
}

/** Assumptions for mutants executed here, as the unprivileged runner user. */
export function hostAssumptions(privileged: boolean): LoaderAssumptions {
  const machine = hostMachine();
  return {
    ...DEFAULT_ASSUMPTIONS,
    disabledLoaders: machine === undefined ? [] : hostDisabledLoaders(),
    ...mmapMinAddr(),
    ...memoryFacts(),
    privileged,
    addressSpaceLimit: RUNNER_ADDRESS_SPACE,
    ...(machine !== undefined ? { machine } : {}),
  };
}

/** x32 system calls are the x86-64 numbers with this bit set (__X32_SYSCALL_BIT). */
const X32_SYSCALL_BIT = 0x40000000;

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
    // An empty path resolves to the working directory, which cannot be executed (Linux 6.18: EACCES).
    if (path === '') return { ok: false, errno: 'EACCES', reason: 'the interpreter path is empty, which names the working directory' };
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
