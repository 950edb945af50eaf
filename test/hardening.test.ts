// The hardening checks and `elf-lint checksec` against checksec itself, on
// what gcc and ld really make (the toolchain zoo). Host facts: checksec
// 2.6.0 (Debian's package, installed by .ci/run) and gcc with the -m32 and
// -mx32 multilibs; without checksec or gcc the comparison is skipped with a
// message. checksec's FORTIFY counts use the host's libc list; ours is glibc
// 2.36's, the same as Debian 12's.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildZoo, gccVersion, zooKey, type Zoo } from '../scripts/toolchain-zoo.mjs';
import { parseElf } from '../src/parse/parse.js';
import { hardeningOf, type Hardening, type HardeningCheck } from '../src/model/hardening.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Ajv } from 'ajv';
import { killTracked, runCli } from './support.js';

afterEach(killTracked);
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-hardening-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hasGcc = gccVersion() !== undefined;
const hasChecksec = spawnSync('checksec', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasChecksec) console.log('hardening: the comparison with checksec is skipped: checksec is not installed (apt-get install checksec)');

function hardening(path: string): Hardening | undefined {
  const file = parseElf(readFileSync(path));
  return file.kind === 'elf' ? hardeningOf(file) : undefined;
}

type ChecksecJson = Record<string, Record<string, string>>;

/** checksec's JSON words for our statuses; undefined where ours is not comparable (not applicable, unknown). */
function checksecWords(ours: Hardening): Record<string, string | undefined> {
  const yesNo = (check: HardeningCheck, yes: 'pass' | 'fail') => (check.status === yes ? 'yes' : check.status === 'pass' || check.status === 'fail' ? 'no' : undefined);
  const relro = { pass: 'full', partial: 'partial', fail: 'no' } as Record<string, string>;
  const pie = { 'PIE enabled': 'yes', 'No PIE': 'no', DSO: 'dso', REL: 'rel' } as Record<string, string>;
  return {
    relro: relro[ours.relro.status],
    canary: yesNo(ours.canary, 'pass'),
    // Without PT_GNU_STACK checksec says "no" whatever the machine's default: compared only when the segment is there.
    nx: ours.nx.field === 'e_phoff' ? undefined : yesNo(ours.nx, 'pass'),
    pie: pie[ours.pie.label],
    rpath: yesNo(ours.rpath, 'fail'),
    runpath: yesNo(ours.runpath, 'fail'),
    symbols: ours.symbols === undefined ? 'no' : 'yes',
    fortify_source: ours.fortify.status === 'pass' ? 'yes' : 'no',
    fortified: String(ours.fortify.fortified),
    'fortify-able': String(ours.fortify.fortifiable),
  };
}

describe.skipIf(!hasGcc)('hardening of the toolchain zoo', () => {
  let zoo: Zoo;
  beforeAll(() => {
    zoo = buildZoo(join(ROOT, 'node_modules', '.cache', 'elf-lint-zoo', zooKey()));
  });
  const output = (name: string) => zoo.outputs.find((candidate) => candidate.name === name)!.path;

  it.skipIf(!hasChecksec)('matches checksec column by column wherever both can judge', () => {
    const differences: string[] = [];
    let compared = 0;
    for (const { name, path } of zoo.outputs) {
      const ours = hardening(path);
      if (!ours) continue; // separate debug files: never run
      const theirs = (JSON.parse(spawnSync('checksec', ['--output=json', `--file=${path}`], { encoding: 'utf8', timeout: 60_000 }).stdout) as ChecksecJson)[path]!;
      for (const [column, word] of Object.entries(checksecWords(ours))) {
        if (word === undefined) continue;
        compared += 1;
        if (theirs[column] !== word) differences.push(`${name} ${column}: checksec ${theirs[column]}, elf-lint ${word}`);
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(differences).toEqual([]);
  }, 300_000);

  it('keeps "not applicable" apart from a failing protection', () => {
    const object = hardening(output('gcc-object.o'))!;
    expect([object.relro.status, object.nx.status, object.pie.label]).toEqual(['not-applicable', 'not-applicable', 'REL']);
    const staticExec = hardening(output('gcc-static-no-pie'))!;
    expect(staticExec.relro.status).toBe('not-applicable');
    expect(staticExec.fortify.status).toBe('not-applicable'); // no dynamic symbols
    expect(hardening(output('gcc-shared.so'))!.pie).toMatchObject({ status: 'not-applicable', label: 'DSO' });
    expect(hardening(output('gcc-default'))!.bti.status).toBe('not-applicable');
  });

  it('reads what each recipe asked for', () => {
    expect(hardening(output('gcc-relro-now'))!.relro.label).toBe('Full RELRO');
    expect(hardening(output('gcc-norelro'))!.relro.label).toBe('No RELRO');
    expect(hardening(output('gcc-execstack'))!.nx.label).toBe('NX disabled');
    // Debian 12's crt files carry no CET marks, so a linked program never has them (ld keeps only what every input has)...
    expect(hardening(output('gcc-cf-protection'))!.cet).toMatchObject({ status: 'fail', label: 'No CET' });
    // ...while the object gcc made has both.
    const object = join(scratch, 'cet.o');
    expect(spawnSync('gcc', ['-c', '-fcf-protection=full', '-o', object, '-x', 'c', '-'], { input: 'int f(int x) { return x + 1; }\n', timeout: 60_000 }).status).toBe(0);
    expect(hardening(object)!.cet).toMatchObject({ status: 'pass', label: 'IBT SHSTK' });
    expect(hardening(output('gcc-rpath'))!.rpath).toMatchObject({ status: 'fail', label: 'RPATH' });
    expect(hardening(output('gcc-rpath'))!.rpath.reason).toContain('DT_RPATH /x');
    expect(hardening(output('gcc-runpath'))!.runpath).toMatchObject({ status: 'fail', label: 'RUNPATH' });
    expect(hardening(output('gcc-fortify'))!.fortify.status).toBe('pass');
  });

  it('the opt-in rules run with --profile hardening and stay off by default', async () => {
    const files = ['gcc-no-pie', 'gcc-norelro', 'gcc-rpath', 'gcc-runpath', 'gcc-default'].map(output);
    const quiet = await runCli(['lint', '--format', 'json', ...files]);
    const ruleIds = (stdout: string) => (JSON.parse(stdout) as { files: { findings: { rule: string }[] }[] }).files.map((file) => file.findings.map((finding) => finding.rule).filter((rule) => rule.startsWith('hardening-')).sort());
    expect(ruleIds(quiet.stdout)).toEqual([[], [], [], [], []]);
    const loud = await runCli(['lint', '--format', 'json', '--profile', 'hardening', ...files]);
    const [noPie, noRelro, rpath, runpath, plain] = ruleIds(loud.stdout);
    expect(noPie).toContain('hardening-pie');
    expect(noRelro).toContain('hardening-relro');
    expect(rpath).toContain('hardening-rpath');
    expect(runpath).toContain('hardening-runpath');
    expect(plain).not.toContain('hardening-pie');
    expect((await runCli(['lint', '--format', 'json', '--enable', 'hardening-pie', files[0]!])).stdout).toContain('"rule": "hardening-pie"');
  });

  it('elf-lint checksec prints the table and its JSON', async () => {
    const text = await runCli(['checksec', output('gcc-relro-now'), output('gcc-object.o'), 'corpus/README.md']);
    expect(text.code).toBe(2); // README.md is not ELF
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^RELRO +STACK CANARY +NX +PIE +RPATH +RUNPATH +Symbols +FORTIFY +Fortified +Fortifiable +CET +BTI +FILE$/);
    expect(lines[1]).toMatch(/^Full RELRO .*\/gcc-relro-now$/);
    expect(lines[2]).toMatch(/^N\/A +.* REL .*\/gcc-object\.o$/);
    expect(lines[3]).toBe('corpus/README.md: not an ELF file');
    const json = await runCli(['checksec', '--format', 'json', output('gcc-default'), output('gcc-debug-file.debug'), 'corpus/README.md', ...zoo.outputs.map((entry) => entry.path)]);
    expect(json.code).toBe(2);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'checksec.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(json.stdout)) ? '' : ajv.errorsText(validate.errors)).toBe('');
    const document = JSON.parse(json.stdout) as { schemaVersion: number; files: { path: string; hardening: Hardening }[] };
    expect(document.schemaVersion).toBe(1);
    expect(document.files[0]!.hardening.pie).toMatchObject({ status: 'pass', label: 'PIE enabled' });
  });
});
