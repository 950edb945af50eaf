// The facts about the target system that loader-facing checks depend on.
// They are explicit so that a prediction can be made for another machine.
import { archFor, X86_64_TASK_SIZE } from './arch.js';

export interface LoaderAssumptions {
  /** Page size of the target (x86-64: 4096). */
  readonly pageSize: bigint;
  /** vm.mmap_min_addr: the lowest address an unprivileged process may map. */
  readonly mmapMinAddr: bigint;
  /** True when the process has CAP_SYS_RAWIO and may map below mmapMinAddr. */
  readonly privileged: boolean;
  /** First address past the user address space (x86-64 with 4-level paging: 0x7ffffffff000). */
  readonly taskSize: bigint;
  /** e_machine of the system that runs the file; undefined means the file's own architecture. */
  readonly machine?: number;
  /** RLIMIT_AS of the process, when limited: mappings past it fail with ENOMEM. */
  readonly addressSpaceLimit?: bigint;
}

export const DEFAULT_ASSUMPTIONS: LoaderAssumptions = {
  pageSize: 4096n,
  mmapMinAddr: 65536n,
  privileged: false,
  taskSize: X86_64_TASK_SIZE,
};

/** The assumptions for one file: TASK_SIZE follows the architecture it will run on, when known. */
export function assumptionsFor(base: LoaderAssumptions, fileMachine: number | undefined): LoaderAssumptions {
  const machine = base.machine ?? fileMachine;
  const taskSize = machine === undefined ? undefined : archFor(machine)?.taskSize;
  return taskSize === undefined || taskSize === base.taskSize ? base : { ...base, taskSize };
}
