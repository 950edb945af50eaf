// Fetching a guest kernel: Debian's package, found with apt-cache, downloaded
// with `apt-get download` and unpacked with `dpkg-deb -x` into a cache. Only
// the kernel image is kept. apt runs with a private state per architecture
// (its own package lists under the cache, the system's sources, or Debian
// suites of our own for an architecture the machine's release lacks), so the
// machine's dpkg architectures, apt sources and lists are left alone.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { choosePackage, packagePattern, type GuestArch, type KernelSpec } from './spec.js';
import { makeDirectories } from '../directories.js';

export interface KernelImage {
  readonly package: string;
  readonly version: string;
  /** The kernel release the package installs (`uname -r` in the guest). */
  readonly release: string;
  readonly vmlinuz: string;
}

export interface CommandResult {
  /** null when the command could not be started (then `output` says why). */
  readonly status: number | null;
  readonly output: string;
}

/** Runs a command to its end; its output (stdout and stderr, the last 64 KiB) comes back with the status. */
export function runCommand(command: string, args: readonly string[], options: { readonly cwd?: string } = {}): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' } });
    let output = '';
    const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-65536); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => resolvePromise({ status: null, output: `cannot run ${command}: ${error.message}` }));
    child.on('close', (code) => resolvePromise({ status: code, output }));
  });
}

/** $ELF_LINT_KERNEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/elf-lint/kernels. */
export function kernelCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ELF_LINT_KERNEL_CACHE) return env.ELF_LINT_KERNEL_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'elf-lint', 'kernels');
}

const lastLine = (text: string): string => text.trim().split('\n').filter(Boolean).at(-1) ?? '';

/** The Debian archive and its signing keys, for suites the machine's sources do not name. */
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

async function aptOptions(cache: string, arch: GuestArch): Promise<string[]> {
  const state = join(cache, `apt-${arch.debian}`);
  for (const dir of ['lists/partial', 'cache/archives/partial']) makeDirectories(join(state, dir));
  const sources: string[] = [];
  if (arch.suites) {
    const parts = join(state, 'sources.list.d');
    makeDirectories(parts);
    const stanza = `Types: deb\nURIs: ${DEBIAN_MIRROR}\nSuites: ${arch.suites.join(' ')}\nComponents: main\nSigned-By: ${DEBIAN_KEYRING}\n`;
    await writeFile(join(parts, 'debian.sources'), stanza);
    sources.push('-o', 'Dir::Etc::SourceList=/dev/null', '-o', `Dir::Etc::SourceParts=${parts}`);
  }
  return [
    '-o', `Dir::State::Lists=${join(state, 'lists')}`, '-o', `Dir::Cache=${join(state, 'cache')}`,
    '-o', `APT::Architecture=${arch.debian}`, '-o', `APT::Architectures::=${arch.debian}`,
    ...sources,
    // As root apt would download as _apt, which cannot write into our cache.
    '-o', 'APT::Sandbox::User=root',
  ];
}

async function hasLists(cache: string, arch: string): Promise<boolean> {
  try {
    return (await readdir(join(cache, `apt-${arch}`, 'lists'))).some((name) => /_Packages(\.[a-z0-9]+)?$/.test(name));
  } catch {
    return false;
  }
}

export type Log = (line: string) => void;

/** The package names of the spec's series that apt knows, updating the private lists when there are none. */
async function searchPackages(spec: KernelSpec, cache: string, options: string[], log: Log, refresh: boolean): Promise<string[] | { error: string }> {
  if (refresh || !await hasLists(cache, spec.arch.debian)) {
    log(`apt-get update (package lists of ${spec.arch.debian} in ${join(cache, `apt-${spec.arch.debian}`)})`);
    const update = await runCommand('apt-get', [...options, 'update', '-qq']);
    if (update.status === null) return { error: `apt-get is not available: ${update.output} (guest kernels come from Debian's packages)` };
    // A source that fails (a mirror mid-sync, an unreachable third-party source) is not fatal: the others are used.
    if (!await hasLists(cache, spec.arch.debian)) return { error: `apt-get update fetched no package list for ${spec.arch.debian}: ${lastLine(update.output)}` };
  }
  const search = await runCommand('apt-cache', [...options, 'search', '--names-only', packagePattern(spec)]);
  if (search.status !== 0) return { error: `apt-cache search failed: ${lastLine(search.output)}` };
  return search.output.split('\n').map((line) => line.split(' - ')[0]!.trim()).filter(Boolean);
}

/**
 * The kernel image of the spec, from the cache or downloaded into it. The newest matching build in
 * the configured mirror is used; the lists are refreshed once when they name none or when the
 * mirror no longer has the file they name.
 */
export async function fetchKernel(spec: KernelSpec, cache: string, log: Log): Promise<KernelImage | { readonly error: string }> {
  let options: string[];
  try {
    options = await aptOptions(cache, spec.arch);
  } catch (error) {
    return { error: `cannot use the kernel cache ${cache} ($ELF_LINT_KERNEL_CACHE): ${error instanceof Error ? error.message : String(error)}` };
  }
  let refreshed = false;
  for (;;) {
    const names = await searchPackages(spec, cache, options, log, false);
    if ('error' in names) return names;
    const name = choosePackage(spec, names);
    if (!name) {
      if (!refreshed) {
        refreshed = true;
        const again = await searchPackages(spec, cache, options, log, true);
        if ('error' in again) return again;
        if (choosePackage(spec, again)) continue;
      }
      return { error: `the configured Debian mirror has no kernel package for ${spec.text} (searched: ${packagePattern(spec)})` };
    }
    const got = await cachedOrDownloaded(spec, name, cache, options, log);
    if (!('retry' in got)) return got;
    if (refreshed) return { error: got.retry };
    refreshed = true;
    await searchPackages(spec, cache, options, log, true);
  }
}

const MARKER = 'elf-lint-kernel.json';

async function readMarker(directory: string): Promise<KernelImage | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(directory, MARKER), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { package: pkg, version, release } = parsed as Record<string, unknown>;
    if (typeof pkg !== 'string' || typeof version !== 'string' || typeof release !== 'string') return undefined;
    const vmlinuz = join(directory, 'vmlinuz');
    return existsSync(vmlinuz) ? { package: pkg, version, release, vmlinuz } : undefined;
  } catch {
    return undefined;
  }
}

async function cachedOrDownloaded(
  spec: KernelSpec, name: string, cache: string, options: string[], log: Log,
): Promise<KernelImage | { readonly error: string } | { readonly retry: string }> {
  const directory = join(cache, name);
  const cached = await readMarker(directory);
  if (cached) return cached;
  const scratch = await mkdtemp(join(cache, '.download-'));
  try {
    log(`apt-get download ${name}:${spec.arch.debian}`);
    const download = await runCommand('apt-get', [...options, 'download', '-q', `${name}:${spec.arch.debian}`], { cwd: scratch });
    const deb = (await readdir(scratch)).find((file) => file.endsWith('.deb'));
    if (download.status !== 0 || !deb) {
      const why = `apt-get download ${name} failed: ${lastLine(download.output)}`;
      // Lists older than the mirror name files it no longer has.
      return /404|Failed to fetch|Unable to locate|no installation candidate/.test(download.output) ? { retry: why } : { error: why };
    }
    const version = decodeURIComponent(deb.split('_')[1] ?? '');
    const unpacked = join(scratch, 'root');
    const unpack = await runCommand('dpkg-deb', ['-x', join(scratch, deb), unpacked]);
    if (unpack.status !== 0) return { error: `dpkg-deb -x ${deb} failed: ${lastLine(unpack.output)}` };
    // riscv64's image is boot/vmlinux-*, the others' boot/vmlinuz-*; qemu boots either.
    const image = (await readdir(join(unpacked, 'boot')).catch(() => [])).find((file) => /^vmlinu[xz]-/.test(file));
    if (!image) return { error: `${deb} holds no boot/vmlinuz-* or boot/vmlinux-*` };
    const release = image.slice('vmlinuz-'.length);
    const staged = join(scratch, 'kernel');
    await mkdir(staged);
    await rename(join(unpacked, 'boot', image), join(staged, 'vmlinuz'));
    await writeFile(join(staged, MARKER), `${JSON.stringify({ package: name, version, release }, null, 2)}\n`);
    await rm(directory, { recursive: true, force: true });
    await rename(staged, directory);
    return { package: name, version, release, vmlinuz: join(directory, 'vmlinuz') };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
