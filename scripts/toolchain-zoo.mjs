// `node scripts/toolchain-zoo.mjs DIR`: the toolchain zoo. Builds into DIR what gcc, ld and as
// make of one small C program (a global, a function pointer, TLS, a string function that
// _FORTIFY_SOURCE wraps) with every kind of option that changes the file's layout: static,
// static PIE, shared, relocatable, object, RELRO, gc-sections, compressed debug, hash styles,
// separate code, hardening, CET, no PIE, executable stack, RPATH/RUNPATH, gold, RELR, a separate
// debug file, a stripped copy; with gcc -m32 and -mx32 when the multilib links, with every cross
// gcc installed (/usr/bin/*-linux-gnu-gcc), and a tiny as + ld program for every binutils triplet.
//
// Each output is named after its recipe (`gcc-static`, `gcc-m32-shared.so`, `ld-aarch64-linux-gnu`).
// Deterministic (fixed sources, -ffile-prefix-map, no timestamps) and idempotent: an output that
// exists is kept; a recipe the toolchain cannot build leaves NAME.skipped with the reason, so a
// second run does nothing. Outputs are written under a temporary name and renamed.
// Also a module: buildZoo(dir) is what test/toolchain.test.ts and scripts/compare.mjs use.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The C program every gcc recipe builds. */
export const ZOO_SOURCE = `#include <stdio.h>
#include <string.h>

__thread int counter = 1;
int global_value = 42;
static int twice(int x) { return 2 * x; }
int (*volatile operation)(int) = twice;

int zoo_entry(const char *arg) {
  char buffer[16];
  strcpy(buffer, arg); /* __strcpy_chk with _FORTIFY_SOURCE */
  counter += operation(global_value);
  return (int)strlen(buffer) + counter;
}

int main(int argc, char **argv) {
  printf("%d\\n", zoo_entry(argc > 1 ? argv[1] : "zoo"));
  return 0;
}
`;

/** The program of the as + ld recipes: `nop` is a mnemonic on every binutils target we meet. */
const ASM_SOURCE = `\t.text
\t.globl _start
_start:
\tnop
\t.data
\t.globl value
value:
\t.long 42
`;

/**
 * gcc recipes: name, options, and what the output is (`.o`, `.so` or a program). `post` makes the
 * file from another recipe's output with binutils instead of gcc.
 */
const GCC_RECIPES = [
  { name: 'default', args: [] },
  { name: 'O2', args: ['-O2'] },
  { name: 'static', args: ['-static'] },
  { name: 'static-pie', args: ['-static-pie'] },
  { name: 'shared', args: ['-shared', '-fPIC'], ext: '.so' },
  { name: 'relocatable', args: ['-r'], ext: '.o' },
  { name: 'object', args: ['-c'], ext: '.o' },
  { name: 'relro-now', args: ['-Wl,-z,relro', '-Wl,-z,now'] },
  { name: 'norelro', args: ['-Wl,-z,norelro'] },
  { name: 'gc-sections', args: ['-ffunction-sections', '-fdata-sections', '-Wl,--gc-sections'] },
  { name: 'debug-gz', args: ['-g', '-gz'] },
  { name: 'debug', args: ['-g'] },
  { name: 'hash-both', args: ['-Wl,--hash-style=both'] },
  { name: 'hash-sysv', args: ['-Wl,--hash-style=sysv'] },
  { name: 'separate-code', args: ['-Wl,-z,separate-code'] },
  { name: 'noseparate-code', args: ['-Wl,-z,noseparate-code'] },
  { name: 'fortify', args: ['-fstack-protector-strong', '-D_FORTIFY_SOURCE=2', '-O2'] },
  { name: 'cf-protection', args: ['-fcf-protection=full'] },
  { name: 'no-pie', args: ['-no-pie'] },
  { name: 'static-no-pie', args: ['-static', '-no-pie'] },
  { name: 'noexecstack', args: ['-Wl,-z,noexecstack'] },
  { name: 'execstack', args: ['-Wl,-z,execstack'] },
  { name: 'rpath', args: ['-Wl,--disable-new-dtags,-rpath,/x'] },
  { name: 'runpath', args: ['-Wl,--enable-new-dtags,-rpath,/x'] },
  { name: 'relr', args: ['-Wl,-z,pack-relative-relocs'] },
  { name: 'gold', args: ['-fuse-ld=gold'] },
  { name: 'gold-static', args: ['-fuse-ld=gold', '-static'] },
  { name: 'debug-file', from: 'debug', ext: '.debug', post: (tools, input, output) => [tools.objcopy, ['--only-keep-debug', input, output]] },
  // The debug file's name and CRC go into .gnu_debuglink (after debug-file, which it names).
  { name: 'debuglink', from: 'debug', post: (tools, input, output, made) => [tools.objcopy, ['--strip-debug', `--add-gnu-debuglink=${made.get('debug-file') ?? input}`, input, output]] },
  { name: 'stripped', from: 'default', post: (tools, input, output) => [tools.strip, ['--strip-all', '-o', output, input]] },
  { name: 'shared-stripped', from: 'shared', ext: '.so', post: (tools, input, output) => [tools.strip, ['--strip-unneeded', '-o', output, input]] },
];

function run(command, args, cwd) {
  // A hung tool is killed (a link takes well under a second).
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', SOURCE_DATE_EPOCH: '0' } });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0, output: result.error ? String(result.error.message) : output };
}

function firstLines(text, count = 2) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, count).join(' | ') || 'no output';
}

function has(command) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/** The gcc version line: the zoo's cache key. */
export function gccVersion(gcc = 'gcc') {
  const result = run(gcc, ['--version']);
  return result.ok ? result.output.split('\n')[0] : undefined;
}

/** A key for a cache of zoo outputs: the gcc version, this file's recipes and sources. */
export function zooKey(gcc = 'gcc') {
  const self = readFileSync(fileURLToPath(import.meta.url));
  return createHash('sha256').update(`${gccVersion(gcc) ?? 'no gcc'}\0`).update(self).digest('hex').slice(0, 16);
}

/** The host's triplet as gcc names it (x86_64-linux-gnu). */
function hostTriplet() {
  const result = run('gcc', ['-dumpmachine']);
  return result.ok ? result.output.trim() : undefined;
}

/**
 * The compilers the zoo builds with: gcc, gcc -m32 and -mx32 on x86-64 hosts, and every
 * /usr/bin/<triplet>-gcc that is not the host's own. Each has the binutils that go with it.
 */
function compilers(skipped) {
  const host = hostTriplet();
  const list = [];
  if (!host) {
    skipped.push({ name: 'gcc-*', reason: 'gcc is not installed (gcc -dumpmachine failed)' });
  } else {
    const native = { prefix: 'gcc', gcc: 'gcc', flags: [], objcopy: 'objcopy', strip: 'strip' };
    list.push(native);
    if (host.startsWith('x86_64-')) {
      for (const flag of ['-m32', '-mx32']) list.push({ ...native, prefix: `gcc${flag}`, flags: [flag] });
    } else {
      skipped.push({ name: 'gcc-m32-*, gcc-mx32-*', reason: `the host gcc targets ${host}, not x86_64` });
    }
  }
  let names = [];
  try {
    names = readdirSync('/usr/bin');
  } catch {
    // no /usr/bin: no cross compilers
  }
  for (const name of names.sort()) {
    const match = /^([a-z0-9_]+(?:-[a-z0-9_]+)*-linux-gnu[a-z0-9_]*)-gcc$/.exec(name);
    if (!match || match[1] === host) continue;
    const triplet = match[1];
    const tool = (suffix) => (has(`${triplet}-${suffix}`) ? `${triplet}-${suffix}` : undefined);
    list.push({ prefix: triplet, gcc: name, flags: [], objcopy: tool('objcopy'), strip: tool('strip') });
  }
  return list;
}

/** The binutils triplets with both as and ld (/usr/bin/<triplet>-as), the host's plain as/ld first. */
function assemblers() {
  const list = [];
  const host = hostTriplet();
  if (has('as') && has('ld')) list.push({ prefix: `ld-${host ?? 'host'}`, as: 'as', ld: 'ld' });
  let names = [];
  try {
    names = readdirSync('/usr/bin');
  } catch {
    // no cross binutils
  }
  for (const name of names.sort()) {
    const match = /^(.+-linux-gnu[a-z0-9_]*)-as$/.exec(name);
    if (!match || match[1] === host || !has(`${match[1]}-ld`)) continue;
    list.push({ prefix: `ld-${match[1]}`, as: name, ld: `${match[1]}-ld` });
  }
  return list;
}

/**
 * Builds the zoo into `dir` (created if needed). Returns the outputs (existing or new) and the
 * recipes skipped with their reasons. `log` receives one line per new output or skip.
 */
export function buildZoo(dir, log = () => {}) {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'zoo.c'), ZOO_SOURCE);
  writeFileSync(join(root, 'zoo.s'), ASM_SOURCE);
  const outputs = [];
  const skipped = [];
  /** Makes `name` with `make(temporary path)` unless it or its .skipped marker exists. */
  const produce = (name, make) => {
    const path = join(root, name);
    const marker = `${path}.skipped`;
    if (existsSync(path)) return outputs.push({ name, path }), path;
    if (existsSync(marker)) {
      skipped.push({ name, reason: readFileSync(marker, 'utf8').trim() });
      return undefined;
    }
    const temporary = `${path}.${process.pid}.tmp`; // concurrent builders of one cache do not clash
    rmSync(temporary, { force: true });
    const reason = make(temporary);
    if (reason === undefined && existsSync(temporary)) {
      renameSync(temporary, path);
      outputs.push({ name, path });
      log(`built ${name}`);
      return path;
    }
    rmSync(temporary, { force: true });
    const why = reason ?? 'the tool wrote no output';
    writeFileSync(marker, `${why}\n`);
    skipped.push({ name, reason: why });
    log(`skipped ${name}: ${why}`);
    return undefined;
  };
  const tool = (command, args) => {
    const result = run(command, args, root);
    return result.ok ? undefined : `${command} failed: ${firstLines(result.output)}`;
  };
  const deterministic = [`-ffile-prefix-map=${root}=.`];

  for (const compiler of compilers(skipped)) {
    const probe = spawnSync(compiler.gcc, [...compiler.flags, '-x', 'c', '-', '-o', '/dev/null'], { cwd: root, timeout: 120_000, killSignal: 'SIGKILL', input: 'int main(void) { return 0; }\n', stdio: ['pipe', 'ignore', 'pipe'], encoding: 'utf8' });
    const links = probe.status === 0;
    const made = new Map();
    for (const recipe of GCC_RECIPES) {
      const name = `${compiler.prefix}-${recipe.name}${recipe.ext ?? ''}`;
      if (!links && !recipe.args?.includes('-c')) {
        const reason = `${compiler.gcc} ${compiler.flags.join(' ')} cannot link a program here (multilib or cross libc not installed): ${firstLines(probe.stderr ?? String(probe.error ?? ''))}`;
        skipped.push({ name, reason });
        continue;
      }
      if (recipe.post) {
        const input = made.get(recipe.from);
        if (!input) {
          skipped.push({ name, reason: `needs ${compiler.prefix}-${recipe.from}, which was not built` });
          continue;
        }
        if (!compiler.objcopy || !compiler.strip) {
          skipped.push({ name, reason: `no objcopy or strip for ${compiler.prefix}` });
          continue;
        }
        const path = produce(name, (output) => tool(...recipe.post(compiler, input, output, made)));
        if (path) made.set(recipe.name, path);
        continue;
      }
      const path = produce(name, (output) => tool(compiler.gcc, [...compiler.flags, ...deterministic, ...recipe.args, '-o', output, 'zoo.c']));
      if (path) made.set(recipe.name, path);
    }
  }

  for (const binutils of assemblers()) {
    const object = produce(`${binutils.prefix}-as.o`, (output) => tool(binutils.as, ['-o', output, 'zoo.s']));
    if (!object) continue;
    produce(binutils.prefix, (output) => tool(binutils.ld, ['-o', output, object]));
  }
  outputs.sort((a, b) => a.name.localeCompare(b.name));
  return { dir: root, outputs, skipped };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/toolchain-zoo.mjs DIR');
    process.exit(2);
  }
  const zoo = buildZoo(dir, (line) => console.log(`zoo: ${line}`));
  console.log(`zoo: ${zoo.outputs.length} outputs in ${zoo.dir}, ${zoo.skipped.length} recipes skipped`);
  for (const skip of zoo.skipped) console.log(`zoo: skipped ${skip.name}: ${skip.reason}`);
}
