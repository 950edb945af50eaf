// Types of bench/elf-gen.mjs, for the test that checks its output.
export interface BigElfOptions {
  /** Size of the file (at least; the tables may need more). */
  readonly bytes: number;
  /** Entries of .symtab, the null entry included. */
  readonly symbols: number;
  /** Section headers, the null one included (at least 5). */
  readonly sections: number;
}

export interface BigElfPlan {
  readonly head: Uint8Array;
  readonly symbols: number;
  readonly sections: number;
  readonly fillStart: number;
  readonly fillBytes: number;
  readonly symtab: number;
  readonly strtab: number;
  readonly shstrtab: number;
  readonly shoff: number;
  readonly size: number;
}

export function planBigElf(options: BigElfOptions): BigElfPlan;
export function writeBigElf(path: string, options: BigElfOptions): BigElfPlan;
export function bigElfPath(cache: string, fingerprint: (text: string) => string, options: BigElfOptions): string;
export function cachedBigElf(cache: string, fingerprint: (text: string) => string, options: BigElfOptions): { path: string; written: boolean };
