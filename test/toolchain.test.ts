// The toolchain zoo (scripts/toolchain-zoo.mjs): what gcc, ld and as make of one small C program
// with every kind of layout option, for every gcc target this machine links (gcc, -m32, -mx32,
// cross gccs) and a tiny as + ld program for every binutils triplet. Real toolchain output is
// well formed, so elf-lint must report no error-severity finding on any of it; a new rule that
// does is wrong about real files (warnings are allowed, and listed when the test fails).
//
// The zoo is built once per gcc version and zoo recipe into node_modules/.cache/elf-lint-zoo/KEY
// (idempotent: a later run finds it built). Every tool runs to completion under spawnSync with a
// time limit and is killed when it hits it: nothing is left running.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintFiles } from '../src/index.js';
import { buildZoo, gccVersion, zooKey, type Zoo } from '../scripts/toolchain-zoo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GCC = gccVersion();
const hasGcc = GCC !== undefined && spawnSync('gcc', ['-dumpmachine'], { stdio: 'ignore' }).status === 0;
if (!hasGcc) console.log('toolchain zoo: skipped, gcc is not installed (gcc --version failed)');

describe.skipIf(!hasGcc)(`the toolchain zoo (${GCC ?? 'no gcc'})`, () => {
  let zoo: Zoo;
  beforeAll(() => {
    zoo = buildZoo(join(ROOT, 'node_modules', '.cache', 'elf-lint-zoo', zooKey()));
    for (const skip of zoo.skipped) console.log(`toolchain zoo: skipped ${skip.name}: ${skip.reason}`);
  });

  it('builds the native recipes', () => {
    const names = zoo.outputs.map((output) => output.name);
    for (const name of ['gcc-default', 'gcc-static', 'gcc-static-pie', 'gcc-shared.so', 'gcc-relocatable.o', 'gcc-object.o', 'gcc-debug-file.debug', 'gcc-stripped']) {
      expect(names).toContain(name);
    }
  });

  it('has no error-severity finding on any output', () => {
    const reports = lintFiles(zoo.outputs.map((output) => output.path));
    expect(reports).toHaveLength(zoo.outputs.length);
    const line = (path: string, text: string) => `${path.slice(zoo.dir.length + 1)}: ${text}`;
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const report of reports) {
      if (report.error !== undefined) errors.push(line(report.path, `unreadable: ${report.error}`));
      for (const finding of report.findings) {
        const text = line(report.path, `${finding.severity}: ${finding.message} [${finding.rule}]`);
        if (finding.severity === 'error') errors.push(text);
        else warnings.push(text);
      }
    }
    expect(errors, `error findings on real toolchain output (${reports.length} files); the warnings were:\n${warnings.join('\n') || '(none)'}\n`).toEqual([]);
  });
});
