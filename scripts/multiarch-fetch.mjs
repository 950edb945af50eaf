// `node scripts/multiarch-fetch.mjs`: real binaries of every Debian architecture for
// test/multiarch. Downloads busybox-static, libc6 and libc6-dev of each architecture
// with `apt-get download` and unpacks each into <cache>/<arch>/<package>/; builds x32
// objects and programs with gcc-multilib into <cache>/x32/.
//
// The cache is $ELF_LINT_MULTIARCH_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/elf-lint/multiarch.
// Idempotent: what is already unpacked or built is skipped. An architecture the configured
// Debian mirror does not carry (riscv64 is not a bookworm architecture) is reported and
// skipped, not an error. Exit 1 only when a package the mirror has could not be fetched
// or unpacked. Foreign packages come through a private apt state under <cache>/.apt (the
// system's sources, its own lists): the machine's dpkg architectures and apt lists are left
// alone. Installing gcc-multilib for x32 needs root.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ARCHITECTURES = ['amd64', 'i386', 'arm64', 'armel', 'armhf', 'mips64el', 'mipsel', 'ppc64el', 'riscv64', 's390x'];
const PACKAGES = ['busybox-static', 'libc6', 'libc6-dev'];
const MARKER = '.elf-lint-unpacked';

function cacheDirectory(env = process.env) {
  if (env.ELF_LINT_MULTIARCH_CACHE) return env.ELF_LINT_MULTIARCH_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'elf-lint', 'multiarch');
}

const say = (line) => console.log(`multiarch: ${line}`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return { ok: result.status === 0, status: result.status, output: result.error ? String(result.error.message) : output };
}

const lastLines = (text, count = 3) => text.split('\n').filter(Boolean).slice(-count).join(' | ');

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * apt options for a private apt state under <cache>/.apt: package lists and downloads of every
 * architecture we want, from the system's configured sources, without `dpkg --add-architecture`.
 * (Foreign architectures added system-wide make every later `apt-get update` of this machine
 * fetch their indexes too, and exit 100 whenever one of them fails, e.g. a mirror mid-sync.)
 */
function aptOptions(cache, native) {
  const state = join(cache, '.apt');
  for (const dir of ['lists/partial', 'cache/archives/partial']) mkdirSync(join(state, dir), { recursive: true });
  return [
    '-o', `Dir::State::Lists=${join(state, 'lists')}`, '-o', `Dir::Cache=${join(state, 'cache')}`,
    '-o', `APT::Architecture=${native}`, ...ARCHITECTURES.flatMap((arch) => ['-o', `APT::Architectures::=${arch}`]),
    // As root apt would drop to _apt, which cannot write the cache: download as root.
    '-o', 'APT::Sandbox::User=root',
  ];
}

/** Architectures listed by the Release files of the configured suites (empty before the first update). */
function mirrorArchitectures(lists) {
  const found = new Set();
  if (!existsSync(lists)) return found;
  for (const name of readdirSync(lists)) {
    if (!/_(In)?Release$/.test(name)) continue;
    const match = /^Architectures:(.*)$/m.exec(readFileSync(join(lists, name), 'latin1'));
    for (const arch of match?.[1]?.trim().split(/\s+/) ?? []) found.add(arch);
  }
  return found;
}

/** Whether the private lists hold a package index of that architecture. */
function hasPackageIndex(lists, arch) {
  return existsSync(lists) && readdirSync(lists).some((name) => name.includes(`_binary-${arch}_Packages`));
}

function fetchPackages(cache) {
  const failures = [];
  const missingArchitectures = new Map(); // arch -> why
  const pending = [];
  for (const arch of ARCHITECTURES) {
    for (const pkg of PACKAGES) {
      const marker = join(cache, arch, pkg, MARKER);
      if (existsSync(marker)) say(`${arch}/${pkg} ${readFileSync(marker, 'utf8').trim()}: already unpacked`);
      else pending.push({ arch, pkg });
    }
  }
  if (pending.length === 0) return { failures, missingArchitectures };
  if (!has('apt-get') || !has('dpkg-deb')) {
    say(`apt-get or dpkg-deb is not installed (not a Debian system?): ${pending.length} package(s) not fetched`);
    return { failures, missingArchitectures };
  }

  const options = aptOptions(cache, run('dpkg', ['--print-architecture']).output || 'amd64');
  const lists = join(cache, '.apt', 'lists');
  let updated = false;
  const update = () => {
    updated = true;
    say(`apt-get update (private lists in ${lists}, architectures ${ARCHITECTURES.join(' ')})`);
    const result = run('apt-get', [...options, 'update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    // A failed index (typically a security suite mid-sync) is not fatal: the others are still used.
    if (!result.ok) say(`apt-get update reported errors (status ${result.status}), going on with what it fetched: ${lastLines(result.output)}`);
  };
  let mirror = mirrorArchitectures(lists);
  const pendingArchs = [...new Set(pending.map((item) => item.arch))];
  if (mirror.size === 0 || pendingArchs.some((arch) => mirror.has(arch) && !hasPackageIndex(lists, arch))) {
    update();
    mirror = mirrorArchitectures(lists);
  }

  const downloads = join(cache, '.download');
  rmSync(downloads, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  // Each apt-get run builds its package cache of every architecture's lists (seconds):
  // everything in one call, one call per package only to sort out a failure.
  const download = (items) => run('apt-get', [...options, 'download', '-q', ...items.map(({ pkg, arch }) => `${pkg}:${arch}`)], { cwd: downloads });
  const debOf = (pkg, arch) => readdirSync(downloads).find((name) => name.startsWith(`${pkg}_`) && name.endsWith(`_${arch}.deb`));
  const wanted = [];
  for (const { arch, pkg } of pending) {
    if (mirror.size > 0 && !mirror.has(arch)) {
      missingArchitectures.set(arch, `the mirror's Release files list only: ${[...mirror].sort().join(' ')}`);
      say(`${arch}/${pkg}: skipped, architecture ${arch} is not in the configured mirror (${missingArchitectures.get(arch)})`);
    } else {
      wanted.push({ arch, pkg });
    }
  }
  if (wanted.length > 0) {
    let all = download(wanted);
    // Lists older than the mirror name .debs it no longer has: refresh once and retry.
    if (!all.ok && !updated && /404|Failed to fetch|Unable to locate/.test(all.output)) {
      update();
      all = download(wanted);
    }
    if (!all.ok) say(`apt-get download of ${wanted.length} packages failed, retrying one by one: ${lastLines(all.output, 1)}`);
  }
  for (const { arch, pkg } of wanted) {
    let fetched = { ok: true, status: 0, output: '', deb: debOf(pkg, arch) };
    if (!fetched.deb) fetched = { ...download([{ pkg, arch }]), deb: undefined };
    fetched.deb ??= debOf(pkg, arch);
    if (!fetched.ok || !fetched.deb) {
      if (/Unable to locate package|has no installation candidate|Can't select candidate version/.test(fetched.output)) {
        if (!hasPackageIndex(lists, arch)) {
          missingArchitectures.set(arch, 'apt got no package index for it');
          say(`${arch}/${pkg}: skipped, architecture ${arch} is not in the configured mirror (${missingArchitectures.get(arch)})`);
        } else {
          say(`${arch}/${pkg}: skipped, the mirror has no ${pkg} for ${arch}: ${lastLines(fetched.output, 1)}`);
        }
        continue;
      }
      failures.push(`${arch}/${pkg}`);
      say(`${arch}/${pkg}: apt-get download FAILED (status ${fetched.status}): ${lastLines(fetched.output)}`);
      continue;
    }
    const debPath = join(downloads, fetched.deb);
    const version = run('dpkg-deb', ['-f', debPath, 'Version']).output;
    const target = join(cache, arch, pkg);
    const staging = join(cache, arch, `.${pkg}.partial`);
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const unpack = run('dpkg-deb', ['-x', debPath, staging]);
    if (!unpack.ok) {
      failures.push(`${arch}/${pkg}`);
      say(`${arch}/${pkg}: dpkg-deb -x FAILED: ${lastLines(unpack.output)}`);
      rmSync(staging, { recursive: true, force: true });
      continue;
    }
    writeFileSync(join(staging, MARKER), `${version}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    say(`${arch}/${pkg} ${version}: downloaded and unpacked`);
  }
  rmSync(downloads, { recursive: true, force: true });
  // The package indexes (over 100 MB) are needed only to fetch again; the Release files stay,
  // so a later run still knows which architectures the mirror lacks without an update.
  if (failures.length === 0) {
    for (const name of readdirSync(lists)) if (name.includes('_Packages')) rmSync(join(lists, name), { force: true });
    rmSync(join(cache, '.apt', 'cache'), { recursive: true, force: true });
  }
  return { failures, missingArchitectures };
}

const X32_SOURCE = `#include <stdio.h>
int counter;
static const char greeting[] = "hello from x32";
int twice(int x) { return 2 * x; }
int main(void) { printf("%s %d\\n", greeting, twice(counter + 21)); return 0; }
`;

/** name -> extra gcc flags; `hello.o` is the object, the rest are linked. */
const X32_VARIANTS = [
  ['hello.o', ['-c']],
  ['hello-pie', ['-pie', '-fPIE']],
  ['hello-nopie', ['-no-pie']],
  ['hello-static', ['-static']],
  ['libhello.so', ['-shared', '-fPIC']],
];

function buildX32(cache) {
  const directory = join(cache, 'x32');
  const notes = [];
  if (!has('gcc')) {
    say('x32: gcc is not installed, nothing built');
    return notes;
  }
  if (X32_VARIANTS.every(([name]) => existsSync(join(directory, name)))) {
    for (const [name] of X32_VARIANTS) say(`x32/${name}: already built`);
    return notes;
  }
  mkdirSync(directory, { recursive: true });
  const source = join(directory, 'hello.c');
  writeFileSync(source, X32_SOURCE);
  const probe = join(directory, '.probe.o');
  let compiles = run('gcc', ['-mx32', '-c', '-o', probe, source]).ok;
  if (!compiles) {
    const installed = run('dpkg-query', ['-W', '-f=${Status}', 'gcc-multilib']).output.includes('install ok installed');
    if (installed) {
      say('x32: gcc-multilib is installed but gcc -mx32 -c fails');
    } else if (!has('apt-get')) {
      say('x32: gcc -mx32 -c fails and apt-get is not there to install gcc-multilib');
    } else {
      say('x32: installing gcc-multilib with apt-get');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      let install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'gcc-multilib'], { env });
      if (!install.ok && /Unable to locate|no installation candidate/.test(install.output)) {
        run('apt-get', ['update', '-qq'], { env });
        install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'gcc-multilib'], { env });
      }
      say(install.ok ? 'x32: gcc-multilib installed' : `x32: installing gcc-multilib FAILED: ${lastLines(install.output)}`);
      if (!install.ok) notes.push('gcc-multilib could not be installed');
    }
    compiles = run('gcc', ['-mx32', '-c', '-o', probe, source]).ok;
  }
  rmSync(probe, { force: true });
  if (!compiles) {
    say('x32: gcc -mx32 -c does not work here, no x32 files built');
    notes.push('gcc -mx32 unavailable');
    return notes;
  }
  for (const [name, flags] of X32_VARIANTS) {
    const output = join(directory, name);
    if (existsSync(output)) {
      say(`x32/${name}: already built`);
      continue;
    }
    const built = run('gcc', ['-mx32', '-O1', ...flags, '-o', `${output}.partial`, source]);
    if (built.ok) {
      renameSync(`${output}.partial`, output);
      say(`x32/${name}: built (gcc -mx32 ${flags.join(' ')})`);
    } else {
      rmSync(`${output}.partial`, { force: true });
      // Linking needs libx32 (libc6-dev-x32, which gcc-multilib brings); -static needs its libc.a.
      say(`x32/${name}: not built (gcc -mx32 ${flags.join(' ')}): ${lastLines(built.output, 1)}`);
    }
  }
  return notes;
}

function main() {
  const cache = cacheDirectory();
  mkdirSync(cache, { recursive: true });
  say(`cache ${cache}`);
  const started = Date.now();
  const { failures, missingArchitectures } = fetchPackages(cache);
  buildX32(cache);
  if (missingArchitectures.size > 0) {
    say(`architectures missing from the configured mirror, skipped: ${[...missingArchitectures.keys()].join(', ')}`);
  }
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures.length > 0) {
    say(`FAILED to fetch or unpack: ${failures.join(', ')}`);
    process.exit(1);
  }
}

main();
