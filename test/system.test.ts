// Real binaries: every ELF file of the test machine's /usr/bin and
// /usr/lib/x86_64-linux-gnu, and programs gcc builds here, must have no
// error-severity finding.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInputs } from '../src/cli/inputs.js';
import { lintBytes } from './support.js';

function errorsUnder(directory: string): { files: number; errors: string[] } {
  let files = 0;
  const errors: string[] = [];
  for (const input of collectInputs([directory])) {
    if ('error' in input) continue; // unreadable entries (dangling links, permissions) are not lint results
    files += 1;
    for (const finding of lintBytes(input.bytes)) {
      if (finding.severity === 'error') errors.push(`${input.path}: ${finding.message} [${finding.rule}]`);
    }
  }
  return { files, errors };
}

describe.each(['/usr/bin', '/usr/lib/x86_64-linux-gnu'])('system files under %s', (directory) => {
  it.skipIf(!existsSync(directory))('have no error findings', () => {
    const { files, errors } = errorsUnder(directory);
    expect(files).toBeGreaterThan(10);
    expect(errors).toEqual([]);
  });
});

const hasGcc = (() => {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasGcc)('binaries built with gcc', () => {
  const directory = mkdtempSync(join(tmpdir(), 'elf-lint-gcc-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const source = join(directory, 'main.c');
  writeFileSync(source, '#include <stdio.h>\nint counter;\nint twice(int x) { return 2 * x; }\nint main(void) { printf("%d\\n", twice(counter + 21)); return 0; }\n');

  const variants: [string, string[]][] = [
    ['dynamic PIE', []],
    ['dynamic non-PIE', ['-no-pie']],
    ['static', ['-static']],
    ['static-pie', ['-static-pie']],
    ['shared library', ['-shared', '-fPIC']],
    ['relocatable object', ['-c']],
    ['no-separate-code', ['-Wl,-z,noseparate-code']],
    ['debug info', ['-g', '-O2']],
  ];

  it.each(variants)('%s has no error findings', (name, flags) => {
    const output = join(directory, name.replace(/\W+/g, '-'));
    execFileSync('gcc', [...flags, '-o', output, source], { stdio: 'pipe' });
    const findings = lintBytes(readFileSync(output));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
