// The progress line of long batch runs, with a clock and a terminal of the test's own.
import { describe, expect, it } from 'vitest';
import { Progress, REDRAW_MS, SHOW_AFTER_MS } from '../src/cli/progress.js';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written };
}

describe('Progress', () => {
  it('draws nothing during the first second, then at most once per redraw interval, and erases itself', () => {
    let now = 0;
    const { stream, written } = terminal(true);
    const progress = new Progress(10, stream, () => now);
    progress.step();
    expect(written).toEqual([]);
    now = SHOW_AFTER_MS;
    progress.step();
    expect(written).toEqual([`\r[${'#'.repeat(6)}${' '.repeat(24)}] 2/10 files`]);
    now += REDRAW_MS - 1;
    progress.step();
    expect(written).toHaveLength(1);
    now += 1;
    progress.step();
    expect(written.at(-1)).toBe(`\r[${'#'.repeat(12)}${' '.repeat(18)}] 4/10 files`);
    progress.done();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('writes nothing when standard error is not a terminal, or for one file, and erases nothing it did not draw', () => {
    for (const [isTTY, total] of [[false, 100], [true, 1]] as const) {
      let now = 0;
      const { stream, written } = terminal(isTTY);
      const progress = new Progress(total, stream, () => now);
      now = 10 * SHOW_AFTER_MS;
      for (let file = 0; file < total; file += 1) progress.step();
      progress.done();
      expect(written).toEqual([]);
    }
  });
});
