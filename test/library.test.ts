// The library API as a user imports it: by the package's name, from the built
// package, in a project that installed it; and the README's examples, run.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A project with this checkout installed as node_modules/elf-lint, and a copy of the corpus. */
function installedProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'elf-lint-lib-'));
  temps.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'elf-lint'));
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), { recursive: true });
  return dir;
}

function runModule(dir: string, name: string, source: string) {
  writeFileSync(join(dir, name), source);
  const result = spawnSync(process.execPath, [name], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const section = README.slice(README.indexOf('\n## Library\n'), README.indexOf('\n## In CI\n'));
const examples = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);

describe('import { ... } from "elf-lint"', () => {
  it('resolves through node_modules by the package name, with the API and its typings', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: { '.': { types: string; default: string } }; types: string; main: string };
    expect(manifest.exports['.'].types).toBe(`./${manifest.types}`);
    expect(manifest.exports['.'].default).toBe(`./${manifest.main}`);
    expect(existsSync(join(ROOT, manifest.types))).toBe(true);
    const typings = readFileSync(join(ROOT, manifest.types), 'utf8');
    for (const name of ['lint', 'lintFiles', 'generate', 'predictLoad', 'toSarif', 'layoutMap']) expect(typings).toMatch(new RegExp(`export declare (function|const) ${name}\\b`));
    expect(typings).toMatch(/export declare const parse\b/);
    const dir = installedProject();
    const result = runModule(dir, 'names.mjs', `
import * as api from 'elf-lint';
console.log(JSON.stringify(['lint', 'lintFiles', 'parse', 'generate', 'predictLoad', 'toSarif', 'parseElf', 'lintParsed', 'examine', 'predictExecve', 'layoutMap', 'renderMapText', 'renderMapSvg'].map((name) => typeof api[name])));
`);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(Array(13).fill('function'));
  });

  it('lint and lintFiles agree with the CLI, and toSarif is its SARIF', () => {
    const dir = installedProject();
    const result = runModule(dir, 'agree.mjs', `
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { lint, lintFiles, toSarif } from 'elf-lint';
const paths = ['corpus/hello', 'corpus/hello-entry-outside', 'corpus/hello-wx'];
const cli = (format) => { try { return execFileSync(process.execPath, ['node_modules/elf-lint/dist/cli/main.js', '--format', format, ...paths], { encoding: 'utf8' }); } catch (error) { return error.stdout; } };
const json = JSON.parse(cli('json'));
const reports = lintFiles(paths);
const same = reports.every((report, i) => JSON.stringify(report.findings.map((f) => f.rule)) === JSON.stringify(json.files[i].findings.map((f) => f.rule)) && report.loader.verdict === json.files[i].loader.verdict);
const one = lint(readFileSync(paths[1]));
console.log(JSON.stringify({ same, sarif: toSarif(reports) === cli('sarif'), one: [one.file.kind, one.findings.map((f) => f.rule), one.loader.verdict] }));
`);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ same: true, sarif: true, one: ['elf', ['entry-in-load-segment'], 'start-fault'] });
  });

  it('layoutMap draws what elf-lint map draws, for a path or bytes and a target, and gives errors as values', () => {
    const dir = installedProject();
    const result = runModule(dir, 'map.mjs', `
import { readFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { layoutMap, renderMapText, renderMapSvg } from 'elf-lint';
const cli = (...args) => execFileSync(process.execPath, ['node_modules/elf-lint/dist/cli/main.js', 'map', ...args], { encoding: 'utf8' });
const text = (outcome) => renderMapText(outcome.map, { ascii: false, color: false });
const path = layoutMap('corpus/hello-entry-outside');
const bytes = layoutMap(readFileSync('corpus/hello'), { path: 'corpus/hello', assumptions: { machine: 'aarch64' } });
mkdirSync('a-directory');
console.log(JSON.stringify({
  path: text(path) === cli('corpus/hello-entry-outside'),
  bytes: text(bytes) === cli('--machine', 'aarch64', 'corpus/hello'),
  svg: renderMapSvg(path.map, { idPrefix: 'map-', standalone: true }) === cli('--format', 'svg', 'corpus/hello-entry-outside'),
  errors: [layoutMap('no/such/file'), layoutMap('a-directory'), layoutMap('corpus/README.md')].map((outcome) => outcome.error),
}));
`);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      path: true, bytes: true, svg: true,
      errors: ['no/such/file: cannot read: no such file or directory', 'a-directory: is a directory', 'corpus/README.md: not an ELF file (it does not start with \\x7fELF)'],
    });
  });

  it('generate takes the JSON text, the parsed document or an ElfSpec, and throws SpecError for a bad spec', () => {
    const dir = installedProject();
    const result = runModule(dir, 'gen.mjs', `
import { generate, SpecError } from 'elf-lint';
const doc = { header: { e_type: 'ET_EXEC', e_machine: 'EM_X86_64' }, segments: [{ p_type: 'PT_LOAD', p_flags: 'R-X', p_vaddr: '0x400000', withHeaders: true, data: { hex: 'b83c000000bf070000000f05' } }] };
const a = generate(doc), b = generate(JSON.stringify(doc));
const c = generate({ header: { e_type: 2, e_machine: 62 }, segments: [{ p_type: 1, p_flags: 5, p_vaddr: 0x400000n, withHeaders: true, data: Uint8Array.from(Buffer.from('b83c000000bf070000000f05', 'hex')) }] });
let error = '';
try { generate({ header: { e_entry: 'nope' } }); } catch (e) { error = e instanceof SpecError ? e.message : 'not a SpecError'; }
console.log(JSON.stringify({ same: Buffer.compare(a, b) === 0 && Buffer.compare(a, c) === 0, error }));
`);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { same: boolean; error: string };
    expect(out.same).toBe(true);
    expect(out.error).toMatch(/^header\.e_entry: /);
  });

  it('the README has examples, and each runs and prints what it says', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const [index, example] of examples.entries()) {
      const dir = installedProject();
      const result = runModule(dir, `example-${index}.mjs`, example);
      expect(result.code, `example ${index}: ${result.stderr}`).toBe(0);
      const promised = [...example.matchAll(/^\/\/ prints: (.*)$/gm)].map((match) => match[1]!);
      expect(promised.length, `example ${index}`).toBeGreaterThan(0);
      expect(result.stdout.trimEnd().split('\n'), `example ${index}`).toEqual(promised);
    }
  });
});
