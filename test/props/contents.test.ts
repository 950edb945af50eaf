// Damage inside section contents (symbol tables, relocations, the dynamic
// table, notes, version and hash sections, string tables) of real files:
// every rule, the opt-in ones too, and the hardening facts must read it
// without an internal error, and every finding must point inside the file.
// Host fact: gcc builds the shared library and the object (skipped without it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../../src/gen/build.js';
import { dynamicHelloSpec, HARDENED_HELLO } from '../../src/gen/hardening-twins.js';
import { parseElf } from '../../src/parse/parse.js';
import { lintParsed } from '../../src/rules/engine.js';
import { RULES } from '../../src/rules/registry.js';
import { hardeningOf } from '../../src/model/hardening.js';
import { SHT_NOBITS, SHT_NULL } from '../../src/model/constants.js';
import { PROPERTY_OPTIONS, RUNS } from './arbitraries.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-contents-props-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = '#include <string.h>\nint counter;\nint f(char *d, const char *s) { strcpy(d, s); return counter++; }\n';

function gccBuild(name: string, args: readonly string[]): Uint8Array | undefined {
  const out = join(scratch, name);
  const result = spawnSync('gcc', [...args, '-o', out, '-x', 'c', '-'], { input: SOURCE, timeout: 60_000 });
  return result.status === 0 ? readFileSync(out) : undefined;
}

const files: [string, Uint8Array][] = [['hello-dynamic', buildElf(dynamicHelloSpec({ ...HARDENED_HELLO, rpath: '/opt/lib' }))]];
for (const [name, args] of [['lib.so', ['-shared', '-fPIC', '-O2', '-D_FORTIFY_SOURCE=2', '-Wl,--hash-style=both']], ['lib.o', ['-c', '-g']]] as const) {
  const bytes = gccBuild(name, args);
  if (bytes) files.push([name, bytes]);
  else console.log(`contents properties: ${name} skipped (gcc could not build it)`);
}

/** The byte ranges of the sections that have contents in the file: where the damage goes. */
function contentRanges(bytes: Uint8Array): { offset: number; length: number }[] {
  const file = parseElf(bytes);
  if (file.kind !== 'elf') return [];
  return file.sectionHeaders
    .filter((section) => section.sh_type !== SHT_NULL && section.sh_type !== SHT_NOBITS && section.sh_size > 0n && section.sh_offset + section.sh_size <= BigInt(bytes.length))
    .map((section) => ({ offset: Number(section.sh_offset), length: Number(section.sh_size) }));
}

describe.each(files)('damage inside the sections of %s', (_name, original) => {
  const ranges = contentRanges(original);

  it('has sections with contents to damage', () => {
    expect(ranges.length).toBeGreaterThan(3);
  });

  it('never makes a rule or the hardening facts fail, and every finding points inside the file', () => {
    const patch = fc.record({
      range: fc.nat({ max: ranges.length - 1 }),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
    });
    fc.assert(fc.property(fc.array(patch, { minLength: 1, maxLength: 8 }), (patches) => {
      const bytes = original.slice();
      for (const { range, at, bytes: data } of patches) {
        const { offset, length } = ranges[range]!;
        const start = offset + (at % length);
        bytes.set(data.subarray(0, Math.min(data.length, offset + length - start)), start);
      }
      const file = parseElf(bytes);
      const findings = lintParsed(file, { rules: RULES });
      expect(findings.filter((finding) => finding.rule === 'internal-error')).toEqual([]);
      for (const finding of findings) expect(finding.offset + finding.length, finding.rule).toBeLessThanOrEqual(bytes.length);
      if (file.kind === 'elf') expect(() => hardeningOf(file)).not.toThrow();
    }), { ...PROPERTY_OPTIONS, numRuns: Math.max(20, Math.floor(RUNS / 5)) });
  }, 300_000);
});
