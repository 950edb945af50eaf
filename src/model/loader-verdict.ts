// What the loader model predicts for one file.

export const VERDICTS = ['runs', 'exec-error', 'exec-killed', 'start-fault', 'not-applicable'] as const;
export type LoaderVerdictKind = (typeof VERDICTS)[number];

export interface LoaderVerdict {
  /**
   * runs: the first instruction at the entry point completes;
   * exec-error: execve returns `errno`;
   * exec-killed: the kernel fails after the point of no return and kills the process with `signal`;
   * start-fault: execve succeeds and the first instruction raises `signal`;
   * not-applicable: not an executable for a known architecture (`errno` is what execve would still say).
   */
  readonly verdict: LoaderVerdictKind;
  readonly errno: string | null;
  readonly signal: string | null;
  /** Ids of the rules whose findings explain the verdict. */
  readonly because: readonly string[];
  /** One sentence: what the kernel does and why. */
  readonly reason: string;
  /** Set when the prediction rests on code the model did not analyse (the first instruction). */
  readonly uncertain?: true;
  /**
   * Where the verdict is decided: `execve` (exec-error, exec-killed), `entry` (the first
   * instruction at the entry point of a program without interpreter), `program` (a program with
   * PT_INTERP: the kernel starts the dynamic linker, which then jumps to the program's entry
   * point, and the verdict is about that jump and the first instruction there); absent for
   * not-applicable.
   */
  readonly stage?: ExecStage;
}

export type ExecStage = 'execve' | 'entry' | 'program';

export function verdict(
  kind: LoaderVerdictKind, reason: string,
  details: { errno?: string; signal?: string; because?: readonly string[] } = {},
): LoaderVerdict {
  return { verdict: kind, errno: details.errno ?? null, signal: details.signal ?? null, because: details.because ?? [], reason };
}
