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
}

/** The assumptions as one loader of one target applies them: nothing left open. */
export interface ResolvedAssumptions {
  readonly pageSize: bigint;
  readonly mmapMinAddr: bigint;
  readonly privileged: boolean;
  /** First address past the user address space of the process. */
  readonly taskSize: bigint;
  readonly addressSpaceLimit?: bigint;
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
    ...(base.addressSpaceLimit !== undefined ? { addressSpaceLimit: base.addressSpaceLimit } : {}),
  };
}
