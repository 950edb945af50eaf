// Guest kernels as executors (src/fuzz/kernel/): the pieces that need no
// guest always run; booting Debian's amd64 kernel under qemu-system-x86_64
// runs when qemu is installed (Debian: apt-get install qemu-system-x86), and
// says why it skips otherwise. The guest tests run the built CLI, so every
// process they start (elf-lint, qemu) is tracked and killed after each test.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeCpio, guestInitramfs, type CpioEntry } from '../src/fuzz/kernel/initramfs.js';
import { choosePackage, GUEST_ARCHES, packagePattern, parseKernelSpec, type KernelSpec } from '../src/fuzz/kernel/spec.js';
import { guestUnavailable, onPath, parseGreeting, qemuArguments } from '../src/fuzz/kernel/guest.js';
import { factsFrom, FACT_FILES } from '../src/fuzz/environment.js';
import { kernelBefore, parseKernelVersion } from '../src/model/assumptions.js';
import { predictExecve } from '../src/loader/predict.js';
import { parseElf } from '../src/parse/parse.js';
import { buildElf } from '../src/gen/build.js';
import { kernelColumn, renderStudy } from '../src/fuzz/study.js';
import type { CampaignResult } from '../src/fuzz/campaign.js';
import { HELLO, killTracked, processesMarked, processesWhere, runCli, spawnCli, waitUntil } from './support.js';

/** An independent reader of newc archives: name, mode, device and data of each entry up to the trailer. */
function readCpio(archive: Uint8Array): { name: string; mode: number; rdev: [number, number]; data: Buffer }[] {
  const bytes = Buffer.from(archive);
  const entries: { name: string; mode: number; rdev: [number, number]; data: Buffer }[] = [];
  let at = 0;
  for (;;) {
    expect(at % 4).toBe(0);
    expect(bytes.toString('latin1', at, at + 6)).toBe('070701');
    const field = (index: number) => parseInt(bytes.toString('latin1', at + 6 + index * 8, at + 14 + index * 8), 16);
    const [mode, size, rdevMajor, rdevMinor, nameSize] = [field(1), field(6), field(9), field(10), field(11)];
    const name = bytes.toString('utf8', at + 110, at + 110 + nameSize - 1);
    expect(bytes[at + 110 + nameSize - 1]).toBe(0);
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    if (name === 'TRAILER!!!') {
      expect(bytes.length).toBe(dataAt);
      return entries;
    }
    entries.push({ name, mode, rdev: [rdevMajor, rdevMinor], data: bytes.subarray(dataAt, dataAt + size) });
    at = Math.ceil((dataAt + size) / 4) * 4;
  }
}

describe('initramfs (newc cpio)', () => {
  it('writes entries a reader finds again, each aligned to 4 bytes, with the trailer last', () => {
    const entries: CpioEntry[] = [
      { kind: 'directory', path: 'a', mode: 0o755 },
      { kind: 'file', path: 'a/odd', mode: 0o640, data: Uint8Array.from([1, 2, 3]) },
      { kind: 'file', path: '/empty', mode: 0o600, data: new Uint8Array(0) },
      { kind: 'char-device', path: 'a/null', mode: 0o666, major: 1, minor: 3 },
    ];
    const read = readCpio(writeCpio(entries));
    expect(read.map((entry) => [entry.name, entry.mode.toString(8)])).toEqual([['a', '40755'], ['a/odd', '100640'], ['empty', '100600'], ['a/null', '20666']]);
    expect([...read[1]!.data]).toEqual([1, 2, 3]);
    expect(read[2]!.data.length).toBe(0);
    expect(read[3]!.rdev).toEqual([1, 3]);
  });

  it('refuses paths the kernel would not unpack where we mean', () => {
    for (const path of ['', '/', 'a/../b', 'a//b', './a']) {
      expect(() => writeCpio([{ kind: 'directory', path, mode: 0o755 }]), path).toThrow(RangeError);
    }
  });

  it('makes the guest root: the runner as /init and /dev/console for its stdio', () => {
    const runner = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 9, 9]);
    const read = readCpio(guestInitramfs(runner));
    const init = read.find((entry) => entry.name === 'init');
    expect(init?.mode).toBe(0o100755);
    expect([...init!.data]).toEqual([...runner]);
    expect(read.find((entry) => entry.name === 'dev/console')?.rdev).toEqual([5, 1]);
    // Parents come before what they hold.
    expect(read.findIndex((entry) => entry.name === 'dev')).toBeLessThan(read.findIndex((entry) => entry.name === 'dev/console'));
  });
});

describe('--kernel specs', () => {
  const spec = (text: string): KernelSpec => {
    const parsed = parseKernelSpec(text);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed;
  };

  it('parses an architecture and a series, optionally pinned to a Debian build', () => {
    expect(spec('amd64:6.1')).toMatchObject({ series: '6.1', arch: { debian: 'amd64', profile: 'x86_64' } });
    expect(spec('amd64:6.1').build).toBeUndefined();
    expect(spec('x86_64:6.1.0-57')).toMatchObject({ series: '6.1', build: '0-57', arch: { debian: 'amd64' } });
    expect(spec('amd64:6.12.48+deb13')).toMatchObject({ series: '6.12', build: '48+deb13' });
  });

  it('takes the options a guest offers: amd64:6.1/x32 boots with syscall.x32=y; riscv64 always boots Sv39', () => {
    expect(spec('amd64:6.1/x32')).toMatchObject({ series: '6.1', options: ['x32'], kernelArgs: ['syscall.x32=y'] });
    expect(spec('amd64:6.1').kernelArgs).toEqual([]);
    // The cloud flavour has no x32 ABI: the generic kernel does.
    expect(choosePackage(spec('amd64:6.1/x32'), ['linux-image-6.1.0-57-cloud-amd64', 'linux-image-6.1.0-57-amd64'])).toBe('linux-image-6.1.0-57-amd64');
    expect(spec('riscv64:6.12')).toMatchObject({ arch: { profile: 'riscv64', suites: ['trixie'] }, kernelArgs: ['no4lvl'] });
    expect(parseKernelSpec('arm64:6.1/x32')).toEqual({ error: expect.stringContaining('the arm64 guest has no option x32') });
    const args = qemuArguments(GUEST_ARCHES.get('amd64')!, '/k/vmlinuz', '/k/initrd', spec('amd64:6.1/x32').kernelArgs);
    expect(args.at(-1)).toMatch(/console=ttyS0 .* syscall\.x32=y$/);
  });

  it('finds riscv64 kernels, which have no cloud flavour', () => {
    const pattern = new RegExp(packagePattern(spec('riscv64:6.12')));
    expect(pattern.test('linux-image-6.12.117+deb13-riscv64')).toBe(true);
    expect(pattern.test('linux-image-6.12.117+deb13-riscv64-dbg')).toBe(false);
    expect(choosePackage(spec('riscv64:6.12'), ['linux-image-6.12.107+deb13-riscv64', 'linux-image-6.12.117+deb13-riscv64'])).toBe('linux-image-6.12.117+deb13-riscv64');
  });

  it('says what is wrong with a bad spec', () => {
    expect(parseKernelSpec('amd64')).toEqual({ error: expect.stringContaining('expected ARCH:VERSION') });
    expect(parseKernelSpec('amd64:latest')).toEqual({ error: expect.stringContaining('expected ARCH:VERSION') });
    expect(parseKernelSpec('sparc64:6.1')).toEqual({ error: expect.stringContaining('no guest support for the architecture sparc64') });
  });

  it('chooses the newest build of the series, the signed package before -unsigned', () => {
    const names = [
      'linux-image-6.1.0-9-cloud-amd64', 'linux-image-6.1.0-57-cloud-amd64-unsigned', 'linux-image-6.1.0-57-cloud-amd64',
      'linux-image-6.1.0-50-cloud-amd64', 'linux-image-6.1.0-57-amd64', 'linux-image-6.10.0-1-cloud-amd64', 'linux-image-6.1.0-57-cloud-arm64',
    ];
    expect(choosePackage(spec('amd64:6.1'), names)).toBe('linux-image-6.1.0-57-cloud-amd64');
    expect(choosePackage(spec('amd64:6.1.0-50'), names)).toBe('linux-image-6.1.0-50-cloud-amd64');
    expect(choosePackage(spec('amd64:6.1'), ['linux-image-6.1.0-57-cloud-amd64-unsigned'])).toBe('linux-image-6.1.0-57-cloud-amd64-unsigned');
    expect(choosePackage(spec('amd64:6.12'), names)).toBeUndefined();
    expect(choosePackage(spec('amd64:6.12'), ['linux-image-6.12.9+deb13-cloud-amd64', 'linux-image-6.12.48+deb13-cloud-amd64'])).toBe('linux-image-6.12.48+deb13-cloud-amd64');
  });

  it('gives apt-cache a pattern that matches only the series and flavour', () => {
    const pattern = new RegExp(packagePattern(spec('amd64:6.1')));
    expect(pattern.test('linux-image-6.1.0-57-cloud-amd64')).toBe(true);
    expect(pattern.test('linux-image-6.1.0-57-cloud-amd64-dbg')).toBe(false);
    expect(pattern.test('linux-image-6.10.0-1-cloud-amd64')).toBe(false);
  });

  it('boots the kernel with our console, no KVM and a kernel that powers off on panic', () => {
    const args = qemuArguments(GUEST_ARCHES.get('amd64')!, '/k/vmlinuz', '/k/initrd');
    expect(args.join(' ')).toContain('-accel tcg');
    expect(args.join(' ')).toContain('-kernel /k/vmlinuz -initrd /k/initrd');
    expect(args.at(-1)).toContain('console=ttyS0');
    expect(args.at(-1)).toContain('panic=-1');
  });
});

describe('guest facts', () => {
  const greeting = {
    ready: true, guest: {
      release: '6.1.0-57-cloud-amd64', machine: 'x86_64', pageSize: 4096,
      files: { [FACT_FILES.mmapMinAddr]: '65536\n', [FACT_FILES.overcommit]: '0\n', [FACT_FILES.meminfo]: 'MemTotal:         491520 kB\nSwapTotal:        1024 kB\n' },
    },
  };

  it('reads the kernel version, mmap_min_addr, memory and overcommit from the greeting', () => {
    const info = parseGreeting(greeting, 4000);
    if ('error' in info) throw new Error(info.error);
    expect(info.release).toBe('6.1.0-57-cloud-amd64');
    expect(info.facts).toEqual({ kernel: { major: 6, minor: 1 }, mmapMinAddr: 65536n, memory: (491520n + 1024n) * 1024n, overcommit: 'guess', pageSize: 4096n });
  });

  it('leaves out what the guest could not read, and refuses a greeting without a guest', () => {
    expect(factsFrom({ [FACT_FILES.mmapMinAddr]: undefined }, undefined)).toEqual({});
    expect(parseGreeting({ ready: true }, 1)).toEqual({ error: expect.stringContaining('did not describe the guest') });
    expect(parseGreeting({ ready: true, guest: { release: 6 } }, 1)).toEqual({ error: expect.stringContaining('malformed') });
  });

  it('compares kernel versions, an unstated kernel being the newest', () => {
    expect(parseKernelVersion('6.18.44-fc-v1045')).toEqual({ major: 6, minor: 18 });
    expect(parseKernelVersion('6.1.0-57-cloud-amd64')).toEqual({ major: 6, minor: 1 });
    expect(parseKernelVersion('garbage')).toBeUndefined();
    expect(kernelBefore({ major: 6, minor: 1 }, 6, 17)).toBe(true);
    expect(kernelBefore({ major: 6, minor: 17 }, 6, 17)).toBe(false);
    expect(kernelBefore({ major: 5, minor: 19 }, 6, 1)).toBe(true);
    expect(kernelBefore(undefined, 6, 17)).toBe(false);
  });
});

/**
 * hello with its program header table moved to the end of the file and grown to `count` entries:
 * the one PT_LOAD, then PT_NULL entries, which the loader skips. 73 entries (4088 bytes) fit in a
 * page, 74 do not.
 */
function helloWithHeaders(count: number): Buffer {
  const hello = buildElf(HELLO);
  const seed = parseElf(hello);
  if (seed.kind !== 'elf' || !seed.header) throw new Error('hello does not parse');
  const { e_phoff } = seed.header;
  const bytes = Buffer.concat([hello, Buffer.from(hello.subarray(Number(e_phoff), Number(e_phoff) + 56)), Buffer.alloc((count - 1) * 56)]);
  bytes.writeBigUInt64LE(BigInt(hello.length), 32); // e_phoff
  bytes.writeUInt16LE(count, 56); // e_phnum
  return bytes;
}

describe('the study across kernels', () => {
  /** A --report document of a campaign that tried two fields. */
  const report = (machine: string, byField: Record<string, Record<string, { count: number; examples: string[] }>>, guest?: object) => ({
    schemaVersion: 1, seedPath: `corpus/hello-${machine}`, completed: 10, agreements: 10, disagreements: [], unresolved: 0, durationMs: 1000, byField,
    environment: { machine, mmapMinAddr: '0x1000', disabledLoaders: [], kernel: { major: 6, minor: 1 }, ...(guest ? { guest } : {}) },
  });
  const runs = { count: 5, examples: ['0x0'] };
  const refused = { count: 5, examples: ['0x1'] };

  it('reads a campaign report into a column, and says which file is not one', () => {
    const column = kernelColumn(report('aarch64', { e_type: { runs } }, { kernel: 'linux-image-6.1.0-57-cloud-arm64', release: '6.1.0-57-cloud-arm64', kernelArgs: [] }), 'a.json');
    expect(column).toMatchObject({ label: 'arm64 6.1 · hello-aarch64', machine: 'aarch64', completed: 10, rate: 10, source: 'a.json' });
    expect(kernelColumn({ byField: {} }, 'b.json')).toEqual({ error: 'b.json is not an elf-lint fuzz --report document' });
  });

  it('adds one column per kernel and marks the fields whose outcomes differ', () => {
    const host = kernelColumn(report('x86_64', { e_type: { runs, 'exec-error ENOEXEC': refused }, e_flags: { runs } }), 'this campaign');
    const arm = kernelColumn(report('aarch64', { e_type: { runs, 'exec-error ENOEXEC': refused }, e_flags: { runs, 'exec-error ENOEXEC': refused }, EI_PAD: { runs } }, { kernel: 'linux-image-6.1.0-57-cloud-arm64', release: 'r', kernelArgs: [] }), 'arm.json');
    if ('error' in host || 'error' in arm) throw new Error('not a column');
    const result = { byField: {}, byRule: {}, disagreements: [], completed: 0, durationMs: 0 } as unknown as CampaignResult;
    const study = renderStudy({ result, command: 'elf-lint fuzz', rules: [], kernels: [host, arm] });
    expect(study).toContain('## Across kernels');
    expect(study).toContain('| `e_type` |  | runs 50% · ENOEXEC 50% | runs 50% · ENOEXEC 50% |');
    expect(study).toContain('| `e_flags` | ≠ | runs 100% | runs 50% · ENOEXEC 50% |');
    // A field only one campaign mutated differs from nothing.
    expect(study).toContain('| `EI_PAD` |  | — | runs 100% |');
    expect(study).toContain('reads PT_GNU_PROPERTY; fetch past EOF from a non-executable page: SIGSEGV');
    expect(renderStudy({ result, command: 'elf-lint fuzz', rules: [] })).not.toContain('Across kernels');
  });
});

describe('the program header limit by kernel version', () => {
  const grown = parseElf(helloWithHeaders(80));

  it('refuses more than a page of program headers before Linux 6.17 (commit 8030790477e8)', () => {
    const old = predictExecve(grown, { assumptions: { privileged: false, machine: 'x86_64', kernel: { major: 6, minor: 1 } } });
    expect(old).toMatchObject({ verdict: 'exec-error', errno: 'ENOEXEC', because: ['phdr-count'] });
    expect(old.reason).toContain('Linux 6.1');
    for (const kernel of [{ major: 6, minor: 17 }, undefined]) {
      const now = predictExecve(grown, { assumptions: { privileged: false, machine: 'x86_64', ...(kernel ? { kernel } : {}) } });
      expect(now.verdict, JSON.stringify(kernel)).toBe('runs');
    }
  });
});

const amd64 = GUEST_ARCHES.get('amd64')!;
const skipReason = guestUnavailable(amd64);
if (skipReason) console.warn(`amd64 guest tests skipped: ${skipReason}`);

// The first guest test of a fresh machine also fetches the apt lists and the kernel, and TCG on a
// busy machine is slow: a bound for a hung test, not a speed requirement.
const GUEST_TEST_BOUND = { timeout: 600_000 };

describe.skipIf(skipReason !== undefined)(`an amd64 guest (Debian 6.1 cloud kernel under TCG)${skipReason ? ` (skipped: ${skipReason})` : ''}`, GUEST_TEST_BOUND, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-guest-test-'));
  afterEach(killTracked);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** qemu processes started by the CLI behind `marker`. */
  const qemusOf = (marker: string) => processesMarked(marker).filter((pid) => processesWhere('cmdline', (cmdline) => cmdline.toString('latin1').startsWith(`${amd64.qemu}\0`)).includes(pid));

  it('runs a campaign in the guest with no disagreement, predicted with the guest\'s facts', async () => {
    const report = join(scratch, 'campaign.json');
    const result = await runCli(['fuzz', 'corpus/hello', '--kernel', 'amd64:6.1', '--count', '200', '--seed', '3', '--report', report]);
    expect(result.stderr).toMatch(/executing in a guest: Linux 6\.1\.0-\d+-cloud-amd64/);
    expect(result.stdout).toContain('200 of 200 mutants executed');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const document = JSON.parse(readFileSync(report, 'utf8')) as { disagreements: unknown[]; completed: number; environment: Record<string, unknown> };
    expect(document.completed).toBe(200);
    expect(document.disagreements).toEqual([]);
    // Debian's amd64 kernel: mmap_min_addr 65536, IA32 emulation on, no x32 ABI.
    expect(document.environment).toMatchObject({ machine: 'x86_64', mmapMinAddr: '0x10000', kernel: { major: 6, minor: 1 }, disabledLoaders: ['x32'], privileged: false });
    expect(document.environment.guest).toMatchObject({ qemu: amd64.qemu, release: expect.stringMatching(/^6\.1\.0-/), restarts: 0 });
  });

  it('predicts each version\'s program header limit: 74 headers run on 6.18 and fail with ENOEXEC on 6.1', async () => {
    const seed = join(scratch, 'hello-74-phdrs');
    writeFileSync(seed, helloWithHeaders(74), { mode: 0o755 });
    const report = join(scratch, 'phdrs.json');
    const result = await runCli(['fuzz', seed, '--kernel', 'amd64:6.1', '--count', '60', '--seed', '5', '--report', report]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const document = JSON.parse(readFileSync(report, 'utf8')) as { disagreements: unknown[]; byField: Record<string, Record<string, { count: number }>> };
    expect(document.disagreements).toEqual([]);
    // Most mutants keep the 74 headers, which 6.1 refuses (the model says so, or there would be disagreements).
    const refused = Object.values(document.byField).reduce((sum, byOutcome) => sum + (byOutcome['exec-error ENOEXEC']?.count ?? 0), 0);
    expect(refused).toBeGreaterThan(30);
    expect(predictExecve(parseElf(helloWithHeaders(74)), { assumptions: { privileged: false, machine: 'x86_64' } }).verdict).toBe('runs');
  });

  it('boots the guest again when it dies under a campaign, and finishes it', async () => {
    const cli = spawnCli(['fuzz', 'corpus/hello', '--kernel', 'amd64:6.1', '--count', '40']);
    await cli.expectStderr(/executing in a guest/);
    const [qemu] = qemusOf(cli.marker);
    expect(qemu).toBeDefined();
    process.kill(qemu!, 'SIGKILL');
    const result = await cli.result();
    expect(result.stderr).toMatch(/the guest failed \(.*\); booting it again \(1 of 3\)/);
    expect(result.stdout).toContain('40 of 40 mutants executed');
    expect(result.code, result.stderr).toBe(0);
  });

  it('stops at Ctrl-C with a report and leaves no qemu behind', async () => {
    const report = join(scratch, 'interrupted.json');
    const cli = spawnCli(['fuzz', 'corpus/hello', '--kernel', 'amd64:6.1', '--count', '100000', '--report', report]);
    await cli.expectStderr(/executing in a guest/);
    cli.signalGroup('SIGINT');
    const result = await cli.result();
    expect(result.code, result.stderr).toBe(130);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { interrupted: boolean }).interrupted).toBe(true);
    // qemu powered off (or was killed) before elf-lint exited.
    await waitUntil(() => qemusOf(cli.marker).length === 0, 'qemu to be gone');
  });
});

/**
 * A short campaign in each other guest, with no disagreement. The arm64 facts these guests taught
 * the model (PT_GNU_PROPERTY read before the point of no return, SIGSEGV for a fetch from a
 * non-executable page past the end of the file) are in its profile; test/loader.test.ts checks
 * them on built files, these campaigns on the kernels. riscv64 has no PTRACE_SINGLESTEP: the
 * runner lets the mutant run on there.
 */
const OTHER_GUESTS = [
  {
    debian: 'arm64', title: 'Debian 6.1 cloud kernel, virt, cortex-a57', seed: 'corpus/hello-aarch64', kernel: 'arm64:6.1', count: 100,
    release: /executing in a guest: Linux 6\.1\.0-\d+-cloud-arm64/,
    // Debian's arm64 kernel: mmap_min_addr 4096 (amd64: 65536).
    environment: { machine: 'aarch64', mmapMinAddr: '0x1000', kernel: { major: 6, minor: 1 }, disabledLoaders: [] },
  },
  {
    debian: 'riscv64', title: 'Debian trixie\'s 6.12 kernel, virt, OpenSBI, Sv39', seed: 'corpus/hello-riscv64', kernel: 'riscv64:6.12', count: 60,
    release: /executing in a guest: Linux 6\.12\.\d+\+deb13-riscv64/,
    environment: { machine: 'riscv64', mmapMinAddr: '0x1000', kernel: { major: 6, minor: 12 }, guest: { kernelArgs: ['no4lvl'] } },
  },
] as const;

for (const guest of OTHER_GUESTS) {
  const skip = guestUnavailable(GUEST_ARCHES.get(guest.debian)!);
  if (skip) console.warn(`${guest.debian} guest tests skipped: ${skip}`);

  describe.skipIf(skip !== undefined)(`a ${guest.debian} guest (${guest.title})${skip ? ` (skipped: ${skip})` : ''}`, GUEST_TEST_BOUND, () => {
    const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-guest-test-'));
    afterEach(killTracked);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it(`runs ${guest.seed} in the guest with no disagreement, predicted with the guest's facts`, async () => {
      const report = join(scratch, `${guest.debian}.json`);
      const result = await runCli(['fuzz', guest.seed, '--kernel', guest.kernel, '--count', String(guest.count), '--seed', '7', '--report', report]);
      expect(result.stderr).toMatch(guest.release);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const document = JSON.parse(readFileSync(report, 'utf8')) as { completed: number; agreements: number; disagreements: unknown[]; environment: Record<string, unknown> };
      expect(document.completed).toBe(guest.count);
      expect(document.agreements).toBeGreaterThan(guest.count / 2);
      expect(document.disagreements).toEqual([]);
      expect(document.environment).toMatchObject(guest.environment);
    });
  });
}

describe('--kernel on the command line', () => {
  afterEach(killTracked);

  it('rejects a bad spec and --no-exec in one line each, before fetching anything', async () => {
    const bad = await runCli(['fuzz', 'corpus/hello', '--kernel', 'sparc64:6.1', '--count', '1']);
    expect(bad.code).toBe(3);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^elf-lint: --kernel "sparc64:6.1": no guest support for the architecture sparc64/);
    const noExec = await runCli(['fuzz', 'corpus/hello', '--kernel', 'amd64:6.1', '--no-exec', '--count', '1']);
    expect(noExec.code).toBe(3);
    expect(noExec.stderr).toContain('cannot be combined with --no-exec');
  });

  it('says in one line that qemu is missing (exit 2)', async () => {
    // A PATH with setpriv (which the test support starts the CLI with) and nothing else.
    const bin = mkdtempSync(join(tmpdir(), 'elf-lint-path-'));
    try {
      if (onPath('setpriv')) symlinkSync(join(process.env.PATH!.split(':').find((dir) => existsSync(join(dir, 'setpriv')))!, 'setpriv'), join(bin, 'setpriv'));
      await expectQemuMissing(bin);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  async function expectQemuMissing(path: string): Promise<void> {
    const result = await runCli(['fuzz', 'corpus/hello', '--kernel', 'amd64:6.1', '--count', '1'], { env: { PATH: path } });
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('elf-lint: cannot'));
    expect(errors).toEqual([`elf-lint: cannot execute the mutants in amd64:6.1: ${amd64.qemu} is not installed (Debian: apt-get install ${amd64.qemuPackage})`]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }
});
