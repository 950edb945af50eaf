// The published output contract: schemas/report.schema.json (the JSON report,
// schemaVersion 1) and schemas/spec.schema.json (the generator spec), checked
// with ajv against real outputs of the CLI.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { specFromJson } from '../src/gen/json.js';
import { ELF_MACHINE_NAMES, ELF_TYPE_NAMES, PT_NAMES } from '../src/model/constants.js';
import { HELLO, killTracked, runCli } from './support.js';

afterEach(killTracked);

const root = new URL('../', import.meta.url);
const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const REPORT_SCHEMA = readJson('schemas/report.schema.json') as Record<string, unknown>;
const SPEC_SCHEMA = readJson('schemas/spec.schema.json') as { definitions: Record<string, { enum?: string[] }> };

const ajv = new Ajv({ strict: true, allErrors: true });
const validateReport = ajv.compile(REPORT_SCHEMA);
const validateSpec = ajv.compile(SPEC_SCHEMA);

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-schemas-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectValid(validate: ValidateFunction, document: unknown, what: string): void {
  const ok = validate(document);
  expect(ok ? '' : `${what}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`).toBe('');
}

interface JsonReport {
  files: { path: string; elf: unknown; error?: string; folded?: Record<string, number>; findings: { folded?: number }[]; loader: { stage: string | null; uncertain: boolean } | null }[];
  summary: { folded: number };
}

async function lintJson(args: string[]): Promise<JsonReport> {
  const result = await runCli(['--format', 'json', ...args]);
  const document = JSON.parse(result.stdout) as JsonReport;
  expectValid(validateReport, document, args.join(' '));
  return document;
}

/** Programs and libraries of this system, those that exist. */
const SYSTEM = ['/bin/true', '/bin/ls', '/usr/bin/env', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2', '/usr/lib/x86_64-linux-gnu/crt1.o']
  .filter((path) => existsSync(path));

describe('schemas/report.schema.json', () => {
  it('is shipped in the package', () => {
    const manifest = readJson('package.json') as { files: string[] };
    expect(manifest.files).toContain('schemas');
    expect(REPORT_SCHEMA['$id']).toMatch(/schemas\/report\.schema\.json$/);
  });

  it('accepts the JSON lint of the whole corpus, a not-ELF file and an unreadable file', async () => {
    const document = await lintJson(['corpus', 'corpus/README.md', 'corpus/no-such-file']);
    const notElf = document.files.find((file) => file.path === 'corpus/README.md')!;
    expect(notElf.elf).toBeNull();
    const unreadable = document.files.find((file) => file.path === 'corpus/no-such-file')!;
    expect(unreadable.error).toBeDefined();
    expect(unreadable.loader).toBeNull();
    // Every stage, and null for not-applicable.
    expect(new Set(document.files.map((file) => file.loader?.stage))).toEqual(new Set(['execve', 'entry', 'program', null, undefined]));
  });

  it.skipIf(SYSTEM.length === 0)('accepts the JSON lint of system binaries (programs with PT_INTERP, libraries)', async () => {
    const document = await lintJson(SYSTEM);
    expect(document.files.some((file) => file.loader?.stage === 'program')).toBe(true);
  });

  it('accepts folded findings', async () => {
    // Twelve sections with an invalid sh_addralign: the rule lists 10 and folds 2.
    const sections = Array.from({ length: 12 }, (_, index) => ({ name: `.s${index}`, sh_type: 1, sh_addralign: 3n }));
    const path = join(scratch, 'folded');
    writeFileSync(path, buildElf({ ...HELLO, sections }));
    const document = await lintJson([path]);
    expect(document.summary.folded).toBeGreaterThan(0);
    expect(document.files[0]!.folded).toBeDefined();
    expect(document.files[0]!.findings.some((finding) => finding.folded !== undefined)).toBe(true);
  });

  it('accepts standard input and an empty result, and rejects what is not a report', async () => {
    const stdin = await runCli(['--format', 'json', '-'], { input: readFileSync(new URL('corpus/hello-wx', root)) });
    expectValid(validateReport, JSON.parse(stdin.stdout), 'stdin');
    const empty = await runCli(['--format', 'json', scratch + '/no-elf-here-dir']);
    if (empty.stdout) expectValid(validateReport, JSON.parse(empty.stdout), 'empty');
    const good = JSON.parse((await runCli(['--format', 'json', 'corpus/hello-entry-outside'])).stdout) as { files: { findings: Record<string, unknown>[]; loader: Record<string, unknown> }[] };
    const finding = good.files[0]!.findings[0]!;
    const broken = [
      { ...good, schemaVersion: 2 },
      { ...good, files: [{ ...good.files[0], findings: [{ ...finding, severity: 'fatal' }] }] },
      { ...good, files: [{ ...good.files[0], findings: [{ ...finding, offset: -1 }] }] },
      { ...good, files: [{ ...good.files[0], loader: { ...good.files[0]!.loader, verdict: 'maybe' } }] },
      { ...good, files: [{ ...good.files[0], loader: { ...good.files[0]!.loader, uncertain: undefined } }] },
      { ...good, files: [{ ...good.files[0], undocumented: 1 }] },
    ];
    for (const document of broken) expect(validateReport(document)).toBe(false);
  });
});

describe('schemas/spec.schema.json', () => {
  it('accepts the spec of corpus files and of system binaries', async () => {
    const files = ['hello', 'hello-pie', 'hello-elf32', 'hello-s390x', 'hello-section-name', 'hello-interp-nul', 'hello-header-truncated', 'hello-machine-none']
      .map((name) => `corpus/${name}`).concat(SYSTEM.slice(0, 2));
    const specs = await Promise.all(files.map((file) => runCli(['spec', file])));
    for (const [index, result] of specs.entries()) {
      expect(result.code, `${files[index]}: ${result.stderr}`).toBe(0);
      const document = JSON.parse(result.stdout) as unknown;
      expectValid(validateSpec, document, files[index]!);
      expect(specFromJson(document).ok).toBe(true);
    }
  });

  it('agrees with the generator on hand-written specs', () => {
    const accepted = [
      {},
      { $schema: 'x', ident: { class: 1, data: '2', pad: { text: 'hi' } }, header: { e_type: 'EXEC', e_machine: 'EM_386', e_entry: '0xffffffffffffffff' } },
      { segments: [{ p_type: 'LOAD', p_flags: 'R-X', p_vaddr: 4096, data: { hex: 'c3' }, withHeaders: true }, { p_type: 'PT_INTERP', p_flags: 5 }] },
      { sections: [{ name: '.text', sh_type: '0x1', sh_addralign: 16 }], raw: [{ offset: 0, hex: '7F454c46' }], size: 100 },
    ];
    const rejected = [
      { unknown: 1 },
      { header: { e_type: 'ET_NOPE' } },
      { header: { e_phnum: 65536 } },
      { header: { e_entry: -1 } },
      { header: { e_entry: 1.5 } },
      { ident: { class: 256 } },
      { ident: { magic: { hex: 'zz' } } },
      { segments: [{ p_flags: 'RWXX' }] },
      { segments: [{ p_offset: '12abc' }] },
      { sections: [{ sh_name: 'text' }] },
      { raw: [{ offset: 0 }] },
      { size: -1 },
    ];
    for (const document of accepted) {
      expectValid(validateSpec, document, JSON.stringify(document));
      expect(specFromJson(document).ok, JSON.stringify(document)).toBe(true);
    }
    for (const document of rejected) {
      expect(validateSpec(document), JSON.stringify(document)).toBe(false);
      expect(specFromJson(document).ok, JSON.stringify(document)).toBe(false);
    }
  });

  it('names every constant the generator accepts', () => {
    const names = (table: ReadonlyMap<number, string>, prefix: string) =>
      [...table.values()].flatMap((name) => (/^(0x[0-9a-f]+|\d+)$/i.test(name) ? [`${prefix}${name}`] : [`${prefix}${name}`, name]));
    expect(SPEC_SCHEMA.definitions['etName']!.enum).toEqual(names(ELF_TYPE_NAMES, 'ET_'));
    expect(SPEC_SCHEMA.definitions['emName']!.enum).toEqual(names(ELF_MACHINE_NAMES, 'EM_'));
    expect(SPEC_SCHEMA.definitions['ptName']!.enum).toEqual(names(PT_NAMES, 'PT_'));
  });
});
