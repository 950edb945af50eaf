// A progress line on standard error for long runs at a terminal: nothing when
// stderr is a file or a pipe (CI logs), nothing for runs that end quickly.
import { stderr } from 'node:process';

/** A run shorter than this shows no progress at all. */
export const SHOW_AFTER_MS = 1000;
/** Redraws at most this often. */
export const REDRAW_MS = 100;
const WIDTH = 30;

export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export class Progress {
  readonly #enabled: boolean;
  readonly #started: number;
  #done = 0;
  #drawnAt = 0;
  #shown = false;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.#enabled = stream.isTTY === true && total > 1;
    this.#started = now();
  }

  /** One more file checked. */
  step(): void {
    this.#done += 1;
    if (!this.#enabled) return;
    const now = this.now();
    if (now - this.#started < SHOW_AFTER_MS || now - this.#drawnAt < REDRAW_MS) return;
    this.#drawnAt = now;
    this.#shown = true;
    const filled = Math.round((this.#done / this.total) * WIDTH);
    this.stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${this.#done}/${this.total} files`);
  }

  /** Erases the line, so that what follows starts on a clean one. */
  done(): void {
    if (this.#shown) this.stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
