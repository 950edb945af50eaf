// The executor against the real kernel: each case is a tiny generated program
// whose fate under execve is known (see shared/reference/linux-loader.md).
import { spawnSync } from 'node:child_process';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { exitSpec, helloSpec, TINY_BASE } from '../src/gen/templates.js';
import { startExecutor, type Executor } from '../src/fuzz/executor.js';
import { hostDisabledLoaders, probePrograms } from '../src/fuzz/environment.js';
import { processesWhere, processesWith } from './support.js';

function unsupported(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `needs Linux x86-64 (this is ${process.platform}/${process.arch})`;
  const cc = spawnSync('cc', ['--version'], { stdio: 'ignore' });
  if (cc.error || cc.status !== 0) return 'needs a C compiler (`cc`)';
  return null;
}

const skipReason = unsupported();
if (skipReason) console.warn(`executor tests skipped: ${skipReason}`);
const asRoot = process.getuid?.() === 0;

/** A program made of raw machine code: one R+X segment mapping the file, entry at the code. */
function codeSpec(code: number[]): ElfSpec {
  return { segments: [{ p_flags: 5, p_vaddr: TINY_BASE, withHeaders: true, data: Uint8Array.from(code) }] };
}

const MOV_EAX = (n: number): number[] => [0xb8, n & 0xff, (n >> 8) & 0xff, 0, 0];
const SYSCALL = [0x0f, 0x05];
const JMP_SELF = [0xeb, 0xfe];
const SYS_FORK = 57;
const SYS_GETUID = 102;
const SYS_SETSID = 112;

/** Processes whose argv[0] is `path` (a mutant and its forks). */
const processesRunning = (path: string): number[] => processesWhere('cmdline', (cmdline) => cmdline.toString('latin1') === `${path}\0`);

/**
 * An executor for a test or a block of tests that is closed whatever happens: close() waits for the
 * start even when the test gave up on it (a timed-out beforeAll), so no runner outlives the file.
 */
function executorFor(options: Parameters<typeof startExecutor>[0]): { started: Promise<Executor>; close: () => Promise<void> } {
  const started = startExecutor(options);
  return { started, close: async () => { await (await started.catch(() => undefined))?.close(); } };
}

describe.skipIf(skipReason !== null)(`executor${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let executor: Executor;
  let shared: ReturnType<typeof executorFor> | undefined;
  const exit42 = exitSpec(42);
  const segment = exit42.segments![0]!;

  beforeAll(async () => {
    shared = executorFor({ jobs: 2 });
    executor = await shared.started;
  }, 60_000);

  afterAll(async () => {
    await shared?.close();
  });

  async function runFile(name: string, bytes: Uint8Array, timeoutMs?: number): Promise<{ path: string; outcome: Awaited<ReturnType<Executor['run']>> }> {
    const path = join(executor.workDir, name);
    await writeFile(path, bytes);
    await chmod(path, 0o755);
    return { path, outcome: await executor.run(path, timeoutMs) };
  }

  it('reports the sandbox it got', () => {
    expect(executor.sandbox.uid).toBe(asRoot ? 65534 : process.getuid?.());
    if (!asRoot) expect(executor.sandbox.pidNamespace).toBe(false);
  });

  it('runs a program that exits 42', async () => {
    const outcome = await executor.runBytes(buildElf(exit42));
    expect(outcome).toMatchObject({ verdict: 'runs', exitCode: 42, errno: null, signal: null, timedOut: false });
  });

  it('captures stdout', async () => {
    const outcome = await executor.runBytes(buildElf(helloSpec(Buffer.from('hi\n'))));
    expect(outcome.verdict).toBe('runs');
    expect(outcome.exitCode).toBe(0);
    expect(Buffer.from(outcome.stdout).toString()).toBe('hi\n');
  });

  it('the host probe for compat loaders agrees with the runner (host fact: which of ia32 and x32 this kernel runs)', async () => {
    const disabled = hostDisabledLoaders();
    for (const [name, bytes] of probePrograms()) {
      const outcome = await executor.runBytes(bytes);
      const refused = outcome.verdict === 'exec-error' && outcome.errno === 'ENOEXEC';
      expect({ name, refused, exit: outcome.exitCode }).toEqual({ name, refused: disabled.includes(name), exit: refused ? null : 42 });
    }
  });

  it('e_phentsize 0 fails execve with ENOEXEC', async () => {
    const outcome = await executor.runBytes(buildElf({ ...exit42, header: { ...exit42.header, e_phentsize: 0 } }));
    expect(outcome).toMatchObject({ verdict: 'exec-error', errno: 'ENOEXEC', exitCode: null });
  });

  it.each([3, 40])('e_machine %i fails execve with ENOEXEC', async (machine) => {
    const outcome = await executor.runBytes(buildElf({ ...exit42, header: { ...exit42.header, e_machine: machine } }));
    expect(outcome).toMatchObject({ verdict: 'exec-error', errno: 'ENOEXEC' });
  });

  it('p_filesz > p_memsz kills the process after the point of no return', async () => {
    const outcome = await executor.runBytes(buildElf({ ...exit42, segments: [{ ...segment, p_memsz: 16n }] }));
    expect(outcome).toMatchObject({ verdict: 'exec-killed', signal: 'SIGSEGV', errno: 'EINVAL', exitCode: null });
  });

  it('an entry point outside every segment faults on the first instruction', async () => {
    const outcome = await executor.runBytes(buildElf({ ...exit42, header: { ...exit42.header, e_entry: 0x500000n } }));
    expect(outcome).toMatchObject({ verdict: 'start-fault', signal: 'SIGSEGV', errno: null, exitCode: null });
  });

  it('a fault after the first instruction is a program that ran', async () => {
    // mov eax, 1 completes; then add [rax], al writes to address 1 and faults.
    const outcome = await executor.runBytes(buildElf(codeSpec([0xb8, 1, 0, 0, 0, 0x00, 0x00])));
    expect(outcome).toMatchObject({ verdict: 'runs', signal: null, laterSignal: 'SIGSEGV', exitCode: null });
  });

  it('a first instruction that faults by itself is a start fault', async () => {
    const outcome = await executor.runBytes(buildElf(codeSpec([0x0f, 0x0b])));
    expect(outcome).toMatchObject({ verdict: 'start-fault', signal: 'SIGILL' });
  });

  it('runs a file too large to send inline from a file of its own, and removes it', async () => {
    // 1.5 MiB of trailing zeros: past what runBytes sends inline.
    const small = buildElf(exit42);
    const large = new Uint8Array(small.length + (3 << 19));
    large.set(small);
    const before = readdirSync(executor.workDir).sort();
    const outcome = await executor.runBytes(large);
    expect(outcome).toMatchObject({ verdict: 'runs', exitCode: 42 });
    expect(readdirSync(executor.workDir).sort()).toEqual(before);
  });

  it('a file without execute permission fails with EACCES', async () => {
    const outcome = await executor.runBytes(buildElf(exit42), { mode: 0o644 });
    expect(outcome).toMatchObject({ verdict: 'exec-error', errno: 'EACCES' });
  });

  it('a missing file fails with ENOENT', async () => {
    const outcome = await executor.run(join(executor.workDir, 'does-not-exist'));
    expect(outcome).toMatchObject({ verdict: 'exec-error', errno: 'ENOENT' });
  });

  it('stops a program that loops forever and leaves nothing behind', async () => {
    const started = performance.now(); // monotonic: a clock adjustment cannot shorten it
    const { path, outcome } = await runFile('loop', buildElf(codeSpec(JMP_SELF)), 200);
    expect(outcome).toMatchObject({ verdict: 'runs', timedOut: true, exitCode: null, signal: null });
    // A lower bound (the timeout was not cut short): load only makes it longer.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(processesRunning(path)).toEqual([]);
  });

  it('kills the forks of a looping program too', async () => {
    const { path, outcome } = await runFile('fork-loop', buildElf(codeSpec([...MOV_EAX(SYS_FORK), ...SYSCALL, ...JMP_SELF])), 200);
    expect(outcome).toMatchObject({ verdict: 'runs', timedOut: true });
    expect(processesRunning(path)).toEqual([]);
  });

  it('kills forks that left the process group with setsid', async () => {
    // fork; the child: setsid, fork again; everyone loops.
    const code = [
      ...MOV_EAX(SYS_FORK), ...SYSCALL,
      0x85, 0xc0, // test eax, eax
      0x75, 0x0e, // jnz +14: the parent skips to the loop
      ...MOV_EAX(SYS_SETSID), ...SYSCALL,
      ...MOV_EAX(SYS_FORK), ...SYSCALL,
      ...JMP_SELF,
    ];
    const { path, outcome } = await runFile('escape-loop', buildElf(codeSpec(code)), 200);
    expect(outcome).toMatchObject({ verdict: 'runs', timedOut: true });
    expect(processesRunning(path)).toEqual([]);
  });

  it('runs mutants as the unprivileged uid', async () => {
    // getuid(); exit(uid & 0xff)
    const code = [...MOV_EAX(SYS_GETUID), ...SYSCALL, 0x89, 0xc7 /* mov edi, eax */, ...MOV_EAX(60), ...SYSCALL];
    const outcome = await executor.runBytes(buildElf(codeSpec(code)));
    const expected = asRoot ? 65534 & 0xff : (process.getuid?.() ?? 0) & 0xff;
    expect(outcome).toMatchObject({ verdict: 'runs', exitCode: expected });
  });

  it('answers concurrent runs in order, each with its own result', async () => {
    const statuses = Array.from({ length: 40 }, (_, i) => (i * 7) % 256);
    const outcomes = await Promise.all(statuses.map((status) => executor.runBytes(buildElf(exitSpec(status)))));
    expect(outcomes.map((outcome) => outcome.exitCode)).toEqual(statuses);
  });

  it('rejects paths it cannot put on a job line', async () => {
    await expect(executor.run('/tmp/a\nb')).rejects.toThrow(/newline/);
    await expect(executor.run('/bin/true', 0)).rejects.toThrow(RangeError);
  });

  it('throughput smoke check (prints the rate)', async () => {
    const path = join(executor.workDir, 'exit0');
    await writeFile(path, buildElf(exitSpec(0)));
    await chmod(path, 0o755);
    const count = 500;
    let started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: count }, () => executor.run(path)));
    const runRate = count / ((performance.now() - started) / 1000);
    expect(outcomes.every((outcome) => outcome.verdict === 'runs' && outcome.exitCode === 0)).toBe(true);

    const bytes = buildElf(exitSpec(0));
    started = performance.now();
    await Promise.all(Array.from({ length: count }, () => executor.runBytes(bytes)));
    const bytesRate = count / ((performance.now() - started) / 1000);
    console.log(`executor: ${runRate.toFixed(0)} execs/s with run(), ${bytesRate.toFixed(0)} execs/s with runBytes() (the bytes sent inline), 2 runners`);
  }, 60_000);
});

/** Processes whose command line mentions `text` (the runners get the workDir as an argument). */
const processesMentioning = (text: string): number[] => processesWith('cmdline', text);

describe.skipIf(skipReason !== null)('executor lifecycle', () => {
  it('close() ends every runner and the mutants still running', async () => {
    const owned = executorFor({ jobs: 3 });
    try {
      const executor = await owned.started;
      expect(processesMentioning(executor.workDir).length).toBeGreaterThanOrEqual(3);
      const loop = join(executor.workDir, 'loop');
      await writeFile(loop, buildElf(codeSpec([...MOV_EAX(SYS_FORK), ...SYSCALL, ...JMP_SELF])));
      await chmod(loop, 0o755);
      const running = Promise.all([executor.run(loop, 300), executor.run(loop, 300), executor.run(loop, 300)]);
      await executor.close();
      const outcomes = await running;
      expect(outcomes.every((outcome) => outcome.timedOut)).toBe(true);
      expect(processesMentioning(executor.workDir)).toEqual([]);
      await expect(executor.run(loop)).rejects.toThrow(/closed/);
    } finally {
      await owned.close();
    }
  }, 30_000);

  it('rejects runs with a clear error when the sandbox cannot be set up', async () => {
    // The runner cannot chdir into a directory that vanished: a harness error, not a verdict.
    const owned = executorFor({});
    try {
      const executor = await owned.started;
      await rm(executor.workDir, { recursive: true });
      await expect(executor.run('/bin/true')).rejects.toThrow(/chdir/);
      const after = await executor.run('/nonexistent-file').catch((error: unknown) => error);
      expect(after).toBeInstanceOf(Error);
    } finally {
      await owned.close();
    }
  }, 30_000);
});

describe.skipIf(skipReason !== null || !asRoot)('executor without a PID namespace', () => {
  it('still kills forks that left the process group', async () => {
    const owned = executorFor({ pidNamespace: false });
    try {
      const executor = await owned.started;
      expect(executor.sandbox.pidNamespace).toBe(false);
      const code = [
        ...MOV_EAX(SYS_FORK), ...SYSCALL, 0x85, 0xc0, 0x75, 0x0e,
        ...MOV_EAX(SYS_SETSID), ...SYSCALL, ...MOV_EAX(SYS_FORK), ...SYSCALL, ...JMP_SELF,
      ];
      const path = join(executor.workDir, 'escape-loop');
      await writeFile(path, buildElf(codeSpec(code)));
      await chmod(path, 0o755);
      const outcome = await executor.run(path, 200);
      expect(outcome).toMatchObject({ verdict: 'runs', timedOut: true });
      expect(processesRunning(path)).toEqual([]);
      const killed = await executor.runBytes(buildElf({ ...exitSpec(0), segments: [{ ...exitSpec(0).segments![0]!, p_memsz: 16n }] }));
      expect(killed).toMatchObject({ verdict: 'exec-killed', signal: 'SIGSEGV', errno: 'EINVAL' });
    } finally {
      await owned.close();
    }
  }, 30_000);
});
