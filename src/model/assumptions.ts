// The facts about the target system that loader-facing checks depend on.
// They are explicit so that a prediction can be made for another machine;
// whatever is not given comes from the target's architecture profile.
import type { ArchProfile, LoaderProfile } from './arch/profile.js';
import type { ClassLayout } from './layout.js';

export interface LoaderAssumptions {
  /** Name of the architecture profile of the system that runs the file; undefined means the file's own. */
  readonly machine?: string;
  /** Page size of the target; default: the profile's first page size. */
  readonly pageSize?: bigint;
  /** vm.mmap_min_addr: the lowest address an unprivileged process may map; default: the profile's. */
  readonly mmapMinAddr?: bigint;
  /** True when the process has CAP_SYS_RAWIO and may map below mmapMinAddr. */
  readonly privileged: boolean;
  /** Loaders of the profile the target kernel lacks (`ia32` when IA32 emulation is off, `x32` without CONFIG_X86_X32_ABI). */
  readonly disabledLoaders?: readonly string[];
  /** RLIMIT_AS of the process, when limited: mappings past it fail with ENOMEM. */
  readonly addressSpaceLimit?: bigint;
  /** CPUID faulting is on for the process, so `cpuid` raises SIGSEGV (default: off). */
  readonly cpuidFaults?: boolean;
  /** RAM plus swap of the target, in bytes (MemTotal + SwapTotal); default: unknown, within MEMORY_BAND. */
  readonly memory?: bigint;
  /** vm.overcommit_memory: `guess` (0, the default), `always` (1) or `never` (2). */
  readonly overcommit?: Overcommit;
  /** Version of the target kernel; default: the newest behaviour the model knows (Linux 6.18). */
  readonly kernel?: KernelVersion;
}

/** A kernel's major and minor version: what decides which of the loader's checks it makes. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
}

/** The version in a kernel release string (`uname -r`: "6.1.0-57-cloud-amd64", "6.18.44"), or undefined. */
export function parseKernelVersion(release: string): KernelVersion | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})(?![\d])/.exec(release.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** True when the target kernel is older than major.minor; an unstated kernel is the newest. */
export function kernelBefore(kernel: KernelVersion | undefined, major: number, minor: number): boolean {
  return kernel !== undefined && (kernel.major < major || (kernel.major === major && kernel.minor < minor));
}

export type Overcommit = 'guess' | 'always' | 'never';

/**
 * What a target without a stated memory size has: at least 256 MiB of RAM and swap, at most
 * 16 TiB. A mapping the kernel charges that is larger than the upper end fails on any such
 * system; one between the two ends fails on some.
 */
export const MEMORY_BAND = { min: 256n << 20n, max: 16n << 40n } as const;

/** The assumptions as one loader of one target applies them: nothing left open. */
export interface ResolvedAssumptions {
  readonly pageSize: bigint;
  readonly mmapMinAddr: bigint;
  readonly privileged: boolean;
  /** First address past the user address space of the process. */
  readonly taskSize: bigint;
  readonly addressSpaceLimit?: bigint;
  readonly disabledLoaders: readonly string[];
  readonly cpuidFaults: boolean;
  /** RAM plus swap: exact when stated, else the band it is assumed to lie in. */
  readonly memory: { readonly min: bigint; readonly max: bigint };
  readonly overcommit: Overcommit;
  readonly kernel?: KernelVersion;
}

export const DEFAULT_ASSUMPTIONS: LoaderAssumptions = { privileged: false };

/** Without a profile: Linux's usual 4 KiB pages, the common mmap_min_addr, and no limit but the address width. */
const GENERIC_PAGE_SIZE = 4096n;
const GENERIC_MMAP_MIN_ADDR = 65536n;

export function resolveAssumptions(
  base: LoaderAssumptions, target: { readonly arch: ArchProfile; readonly loader: LoaderProfile } | undefined, layout: ClassLayout,
): ResolvedAssumptions {
  return {
    pageSize: base.pageSize ?? target?.arch.pageSizes[0] ?? GENERIC_PAGE_SIZE,
    mmapMinAddr: base.mmapMinAddr ?? target?.arch.mmapMinAddr ?? GENERIC_MMAP_MIN_ADDR,
    privileged: base.privileged,
    taskSize: target?.loader.taskSize ?? layout.wordMax + 1n,
    disabledLoaders: base.disabledLoaders ?? [],
    cpuidFaults: base.cpuidFaults ?? false,
    memory: base.memory === undefined ? MEMORY_BAND : { min: base.memory, max: base.memory },
    overcommit: base.overcommit ?? 'guess',
    ...(base.addressSpaceLimit !== undefined ? { addressSpaceLimit: base.addressSpaceLimit } : {}),
    ...(base.kernel !== undefined ? { kernel: base.kernel } : {}),
  };
}
