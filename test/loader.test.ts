// The loader model against its own rules, and against the real kernel.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { CORPUS } from '../src/gen/corpus.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { parseElf } from '../src/parse/parse.js';
import { lintParsed } from '../src/rules/engine.js';
import { predictExecve } from '../src/loader/predict.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from '../src/model/assumptions.js';
import type { LoaderVerdict } from '../src/model/loader-verdict.js';
import { PF_R, PF_W, PF_X } from '../src/model/constants.js';
import { analyse, compare, ExaminationMemo, lintRange, runCampaign, Tally } from '../src/fuzz/campaign.js';
import { examine } from '../src/examine.js';
import { hostAssumptions, hostDisabledLoaders, interpreterOracle } from '../src/fuzz/environment.js';
import { planMutations, mutate } from '../src/fuzz/mutate.js';
import { Random } from '../src/fuzz/random.js';
import { startExecutor, type Executor } from '../src/fuzz/executor.js';
import { HELLO, helloWithHeader, helloWithSegment } from './support.js';
import { helloSpec, helloSpecFor } from '../src/gen/templates.js';

const PIE_HELLO: ElfSpec = helloSpec(Buffer.from('hello from a PIE\n'), { pie: true });

function predict(bytes: Uint8Array, assumptions: LoaderAssumptions = DEFAULT_ASSUMPTIONS): { prediction: LoaderVerdict; rules: string[] } {
  const file = parseElf(bytes);
  const rules = file.kind === 'elf' ? lintParsed(file, { assumptions }).map((finding) => finding.rule) : ['not-elf'];
  return { prediction: predictExecve(file, { assumptions }), rules };
}

const short = (v: LoaderVerdict) => [v.verdict, v.errno ?? v.signal ?? ''].join(' ').trim();

describe('loader predictions for the corpus (default assumptions)', () => {
  const expected: Record<string, string> = {
    hello: 'runs',
    'hello-phentsize': 'exec-error ENOEXEC',
    'hello-phnum-zero': 'exec-error ENOEXEC',
    'hello-phoff-past-eof': 'exec-error ENOEXEC',
    'hello-header-truncated': 'exec-error ENOEXEC',
    'hello-type-none': 'exec-error ENOEXEC',
    'hello-interp-size': 'exec-error ENOEXEC',
    'hello-interp-nul': 'exec-error ENOEXEC',
    'hello-interp-past-eof': 'exec-error EIO',
    'hello-filesz-gt-memsz': 'exec-killed EINVAL',
    'hello-page-incongruent': 'exec-killed EINVAL',
    'hello-low-address': 'exec-killed EPERM',
    'hello-top-of-user-space': 'exec-killed ENOMEM',
    'hello-entry-kernel': 'exec-killed EINVAL',
    'hello-entry-zero': 'start-fault SIGSEGV',
    'hello-entry-outside': 'start-fault SIGSEGV',
    'hello-entry-not-executable': 'start-fault SIGSEGV',
    'hello-no-load': 'start-fault SIGSEGV',
    'hello-ident-class': 'runs',
    'hello-ident-data': 'runs',
    'hello-elf32': 'runs',
    'hello-wx': 'runs',
    'hello-align-incongruent': 'runs',
  };
  it.each(Object.entries(expected))('%s: %s', (name, verdict) => {
    const entry = CORPUS.find((candidate) => candidate.name === name)!;
    expect(short(predict(buildElf(entry.spec)).prediction)).toBe(verdict);
  });

  it('privilege and vm.mmap_min_addr are assumptions', () => {
    const low = buildElf(CORPUS.find((entry) => entry.name === 'hello-low-address')!.spec);
    expect(short(predict(low, { ...DEFAULT_ASSUMPTIONS, privileged: true }).prediction)).toBe('runs');
    expect(short(predict(low, { ...DEFAULT_ASSUMPTIONS, mmapMinAddr: 4096n }).prediction)).toBe('runs');
  });

  it('relocatable objects and non-ELF files are not applicable', () => {
    expect(predict(buildElf({ header: { e_type: 1 } })).prediction).toMatchObject({ verdict: 'not-applicable', errno: 'ENOEXEC' });
    expect(predict(Buffer.from('#!/bin/sh\n')).prediction).toMatchObject({ verdict: 'not-applicable' });
  });
});

describe('addresses of a randomised image', () => {
  it('are the range randomisation chooses from, not one of its ends; a fixed image has one address', () => {
    const pie = predict(buildElf(PIE_HELLO)).prediction;
    expect(pie).toMatchObject({ verdict: 'runs' });
    expect(pie.uncertain).toBeFalsy();
    const [, low, high] = /starts at (0x[0-9a-f]+)-(0x[0-9a-f]+) \(randomised within this range\)$/.exec(pie.reason) ?? [];
    expect(low, pie.reason).toBeDefined();
    expect(BigInt(low!) < BigInt(high!)).toBe(true);
    expect(predict(buildElf(HELLO)).prediction.reason).toBe('the program starts at 0x400078');
  });
});

describe('the loader and the rules agree on the causes', () => {
  const check = (bytes: Uint8Array, assumptions: LoaderAssumptions) => {
    const { prediction, rules } = predict(bytes, assumptions);
    const missing = prediction.because.filter((id) => !rules.includes(id));
    return { prediction, missing };
  };

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('every rule the prediction names for %s fired', (_, entry) => {
    const assumptions = entry.machine === undefined ? DEFAULT_ASSUMPTIONS : { ...DEFAULT_ASSUMPTIONS, machine: entry.machine };
    expect(check(buildElf(entry.spec), assumptions).missing).toEqual([]);
  });

  it.each([
    ['hello', HELLO, 'x86_64'], ['the PIE variant of hello', PIE_HELLO, 'x86_64'],
    ['the i386 hello on x86-64 (ia32 handler)', helloSpecFor('i386', Buffer.from('hi\n')), 'x86_64'],
    ['the i386 hello on i386', helloSpecFor('i386', Buffer.from('hi\n')), 'i386'],
    ['the big-endian s390x hello', helloSpecFor('s390x', Buffer.from('hi\n')), 's390x'],
    ['the aarch64 hello', helloSpecFor('aarch64', Buffer.from('hi\n')), 'aarch64'],
  ] as const)('and for thousands of fuzz mutants of %s', (_, spec, machine) => {
    const seed = parseElf(buildElf(spec));
    if (seed.kind !== 'elf') throw new Error('seed');
    const assumptions = { ...DEFAULT_ASSUMPTIONS, machine, mmapMinAddr: 4096n };
    const plan = planMutations({ seed, assumptions });
    const problems: string[] = [];
    for (let index = 0; index < 4000; index += 1) {
      const mutant = mutate(plan, Random.forMutant(11, index));
      const { prediction, missing } = check(mutant.bytes, assumptions);
      // An uncertain prediction rests on the random load address, which no rule can know.
      if (missing.length > 0 && !prediction.uncertain) problems.push(`${index} ${mutant.field}=${mutant.value}: ${short(prediction)} names ${missing.join(', ')}, which did not fire`);
    }
    expect(problems).toEqual([]);
  });
});

describe('mutation', () => {
  it('never writes into the seed, even when the seed is a Buffer view', () => {
    const pooled = Buffer.from(buildElf(HELLO));
    const seed = parseElf(pooled);
    if (seed.kind !== 'elf') throw new Error('seed');
    const before = Buffer.from(pooled);
    const plan = planMutations({ seed, assumptions: DEFAULT_ASSUMPTIONS });
    for (let index = 0; index < 500; index += 1) mutate(plan, Random.forMutant(3, index));
    expect(pooled.equals(before)).toBe(true);
  });

  it('is reproducible from the seed and index', () => {
    const seed = parseElf(buildElf(HELLO));
    if (seed.kind !== 'elf') throw new Error('seed');
    const plan = planMutations({ seed, assumptions: DEFAULT_ASSUMPTIONS });
    const first = mutate(plan, Random.forMutant(9, 123));
    const again = mutate(plan, Random.forMutant(9, 123));
    expect(again).toEqual(first);
    expect(again.bytes).toEqual(first.bytes);
    expect(mutate(plan, Random.forMutant(10, 123)).bytes).not.toEqual(first.bytes);
  });

  it.each([
    ['hello', HELLO], ['the PIE variant of hello', PIE_HELLO], ['the big-endian s390x hello', helloSpecFor('s390x', Buffer.from('hi\n'))],
  ] as const)('names the bytes of each mutant of %s by its key, which campaigns examine once', (_, spec) => {
    const seed = parseElf(buildElf(spec));
    if (seed.kind !== 'elf') throw new Error('seed');
    const plan = planMutations({ seed, assumptions: DEFAULT_ASSUMPTIONS });
    const bytesOf = new Map<string, Buffer>();
    const kinds = new Set<string>();
    for (let index = 0; index < 3000; index += 1) {
      const mutant = mutate(plan, Random.forMutant(4, index));
      kinds.add(mutant.field.startsWith('table:') || mutant.field === 'truncate' ? mutant.field : 'field');
      const earlier = bytesOf.get(mutant.key);
      if (earlier) expect(Buffer.from(mutant.bytes).equals(earlier), `${index}: ${mutant.key}`).toBe(true);
      else bytesOf.set(mutant.key, Buffer.from(mutant.bytes));
    }
    // Every kind of mutation was tried, and repeats were common enough to matter.
    expect([...kinds].sort()).toEqual(['field', 'table:duplicate', 'table:extra-segment', 'table:move', 'truncate']);
    expect(bytesOf.size).toBeLessThan(3000 / 2);

    // A remembered examination is the one examine gives the bytes.
    const memo = new ExaminationMemo(plan);
    for (let index = 0; index < 400; index += 1) {
      const item = analyse(plan, 4, index, memo);
      const fresh = examine(item.mutant.bytes, { assumptions: plan.assumptions, predict: { sharedObjects: 'predict' } });
      expect(item.rules, `${index}`).toEqual(fresh.findings.map((finding) => finding.rule));
      expect(item.prediction, `${index}`).toEqual(fresh.loader);
    }
    expect(memo.hits).toBeGreaterThan(0);
  });

  it('splits a lint-only campaign between threads by key, and the shares add up to the whole', () => {
    const seed = parseElf(buildElf(HELLO));
    if (seed.kind !== 'elf') throw new Error('seed');
    const plan = planMutations({ seed, assumptions: DEFAULT_ASSUMPTIONS });
    const counts = (tally: Tally) => ({
      completed: tally.completed, uncertain: tally.uncertain, byRule: tally.byRule,
      byField: Object.fromEntries(Object.entries(tally.byField).map(([field, outcomes]) => [field, Object.fromEntries(Object.entries(outcomes).map(([key, stats]) => [key, stats.count]))])),
    });
    const whole = lintRange(plan, 6, { share: 0, shares: 1, count: 1500 }, () => false);
    const merged = new Tally();
    const shares = [0, 1, 2].map((share) => lintRange(plan, 6, { share, shares: 3, count: 1500 }, () => false));
    for (const share of shares) merged.merge(share);
    expect(counts(merged)).toEqual(counts(whole));
    expect(whole.completed).toBe(1500);
    for (const share of shares) expect(share.completed).toBeGreaterThan(0);
  });
});

const canExecute = process.platform === 'linux' && process.arch === 'x64' && spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
if (!canExecute) console.warn('loader.test: not Linux x86-64 with cc; predictions are not checked against the kernel');

/** Files beyond the corpus that exercise loader paths the corpus does not reach on this host. */
const CURATED: Record<string, ElfSpec> = {
  'segment at address 0 (EPERM for an unprivileged user)': { ...helloWithSegment({ p_vaddr: 0n, p_paddr: 0n, p_align: 0x1000n }), header: { e_entry: 0x78n } },
  'entry in zeroed bss of a writable segment': helloWithSegment({ p_flags: PF_R | PF_W | PF_X, p_filesz: 0x78n, p_memsz: 910n }),
  'entry in a page past the end of the file (SIGBUS)': { ...helloWithSegment({ p_filesz: 0x3000n, p_memsz: 0x3000n }), header: { e_entry: 0x402000n } },
  'entry one byte into the code': helloWithHeader({ e_entry: 0x400079n }),
  'PIE variant of hello': { ...HELLO, header: { e_type: 3 }, segments: [{ ...HELLO.segments![0]!, p_vaddr: 0n }] },
  'static PIE whose first segment has no file contents (vm_brk at 0: EPERM)': {
    header: { e_type: 3, e_entry: 0x78n },
    segments: [{ p_flags: PF_R | PF_W, p_vaddr: 0n, p_offset: 0n, p_filesz: 0n, p_memsz: 0x10n, p_align: 0x1000n }, { ...PIE_HELLO.segments![0]!, p_vaddr: 0x1000n }],
  },
  // Both failed before: the model compared p_offset + length with 2^63 instead of file_mmap_ok's page-rounded bound.
  'PT_LOAD whose file image ends at 2^63 - 1 page + 1 page (file_mmap_ok: EOVERFLOW)': helloWithSegment({ p_offset: (1n << 63n) - 0x1000n, p_filesz: 0x1000n, p_memsz: 0x1000n }),
  'PT_LOAD whose file image ends two pages before 2^63 (mapped; the entry page lies past EOF: SIGBUS)': helloWithSegment({ p_offset: (1n << 63n) - 0x3000n, p_filesz: 0x1000n, p_memsz: 0x1000n }),
  'PT_INTERP whose p_offset + p_filesz passes 2^63 - 1 (rw_verify_area: EINVAL)': {
    ...HELLO, segments: [{ p_type: 3, p_flags: PF_R, p_align: 1n, p_offset: (1n << 63n) - 2n, p_filesz: 0x10n }, HELLO.segments![0]!],
  },
  'PIE with p_align 2^63 (the aligned base is 0: EPERM)': { ...PIE_HELLO, segments: [{ ...PIE_HELLO.segments![0]!, p_align: 1n << 63n }] },
  'static PIE with unsorted segments (the image spans from the lowest)': {
    ...PIE_HELLO,
    segments: [{ p_flags: PF_R, p_vaddr: 0x600000n, p_offset: 0x1000n, p_filesz: 0n, p_memsz: 0n, p_align: 0n }, PIE_HELLO.segments![0]!],
  },
};

describe.skipIf(!canExecute)('predictions match the kernel', () => {
  let executor: Executor;
  const assumptions = hostAssumptions(false);
  beforeAll(async () => { executor = await startExecutor({ jobs: 2 }); });
  afterAll(async () => { await executor?.close(); });

  const cases: [string, Uint8Array][] = [
    ...CORPUS.map((entry): [string, Uint8Array] => [`corpus/${entry.name}`, buildElf(entry.spec)]),
    ...Object.entries(CURATED).map(([name, spec]): [string, Uint8Array] => [name, buildElf(spec)]),
  ];

  it.each(cases)('%s', async (_, bytes) => {
    const file = parseElf(bytes);
    // Shared libraries are predicted too (as fuzz campaigns do): the runner executes them, so the kernel judges them.
    const prediction = predictExecve(file, { assumptions, sharedObjects: 'predict', interpreter: interpreterOracle(executor.workDir) });
    const outcome = await executor.runBytes(bytes);
    // Hand-made files with PT_INTERP make the real dynamic linker crash before their entry point: not comparable.
    expect({ prediction: short(prediction), comparison: compare(prediction, outcome) }).toEqual({ prediction: short(prediction), comparison: expect.stringMatching(/^(agree|interpreter-stopped)$/) });
  });

  // A dynamic PIE that gcc built, as it is and with its entry point moved: the dynamic linker
  // loads it and jumps to e_entry, so the verdict is decided at the program's own entry.
  const dynamic = !canExecute ? Buffer.alloc(0) : (() => {
    const directory = mkdtempSync(join(tmpdir(), 'elf-lint-dynamic-'));
    try {
      const output = join(directory, 'pie');
      execFileSync('cc', ['-pie', '-fPIE', '-x', 'c', '-o', output, '-'], { input: 'int main(void) { return 7; }' });
      return readFileSync(output);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  })();
  const patched = (offset: number, value: bigint, size = 8) => {
    const bytes = Buffer.from(dynamic);
    if (size === 8) bytes.writeBigUInt64LE(value, offset);
    else bytes.writeUInt8(Number(value), offset);
    return bytes;
  };
  const interpOffset = !canExecute ? 0 : (() => {
    const file = parseElf(dynamic);
    if (file.kind !== 'elf') throw new Error('cc output is not ELF');
    return Number(file.programHeaders.find((phdr) => phdr.p_type === 3)!.p_offset);
  })();
  it.each([
    ['as gcc built it', dynamic, 'runs'],
    ['with e_entry outside every segment', patched(24, 0x7f000000n), 'start-fault SIGSEGV'],
    ['with e_entry in kernel space', patched(24, 0xffffffff81000000n), 'start-fault SIGSEGV'],
    ['with an empty interpreter path', patched(interpOffset, 0n, 1), 'exec-error EACCES'],
  ] as const)('a gcc-built dynamic PIE %s: %s, at the stage the runner reaches', async (_, bytes, expected) => {
    const prediction = predictExecve(parseElf(bytes), { assumptions, interpreter: interpreterOracle(executor.workDir) });
    const outcome = await executor.runBytes(bytes);
    expect(short(prediction)).toBe(expected);
    expect({ stage: outcome.stage, comparison: compare(prediction, outcome) }).toEqual({ stage: prediction.stage, comparison: 'agree' });
  });

  it('covers every rule a non-running prediction can name', () => {
    const named = new Set(cases.flatMap(([, bytes]) => {
      const file = parseElf(bytes);
      const prediction = predictExecve(file, { assumptions });
      return prediction.verdict === 'runs' ? [] : prediction.because;
    }));
    const expected = ['header-phentsize', 'phdr-count', 'phdr-table-bounds', 'header-type', 'machine-mismatch', 'interp-size', 'interp-in-file',
      'interp-nul', 'segment-page-congruence', 'segment-filesz-exceeds-memsz', 'segment-address-range', 'segment-below-mmap-min-addr',
      'entry-user-space', 'entry-zero', 'entry-in-load-segment', 'entry-executable', 'entry-file-backed', 'no-load-segment', 'load-segment-in-file'];
    expect(expected.filter((id) => !named.has(id))).toEqual([]);
  });

  it.each([
    ['hello', HELLO, 3000, 2026],
    ['the PIE variant', PIE_HELLO, 1500, 2027],
  ] as const)('an executed campaign on %s has no disagreement', async (name, spec, count, randomSeed) => {
    const seed = parseElf(buildElf(spec));
    if (seed.kind !== 'elf') throw new Error('seed');
    const result = await runCampaign({ seed, seedPath: name, count, randomSeed, assumptions, executor, window: 8, timeoutMs: 1000 });
    const lines = result.disagreements.map((d) => `${d.index} ${d.field}=${d.value}: predicted ${short(d.prediction)}, kernel ${d.outcome.verdict} ${d.outcome.errno ?? d.outcome.signal ?? ''}`);
    expect(lines).toEqual([]);
    expect(result.completed).toBe(count);
  });

  // Host facts: vm.overcommit_memory 0 (the heuristic) and RAM plus swap from /proc/meminfo. The
  // runner's RLIMIT_AS would refuse both sizes first, so these run the file directly as this user.
  const memory = hostAssumptions(false).memory;
  const heuristic = hostAssumptions(false).overcommit === 'guess' && memory !== undefined;
  it.skipIf(!heuristic)('a bss larger than RAM plus swap is refused (exec-killed ENOMEM), one that fits runs', () => {
    const direct = { ...assumptions, addressSpaceLimit: undefined };
    for (const [bss, expected] of [[memory! / 4n, 'runs'], [memory! * 2n, 'exec-killed ENOMEM']] as const) {
      const bytes = buildElf(helloWithSegment({ p_flags: PF_R | PF_W | PF_X, p_memsz: 910n + bss }));
      expect(short(predictExecve(parseElf(bytes), { assumptions: direct }))).toBe(expected);
      const directory = mkdtempSync(join(tmpdir(), 'elf-lint-overcommit-'));
      try {
        const path = join(directory, 'big-bss');
        writeFileSync(path, bytes, { mode: 0o755 });
        const result = spawnSync(path, [], { encoding: 'latin1' });
        // Killed inside execve, it prints nothing; run, it prints the hello message and exits 0.
        expect(result.status === 0 && result.stdout.startsWith('Hello from Docker') ? 'runs' : `killed ${result.signal}`)
          .toBe(expected === 'runs' ? 'runs' : 'killed SIGSEGV');
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    }
  });

  // Host fact: the kernel runs i386 programs through its ia32 handler (IA32 emulation on). Where it
  // refuses them, the i386 predictions rest on the kernel source alone and this case says so.
  const ia32Off = canExecute && hostDisabledLoaders().includes('ia32');
  if (ia32Off) console.warn('loader.test: this kernel refuses i386 programs (IA32 emulation off); no executed i386 campaign');
  it.skipIf(ia32Off)('an executed campaign on the i386 hello, through the ia32 compat handler, has no disagreement', async () => {
    const seed = parseElf(buildElf(helloSpecFor('i386', Buffer.from('hello from i386\n'))));
    if (seed.kind !== 'elf') throw new Error('seed');
    const result = await runCampaign({ seed, seedPath: 'hello-i386', count: 2000, randomSeed: 2028, assumptions, executor, window: 8, timeoutMs: 1000 });
    const lines = result.disagreements.map((d) => `${d.index} ${d.field}=${d.value}: predicted ${short(d.prediction)}, kernel ${d.outcome.verdict} ${d.outcome.errno ?? d.outcome.signal ?? ''}`);
    expect(lines).toEqual([]);
    expect(result.completed).toBe(2000);
  });
});

describe('architecture facts the guest kernels showed (arm64 and riscv64 profiles)', () => {
  const MESSAGE = Buffer.from('hello\n');
  const onKernel = (machine: string): LoaderAssumptions => ({ privileged: false, machine, kernel: { major: 6, minor: 1 } });
  const words = (...values: number[]) => Buffer.concat(values.map((value) => { const b = Buffer.alloc(4); b.writeUInt32LE(value >>> 0); return b; }));
  /** An NT_GNU_PROPERTY_TYPE_0 note: header, name, then the given properties (type, data) padded to 8. */
  const propertyNote = (properties: readonly [number, Buffer][], options: { name?: string; descsz?: number } = {}) => {
    const desc = Buffer.concat(properties.map(([type, data]) => Buffer.concat([words(type, data.length), data, Buffer.alloc((8 - (data.length % 8)) % 8)])));
    return Buffer.concat([words(4, options.descsz ?? desc.length, 5), Buffer.from(options.name ?? 'GNU\0', 'latin1'), desc]);
  };
  const FEATURE_1_AND = 0xc0000000;
  /** The arch's hello with a PT_GNU_PROPERTY segment holding `note`. */
  const withProperty = (arch: string, note: Buffer, fields: Partial<{ p_filesz: bigint }> = {}): Uint8Array => {
    const hello = helloSpecFor(arch, MESSAGE);
    return buildElf({ ...hello, segments: [...hello.segments!, { p_type: 0x6474e553, p_flags: PF_R, p_align: 8n, data: note, ...fields }] });
  };
  const verdictOf = (bytes: Uint8Array, machine: string) => short(predictExecve(parseElf(bytes), { assumptions: onKernel(machine) }));

  it('arm64 reads PT_GNU_PROPERTY before the point of no return and refuses a malformed note (ENOEXEC), x86-64 does not read it', () => {
    const bti = words(1);
    expect(verdictOf(withProperty('aarch64', propertyNote([[FEATURE_1_AND, bti]])), 'aarch64')).toBe('runs');
    const cases: [string, Buffer][] = [
      ['FEATURE_1_AND of 8 bytes', propertyNote([[FEATURE_1_AND, Buffer.alloc(8)]])],
      ['owner "GNX"', propertyNote([[FEATURE_1_AND, bti]], { name: 'GNX\0' })],
      ['n_descsz past the segment', propertyNote([[FEATURE_1_AND, bti]], { descsz: 64 })],
      ['unsorted properties', propertyNote([[0xc0000002, words(0)], [FEATURE_1_AND, bti]])],
      ['a property cut short', propertyNote([[FEATURE_1_AND, bti]], { descsz: 12 })],
    ];
    for (const [what, note] of cases) {
      expect(verdictOf(withProperty('aarch64', note), 'aarch64'), what).toBe('exec-error ENOEXEC');
      // x86 kernels do not select ARCH_USE_GNU_PROPERTY: the same note changes nothing.
      expect(verdictOf(withProperty('x86_64', note), 'x86_64'), what).toBe('runs');
    }
    // Fewer bytes than a note header and its name can be read: EIO.
    expect(verdictOf(withProperty('aarch64', propertyNote([[FEATURE_1_AND, bti]]), { p_filesz: 8n }), 'aarch64')).toBe('exec-error EIO');
    // More than NOTE_DATA_SZ (1 KiB): ENOEXEC before anything is read.
    expect(verdictOf(withProperty('aarch64', propertyNote([[FEATURE_1_AND, bti]]), { p_filesz: 0x401n }), 'aarch64')).toBe('exec-error ENOEXEC');
  });

  it('a fetch from a non-executable page past the end of the file: SIGSEGV on arm64 and riscv64, SIGBUS on x86-64', () => {
    // A second PT_LOAD, read-only (or executable), three pages long in a file of less than one; the entry in its last page.
    const pastEof = (arch: string, flags: number): Uint8Array => {
      const hello = helloSpecFor(arch, MESSAGE);
      const segment = { p_type: 1, p_flags: flags, p_offset: 0n, p_vaddr: 0x800000n, p_filesz: 0x3000n, p_memsz: 0x3000n, p_align: 0x1000n };
      return buildElf({ ...hello, header: { ...hello.header, e_entry: 0x802000n }, segments: [...hello.segments!, segment] });
    };
    for (const arch of ['aarch64', 'riscv64']) {
      expect(verdictOf(pastEof(arch, PF_R), arch), arch).toBe('start-fault SIGSEGV');
      expect(verdictOf(pastEof(arch, PF_R | PF_X), arch), arch).toBe('start-fault SIGBUS');
    }
    expect(verdictOf(pastEof('x86_64', PF_R), 'x86_64')).toBe('start-fault SIGBUS');
  });

  it('a writable PT_LOAD whose page to zero lies past the end of the file: EFAULT since 6.7 (commit f9c0a39d9530), ignored by 6.1', () => {
    // mutant 10551 of the amd64 6.1 campaign: an extra first PT_LOAD, read-write, its file bytes past EOF.
    // Two program headers: the code starts at 0x40 + 2 * 56.
    const bytes = buildElf({ ...HELLO, header: { ...HELLO.header, e_entry: 0x4000b0n }, segments: [
      { p_type: 1, p_flags: PF_R | PF_W, p_offset: 0x1000n, p_vaddr: 0x400000n, p_filesz: 0x20n, p_memsz: 0x1020n, p_align: 0n },
      HELLO.segments![0]!,
    ] });
    const on = (kernel?: { major: number; minor: number }) => short(predictExecve(parseElf(bytes), { assumptions: { privileged: false, machine: 'x86_64', ...(kernel ? { kernel } : {}) } }));
    expect(on({ major: 6, minor: 1 })).toBe('runs');
    expect(on({ major: 6, minor: 12 })).toBe('exec-killed EFAULT');
    expect(on()).toBe('exec-killed EFAULT');
  });
});
