// Real binaries of every Debian architecture (`npm run test:multiarch`): every ELF file
// under the cache that scripts/multiarch-fetch.mjs fills (busybox-static, libc6 and
// libc6-dev of each architecture, unpacked, plus x32 files gcc builds) goes through the
// built CLI in JSON mode, with --machine set to the file's architecture. Per file:
//   - no finding of severity error;
//   - elf.class, elf.data, elf.type and elf.machine agree with what `readelf -h` says;
//   - the loader verdict is `runs` or `not-applicable`.
// All failures are collected and reported in one message, grouped by check and
// architecture, so one run shows everything. Skipped when the cache is empty.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELF_MACHINE_NAMES, ELF_TYPE_NAMES } from '../../src/model/constants.js';

const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

/** $ELF_LINT_MULTIARCH_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/elf-lint/multiarch (as the fetch script). */
function cacheDirectory(): string {
  if (process.env.ELF_LINT_MULTIARCH_CACHE) return process.env.ELF_LINT_MULTIARCH_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'elf-lint', 'multiarch');
}
const CACHE = cacheDirectory();

/** Debian architecture (the cache's top-level directory) -> the CLI's --machine value. */
const MACHINE_OPTION: Readonly<Record<string, string>> = {
  amd64: 'x86_64', i386: 'i386', arm64: 'aarch64', armel: 'arm', armhf: 'arm', mips64el: 'mips64el',
  mipsel: 'mipsel', ppc64el: 'ppc64le', riscv64: 'riscv64', s390x: 's390x', x32: 'x86_64',
};

/** readelf's Machine: text (binutils' get_machine_name) -> e_machine. */
const READELF_MACHINES: ReadonlyMap<string, number> = new Map([
  ['Advanced Micro Devices X86-64', 62], ['Intel 80386', 3], ['Intel MCU', 6], ['AArch64', 183], ['ARM', 40],
  ['MIPS R3000', 8], ['MIPS R4000 big-endian', 10], ['PowerPC', 20], ['PowerPC64', 21], ['IBM S/390', 22],
  ['RISC-V', 243], ['LoongArch', 258], ['Sparc', 2], ['Sparc v9', 43], ['Sparc v8+', 18], ['MC68000', 4],
  ['HPPA', 15], ['Alpha', 41], ['Renesas / SuperH SH', 42], ['Intel IA-64', 50], ['None', 0],
]);

const ACCEPTED_VERDICTS = new Set(['runs', 'not-applicable']);
/** Files that are programs whatever else is accepted: busybox-static, and the x32 programs gcc linked. */
const MUST_RUN = /\/busybox-static\/bin\/busybox$|\/x32\/hello-(pie|nopie|static)$/;
const BATCH = 150;
const WORKERS = 2;
const EXAMPLES = 3;

interface ReadelfHeader { class: string; data: string; type: string; machine: string }
interface JsonFinding { rule: string; severity: string; message: string }
interface JsonReport {
  path: string;
  elf: { class: string; data: string; type: string; machine: string } | null;
  findings: JsonFinding[];
  loader: { verdict: string; reason: string; because: string[] } | null;
  error?: string;
}
interface Failure { arch: string; check: string; path: string; detail: string }

function hasElfMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** Regular files (not symlinks) that start with the ELF magic, sorted; the fetch script's staging entries are skipped. */
function elfFilesUnder(directory: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.partial') || (depth < 2 && name.startsWith('.'))) continue;
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path, depth + 1);
      else if (stats.isFile() && stats.size >= 4 && hasElfMagic(path)) found.push(path);
    }
  };
  if (existsSync(directory)) walk(directory, 0);
  return found;
}

function run(command: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      const spawnError = error && typeof error.code === 'string' ? `${error.code}: ${error.message}` : undefined;
      resolve({ code, stdout, stderr, ...(spawnError ? { error: spawnError } : {}) });
    });
  });
}

/** `readelf -h -W` on a batch; with several files readelf heads each with `File: PATH`. */
async function readelfHeaders(files: readonly string[]): Promise<Map<string, ReadelfHeader>> {
  const result = await run('readelf', ['-h', '-W', ...files]);
  if (result.error) throw new Error(`readelf could not run (install binutils): ${result.error}`);
  const headers = new Map<string, ReadelfHeader>();
  let current: string | undefined = files.length === 1 ? files[0] : undefined;
  let fields: Record<string, string> = {};
  const flush = () => {
    if (current !== undefined && fields.Class !== undefined) {
      headers.set(current, { class: fields.Class, data: fields.Data ?? '', type: fields.Type ?? '', machine: fields.Machine ?? '' });
    }
    fields = {};
  };
  for (const line of result.stdout.split('\n')) {
    const file = /^File: (.*)$/.exec(line);
    if (file) {
      flush();
      current = file[1];
      continue;
    }
    const field = /^ {2}(Class|Data|Type|Machine):\s+(.*?)\s*$/.exec(line);
    if (field && fields[field[1]!] === undefined) fields[field[1]!] = field[2]!;
  }
  flush();
  return headers;
}

/** What the JSON should say, in its vocabulary (src/report/file-report.ts), or why readelf's text has no mapping. */
function expectedFromReadelf(header: ReadelfHeader): { class: string; data: string; type: string; machine: string } | string {
  const elfClass = /^ELF(32|64)$/.test(header.class) ? header.class : undefined;
  const data = /little endian/.test(header.data) ? 'LSB' : /big endian/.test(header.data) ? 'MSB' : undefined;
  const typeWord = /^(NONE|REL|EXEC|DYN|CORE)\b/.exec(header.type)?.[1];
  const typeValue = typeWord === undefined ? undefined : [...ELF_TYPE_NAMES].find(([, name]) => name === typeWord)?.[0];
  const unknown = /^<unknown>: 0x([0-9a-f]+)$/i.exec(header.machine);
  const machineValue = unknown ? Number.parseInt(unknown[1]!, 16) : READELF_MACHINES.get(header.machine);
  if (elfClass === undefined) return `readelf Class "${header.class}" not mapped`;
  if (data === undefined) return `readelf Data "${header.data}" not mapped`;
  if (typeValue === undefined) return `readelf Type "${header.type}" not mapped`;
  if (machineValue === undefined) return `readelf Machine "${header.machine}" not mapped`;
  const hex = (value: number) => `0x${value.toString(16)}`;
  return {
    class: elfClass, data,
    type: ELF_TYPE_NAMES.get(typeValue) ?? hex(typeValue),
    machine: ELF_MACHINE_NAMES.get(machineValue) ?? hex(machineValue),
  };
}

const archOf = (path: string) => relative(CACHE, path).split(sep)[0]!;
const shown = (path: string) => relative(CACHE, path);
const oneLine = (text: string) => text.trim().split('\n').filter(Boolean).slice(-2).join(' | ').slice(0, 300);

interface CliOutcome { reports: Map<string, JsonReport>; problems: Failure[] }

/** The CLI on a batch of files of one architecture; a batch that crashes is split until the culprits are single files. */
async function lintBatch(arch: string, files: readonly string[], machine: string | undefined): Promise<CliOutcome> {
  const args = [CLI, 'lint', '--format', 'json', '--fail-on', 'error', ...(machine ? ['--machine', machine] : []), ...files];
  const result = await run(process.execPath, args);
  let parsed: { files?: JsonReport[] } | undefined;
  try {
    parsed = JSON.parse(result.stdout) as { files?: JsonReport[] };
  } catch {
    parsed = undefined;
  }
  if (parsed?.files && [0, 1, 2].includes(result.code ?? -1)) {
    return { reports: new Map(parsed.files.map((report) => [report.path, report])), problems: [] };
  }
  if (files.length > 1) {
    const half = Math.ceil(files.length / 2);
    const [first, second] = await Promise.all([lintBatch(arch, files.slice(0, half), machine), lintBatch(arch, files.slice(half), machine)]);
    return { reports: new Map([...first.reports, ...second.reports]), problems: [...first.problems, ...second.problems] };
  }
  const detail = `exit ${result.code}${result.error ? ` (${result.error})` : ''}: ${oneLine(result.stderr) || 'no JSON on stdout'}`;
  return { reports: new Map(), problems: [{ arch, check: 'cli: crashed or printed no JSON', path: files[0]!, detail }] };
}

/** Runs jobs at most `limit` at a time. */
async function pool<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function checkFile(arch: string, path: string, header: ReadelfHeader | undefined, report: JsonReport | undefined): Failure[] {
  const failures: Failure[] = [];
  const fail = (check: string, detail: string) => failures.push({ arch, check, path, detail });
  if (!report) {
    fail('cli: no report for the file', 'the JSON has no entry with this path');
    return failures;
  }
  if (report.error !== undefined) fail('cli: unreadable', report.error);
  if (!report.elf) fail('elf: null (not recognised as ELF)', 'elf is null');
  for (const finding of report.findings) {
    if (finding.severity === 'error') fail(`finding: ${finding.rule}`, finding.message);
  }
  if (!header) {
    fail('readelf: no header', 'readelf -h printed no header for the file');
  } else if (report.elf) {
    const expected = expectedFromReadelf(header);
    if (typeof expected === 'string') {
      fail('readelf: text not mapped (harness)', expected);
    } else {
      for (const key of ['class', 'data', 'type', 'machine'] as const) {
        if (report.elf[key] !== expected[key]) fail(`elf.${key}: readelf ${expected[key]}, elf-lint ${report.elf[key]}`, `readelf "${header[key]}"`);
      }
    }
  }
  const verdict = report.loader?.verdict ?? 'none';
  // A program the loader model cannot place is a false verdict even if accepted in general:
  // busybox-static and the linked x32 programs are programs of their architecture and must run.
  if (MUST_RUN.test(report.path) && verdict !== 'runs') {
    fail(`loader.verdict: ${verdict} for a program`, report.loader?.reason ?? 'no loader verdict');
  } else if (!ACCEPTED_VERDICTS.has(verdict)) {
    const because = report.loader?.because.length ? ` [${report.loader.because.join(', ')}]` : '';
    fail(`loader.verdict: ${verdict}`, `${report.loader?.reason ?? 'no loader verdict'}${because}`);
  }
  return failures;
}

/** Failures grouped by check, then architecture: counts and a few example paths. */
function formatFailures(failures: readonly Failure[]): string {
  const byCheck = new Map<string, Map<string, Failure[]>>();
  for (const failure of failures) {
    const byArch = byCheck.get(failure.check) ?? new Map<string, Failure[]>();
    byCheck.set(failure.check, byArch);
    byArch.set(failure.arch, [...(byArch.get(failure.arch) ?? []), failure]);
  }
  const lines: string[] = [];
  const checks = [...byCheck].sort(([a], [b]) => a.localeCompare(b));
  for (const [check, byArch] of checks) {
    const files = (list: readonly Failure[]) => new Set(list.map((failure) => failure.path)).size;
    lines.push(`${check}: ${files([...byArch.values()].flat())} file(s)`);
    for (const [arch, list] of [...byArch].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${arch}: ${files(list)}`);
      for (const example of list.slice(0, EXAMPLES)) lines.push(`    ${shown(example.path)}: ${example.detail.slice(0, 200)}`);
    }
  }
  return lines.join('\n');
}

const FILES = elfFilesUnder(CACHE);
if (FILES.length === 0) {
  console.log(`multiarch: skipped, no ELF files under ${CACHE}; run \`node scripts/multiarch-fetch.mjs\` (or \`npm run test:multiarch\`) to fill it`);
}

describe.skipIf(FILES.length === 0)(`real binaries of every Debian architecture (${CACHE})`, () => {
  it('lint cleanly, with the class, data, type and machine readelf sees, and would run', async () => {
    expect(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`).toBe(true);
    const byArch = new Map<string, string[]>();
    for (const path of FILES) byArch.set(archOf(path), [...(byArch.get(archOf(path)) ?? []), path]);

    const batches: { arch: string; files: string[] }[] = [];
    for (const [arch, files] of byArch) {
      for (let start = 0; start < files.length; start += BATCH) batches.push({ arch, files: files.slice(start, start + BATCH) });
    }
    const headers = new Map<string, ReadelfHeader>();
    for (const found of await pool(batches.map((batch) => () => readelfHeaders(batch.files)), WORKERS)) {
      for (const [path, header] of found) headers.set(path, header);
    }

    // A --machine value the CLI rejects (usage error, exit 3) is one failure per file of that
    // architecture; the files are then linted without --machine so the other checks still run.
    const failures: Failure[] = [];
    const rejected = new Map<string, string>();
    const reports = new Map<string, JsonReport>();
    for (const [arch] of byArch) {
      const machine = MACHINE_OPTION[arch];
      if (!machine) continue;
      const probe = await run(process.execPath, [CLI, 'lint', '--format', 'json', '--machine', machine, byArch.get(arch)![0]!]);
      if (probe.code === 3) rejected.set(arch, oneLine(probe.stderr));
    }
    const outcomes = await pool(batches.map((batch) => () => {
      const machine = rejected.has(batch.arch) ? undefined : MACHINE_OPTION[batch.arch];
      return lintBatch(batch.arch, batch.files, machine);
    }), WORKERS);
    for (const outcome of outcomes) {
      failures.push(...outcome.problems);
      for (const [path, report] of outcome.reports) reports.set(path, report);
    }

    const rows: string[] = [];
    for (const [arch, files] of [...byArch].sort(([a], [b]) => a.localeCompare(b))) {
      const machine = MACHINE_OPTION[arch];
      if (!machine) failures.push(...files.map((path) => ({ arch, check: 'harness: unknown architecture directory', path, detail: 'linted without --machine' })));
      if (rejected.has(arch)) {
        failures.push(...files.map((path) => ({ arch, check: `cli: --machine ${machine} rejected (then linted without --machine)`, path, detail: rejected.get(arch)! })));
      }
      const verdicts = new Map<string, number>();
      const identities = new Map<string, number>();
      for (const path of files) {
        const report = reports.get(path);
        failures.push(...checkFile(arch, path, headers.get(path), report));
        const verdict = report?.loader?.verdict ?? 'none';
        verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
        const identity = report?.elf ? `${report.elf.class}/${report.elf.data}/${report.elf.machine}` : 'no-elf';
        identities.set(identity, (identities.get(identity) ?? 0) + 1);
      }
      const failing = new Set(failures.filter((failure) => failure.arch === arch).map((failure) => failure.path)).size;
      const list = (counts: Map<string, number>) => [...counts].map(([key, count]) => `${key} ${count}`).join(', ');
      rows.push(`${arch.padEnd(9)} ${String(files.length).padStart(4)} files, ${String(failing).padStart(4)} failing` +
        `${rejected.has(arch) ? ' (--machine rejected)' : ''}; verdicts: ${list(verdicts)}; elf-lint sees: ${list(identities)}`);
    }
    const summary = `multiarch: ${FILES.length} ELF files under ${CACHE}\n${rows.join('\n')}`;
    console.log(summary);

    const message = failures.length === 0 ? '' : `${failures.length} failure(s) in ${new Set(failures.map((f) => f.path)).size} file(s), by check and architecture:\n${formatFailures(failures)}`;
    try {
      writeFileSync(join(CACHE, 'last-report.txt'), `${summary}\n\n${message || 'no failures'}\n`);
    } catch {
      // the report copy is a convenience; a read-only cache is fine
    }
    expect(failures.length, `\n${message}\n(also in ${join(CACHE, 'last-report.txt')})`).toBe(0);
  });
});
