// The architectures the loader model knows, with the constants their Linux
// loaders use.
import { EM_AARCH64, EM_X86_64 } from './constants.js';

/** 4-level paging: 47-bit user space minus the guard page. */
export const X86_64_TASK_SIZE = 0x7ffffffff000n;

export interface ArchProfile {
  readonly name: string;
  readonly machine: number;
  /** First address past the user address space. */
  readonly taskSize: bigint;
  /** ELF_ET_DYN_BASE: where a PIE with an interpreter is loaded (before randomisation). */
  readonly dynBase: bigint;
  /** Whether the first-instruction analysis (an x86-64 decoder) applies. */
  readonly decodesEntry: boolean;
}

export const ARCHES: readonly ArchProfile[] = [
  { name: 'x86_64', machine: EM_X86_64, taskSize: X86_64_TASK_SIZE, dynBase: 0x555555554000n, decodesEntry: true },
  // 48-bit VA, the common arm64 configuration; ELF_ET_DYN_BASE is 2/3 of it.
  { name: 'aarch64', machine: EM_AARCH64, taskSize: 1n << 48n, dynBase: 0xaaaaaaaaa000n, decodesEntry: false },
];

export function archFor(machine: number): ArchProfile | undefined {
  return ARCHES.find((arch) => arch.machine === machine);
}
