// `--kernel SPEC`: which guest kernel executes the mutants. A spec names a
// Debian architecture and a kernel version, `amd64:6.1` (the newest 6.1 build
// the configured mirror has) or `amd64:6.1.0-57` (that build); the kernel is
// Debian's cloud flavour, which boots under qemu-system with a serial console.
import type { RunnerBuild } from '../executor.js';

/** An `/OPTION` of a spec. */
export interface GuestOption {
  readonly kernelArgs: readonly string[];
  /** The flavour the option needs instead of the architecture's (null: Debian's generic kernel, no flavour in the name). */
  readonly flavour?: string | null;
}

/** How one Debian architecture is run as a guest. */
export interface GuestArch {
  /** Debian's name, as in package names and `apt-get download pkg:ARCH`. */
  readonly debian: string;
  /** The elf-lint architecture profile (src/model/arch/) the guest's kernel is. */
  readonly profile: string;
  /** `uname -m` in the guest. */
  readonly unameMachine: string;
  readonly qemu: string;
  /** Debian package that holds `qemu`. */
  readonly qemuPackage: string;
  /** Machine options for qemu-system. */
  readonly machineArgs: readonly string[];
  /** The console the kernel and the runner share. */
  readonly console: string;
  /** How runner.c is built for it on an x86-64 Debian host, and the packages that build needs. */
  readonly build: RunnerBuild;
  readonly buildPackages: readonly string[];
  /** A file the cross build needs (the static C library of the cross sysroot), for a clear message when it is missing. */
  readonly buildNeeds?: string;
  /** The kernel flavour in the package name (`cloud` in linux-image-6.1.0-57-cloud-amd64); none for riscv64. */
  readonly flavour?: string;
  /**
   * Debian suites to fetch from instead of the machine's apt sources, for an architecture the
   * machine's release lacks (riscv64 is a release architecture from trixie on).
   */
  readonly suites?: readonly string[];
  /** Kernel command line words the model's assumptions for this guest rely on. */
  readonly kernelArgs?: readonly string[];
  /** What `ARCH:VERSION/OPTION` may ask of this guest's kernel: the command line words each adds, and the flavour it needs. */
  readonly options?: ReadonlyMap<string, GuestOption>;
}

const STATIC = ['-static'];

export const GUEST_ARCHES: ReadonlyMap<string, GuestArch> = new Map([
  ['amd64', {
    debian: 'amd64', profile: 'x86_64', unameMachine: 'x86_64', qemu: 'qemu-system-x86_64', qemuPackage: 'qemu-system-x86',
    machineArgs: ['-machine', 'pc'], console: 'ttyS0',
    build: { compiler: 'gcc', flags: STATIC, tag: 'guest-amd64' }, buildPackages: ['gcc', 'libc6-dev'],
    flavour: 'cloud',
    // Debian's generic amd64 kernel builds CONFIG_X86_X32_ABI but leaves it off unless booted with
    // syscall.x32=y (CONFIG_X86_X32_DISABLED, its patch "x86: Make x32 syscall support conditional
    // on a kernel parameter"); the cloud flavour has no x32 at all.
    options: new Map([['x32', { kernelArgs: ['syscall.x32=y'], flavour: null }]]),
  }],
  ['arm64', {
    debian: 'arm64', profile: 'aarch64', unameMachine: 'aarch64', qemu: 'qemu-system-aarch64', qemuPackage: 'qemu-system-arm',
    machineArgs: ['-machine', 'virt', '-cpu', 'cortex-a57'], console: 'ttyAMA0',
    // clang rather than Debian's gcc-aarch64-linux-gnu, which cannot be installed beside gcc-multilib.
    build: { compiler: 'clang', flags: ['--target=aarch64-linux-gnu', ...STATIC], tag: 'guest-arm64' },
    buildPackages: ['clang', 'libc6-dev-arm64-cross', 'libgcc-12-dev-arm64-cross', 'binutils-aarch64-linux-gnu'],
    buildNeeds: '/usr/aarch64-linux-gnu/lib/libc.a',
    flavour: 'cloud',
  }],
  ['riscv64', {
    debian: 'riscv64', profile: 'riscv64', unameMachine: 'riscv64', qemu: 'qemu-system-riscv64', qemuPackage: 'qemu-system-misc',
    // OpenSBI as qemu bundles it runs the kernel in S-mode.
    machineArgs: ['-machine', 'virt', '-bios', 'default'], console: 'ttyS0',
    build: { compiler: 'clang', flags: ['--target=riscv64-linux-gnu', ...STATIC], tag: 'guest-riscv64' },
    buildPackages: ['clang', 'libc6-dev-riscv64-cross', 'libgcc-12-dev-riscv64-cross', 'binutils-riscv64-linux-gnu'],
    buildNeeds: '/usr/riscv64-linux-gnu/lib/libc.a',
    suites: ['trixie'],
    // Sv39, the paging mode the riscv64 profile describes (qemu's CPU offers Sv57, which the
    // kernel would otherwise use); no4lvl exists since v6.4 (commit 26e7aacb83df).
    kernelArgs: ['no4lvl'],
  }],
]);

const ALIASES: ReadonlyMap<string, string> = new Map([['x86_64', 'amd64'], ['x86-64', 'amd64'], ['aarch64', 'arm64'], ['rv64', 'riscv64']]);

export interface KernelSpec {
  readonly text: string;
  readonly arch: GuestArch;
  /** "6.1", "6.12": the upstream series. */
  readonly series: string;
  /** The Debian build within the series ("0-57" for 6.1.0-57), when the spec pins one. */
  readonly build?: string;
  /** The `/OPTION`s of the spec (`x32`), each a GuestArch option. */
  readonly options: readonly string[];
  /** The kernel command line words the architecture and the options add. */
  readonly kernelArgs: readonly string[];
  /** The flavour in the package name (`cloud`), undefined for Debian's generic kernel. */
  readonly flavour?: string;
}

/** Parses a spec; the error is a sentence for the user. */
export function parseKernelSpec(text: string): KernelSpec | { readonly error: string } {
  const known = [...GUEST_ARCHES.keys()].join(', ');
  const match = /^([a-z0-9_-]+):(\d{1,2}\.\d{1,3})(?:\.(\d{1,3}(?:-\d{1,4}|\+deb\d{1,3})))?((?:\/[a-z0-9]+)*)$/.exec(text.trim());
  if (!match) return { error: `--kernel ${JSON.stringify(text)}: expected ARCH:VERSION[/OPTION], e.g. amd64:6.1, amd64:6.1.0-57 or amd64:6.1/x32 (architectures: ${known})` };
  const name = ALIASES.get(match[1]!) ?? match[1]!;
  const arch = GUEST_ARCHES.get(name);
  if (!arch) return { error: `--kernel ${JSON.stringify(text)}: no guest support for the architecture ${match[1]} (architectures: ${known})` };
  const options = match[4]!.split('/').filter(Boolean);
  const kernelArgs = [...arch.kernelArgs ?? []];
  let flavour = arch.flavour;
  for (const option of options) {
    const wanted = arch.options?.get(option);
    if (!wanted) return { error: `--kernel ${JSON.stringify(text)}: the ${arch.debian} guest has no option ${option} (options: ${[...arch.options?.keys() ?? []].join(', ') || 'none'})` };
    kernelArgs.push(...wanted.kernelArgs);
    if (wanted.flavour !== undefined) flavour = wanted.flavour ?? undefined;
  }
  return {
    text: text.trim(), arch, series: match[2]!, ...(match[3] !== undefined ? { build: match[3] } : {}), options, kernelArgs, ...(flavour !== undefined ? { flavour } : {}),
  };
}

const escape = (text: string): string => text.replace(/[.+]/g, (c) => `\\${c}`);

/**
 * Debian's kernel image packages of the spec's series and flavour: bookworm's
 * linux-image-6.1.0-57-cloud-amd64 and trixie's linux-image-6.12.48+deb13-cloud-amd64, each
 * also as -unsigned (same kernel, no Secure Boot signature), and trixie's
 * linux-image-6.12.117+deb13-riscv64 and the generic linux-image-6.1.0-57-amd64 (no flavour). The regular expression is for
 * `apt-cache search --names-only`, with the build captured.
 */
export function packagePattern(spec: KernelSpec): string {
  const build = spec.build !== undefined ? escape(spec.build) : '[0-9]+-[0-9]+|[0-9]+\\+deb[0-9]+';
  const flavour = spec.flavour !== undefined ? `${spec.flavour}-` : '';
  return `^linux-image-${escape(spec.series)}\\.(${build})-${flavour}${spec.arch.debian}(-unsigned)?$`;
}

/** The package to use among the names apt knows: the newest build, the signed name before -unsigned. */
export function choosePackage(spec: KernelSpec, names: readonly string[]): string | undefined {
  const pattern = new RegExp(packagePattern(spec));
  const rank = (name: string): number[] => {
    const match = pattern.exec(name);
    const numbers = (match?.[1] ?? '').split(/[-+a-z]+/).filter(Boolean).map(Number);
    return [...numbers, match?.[2] === undefined ? 1 : 0];
  };
  const candidates = names.filter((name) => pattern.test(name));
  candidates.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < Math.max(ra.length, rb.length); i += 1) {
      const difference = (rb[i] ?? -1) - (ra[i] ?? -1);
      if (difference !== 0) return difference;
    }
    return a.localeCompare(b);
  });
  return candidates[0];
}
