// ELF32, x32, big-endian, core, debug and library files get real findings and
// the right verdict: the class- and order-generic model end to end.
// Host facts: gcc (with -m32/-mx32 multilib where installed), objcopy and a
// writable working directory for core dumps; each case that needs one of
// them says so and is skipped without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { helloSpecFor } from '../src/gen/templates.js';
import { movImm32, Reg, syscall, SYS_EXIT } from '../src/gen/x86-64.js';
import { parseElf } from '../src/parse/parse.js';
import { predictExecve } from '../src/loader/predict.js';
import { DEFAULT_ASSUMPTIONS, type LoaderAssumptions } from '../src/model/assumptions.js';
import { EM_X86_64, ET_CORE, PF_R, PF_X } from '../src/model/constants.js';
import { lintBytes, ruleIds } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-containers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function verdictOf(bytes: Uint8Array, assumptions: LoaderAssumptions = DEFAULT_ASSUMPTIONS): string {
  const prediction = predictExecve(parseElf(bytes), { assumptions });
  return [prediction.verdict, prediction.errno ?? prediction.signal ?? ''].join(' ').trim();
}

function withEntry(spec: ElfSpec, e_entry: bigint): ElfSpec {
  return { ...spec, header: { ...spec.header, e_entry } };
}

describe('ELF32 (i386)', () => {
  const hello = helloSpecFor('i386', Buffer.from('hi\n'));

  it('a clean program runs through its loader', () => {
    expect(lintBytes(buildElf(hello))).toEqual([]);
    expect(verdictOf(buildElf(hello))).toBe('runs');
  });

  it('e_phentsize is checked against the 32-byte Elf32_Phdr', () => {
    const bytes = buildElf({ ...hello, header: { ...hello.header, e_phentsize: 56 } });
    const finding = lintBytes(bytes).find((f) => f.rule === 'header-phentsize');
    expect(finding).toMatchObject({ offset: 42, length: 2, actual: '56', expected: '32' });
    expect(finding?.message).toMatch(/ELF32 program header is 32 bytes/);
    expect(verdictOf(bytes)).toBe('exec-error ENOEXEC');
  });

  it('an entry point outside every segment is located in the 4-byte e_entry and faults', () => {
    const bytes = buildElf(withEntry(hello, 0x500000n));
    expect(lintBytes(bytes).find((f) => f.rule === 'entry-in-load-segment')).toMatchObject({ offset: 24, length: 4, actual: '0x500000' });
    expect(verdictOf(bytes)).toBe('start-fault SIGSEGV');
  });

  it('a segment above the 32-bit TASK_SIZE is out of range', () => {
    const segment = hello.segments![0]!;
    const bytes = buildElf({ ...withEntry(hello, 0xfffff054n), segments: [{ ...segment, p_vaddr: 0xfffff000n }] });
    expect(ruleIds(lintBytes(bytes))).toContain('segment-address-range');
    expect(verdictOf(bytes)).toBe('exec-killed ENOMEM');
  });
});

describe('x32 (ELFCLASS32 with EM_X86_64)', () => {
  const exit = Uint8Array.from([...movImm32(Reg.rax, 0x40000000 | SYS_EXIT), ...movImm32(Reg.rdi, 0), ...syscall()]);
  const x32: ElfSpec = { ident: { class: 1 }, header: { e_machine: EM_X86_64 }, segments: [{ p_flags: PF_R | PF_X, p_vaddr: 0x400000n, withHeaders: true, data: exit }] };

  it('is read with ELF32 structures: no false 56-byte or table findings', () => {
    expect(lintBytes(buildElf(x32))).toEqual([]);
    expect(verdictOf(buildElf(x32))).toBe('runs');
  });

  it('needs the x32 loader: a kernel without it refuses the file', () => {
    const without: LoaderAssumptions = { ...DEFAULT_ASSUMPTIONS, disabledLoaders: ['x32'] };
    const findings = lintBytes(buildElf(x32), { assumptions: without });
    expect(ruleIds(findings)).toEqual(['machine-mismatch']);
    expect(findings[0]!.message).toMatch(/x32 loader/);
    expect(verdictOf(buildElf(x32), without)).toBe('exec-error ENOEXEC');
  });

  const hasX32 = spawnSync('gcc', ['-mx32', '-x', 'c', '-c', '-o', join(scratch, 'probe.o'), '-'], { input: 'int x;' }).status === 0;
  it.skipIf(!hasX32)('gcc -mx32 objects are relocatable objects with no finding (needs gcc-multilib)', () => {
    const object = join(scratch, 'x32.o');
    execFileSync('gcc', ['-mx32', '-x', 'c', '-c', '-o', object, '-'], { input: 'int main(void) { return 0; }' });
    const bytes = readFileSync(object);
    expect(lintBytes(bytes).filter((f) => f.severity !== 'info')).toEqual([]);
    expect(verdictOf(bytes)).toBe('not-applicable ENOEXEC');
  });
});

describe('big-endian (s390x)', () => {
  const hello = helloSpecFor('s390x', Buffer.from('hi\n'));

  it('a clean program runs on its own architecture and is refused on x86-64', () => {
    expect(lintBytes(buildElf(hello))).toEqual([]);
    expect(verdictOf(buildElf(hello))).toBe('runs');
    const onX86 = { ...DEFAULT_ASSUMPTIONS, machine: 'x86_64' };
    expect(ruleIds(lintBytes(buildElf(hello), { assumptions: onX86 }))).toEqual(['machine-mismatch']);
    expect(verdictOf(buildElf(hello), onX86)).toBe('exec-error ENOEXEC');
  });

  it('fields are read big-endian: p_filesz past the end of the file', () => {
    const segment = hello.segments![0]!;
    const bytes = buildElf({ ...hello, segments: [{ ...segment, p_filesz: 0x100000n, p_memsz: 0x100000n }] });
    expect(lintBytes(bytes).find((f) => f.rule === 'load-segment-in-file')).toMatchObject({ field: 'phdr[0].p_filesz', actual: '0x100000' });
  });
});

describe('files execve never runs', () => {
  it('a core file gets header findings and no loader findings', () => {
    const core: ElfSpec = {
      header: { e_type: ET_CORE, e_entry: 0n },
      segments: [{ p_type: 1, p_flags: PF_R, p_vaddr: 0x10000n, p_filesz: 0x100000n, p_memsz: 0n, data: new Uint8Array(16) }],
      ident: { version: 0 },
    };
    const bytes = buildElf(core);
    // A memory image past the end is a cut dump, and a core without notes has no NT_PRSTATUS: core findings, not loader ones.
    expect(ruleIds(lintBytes(bytes))).toEqual(['core-notes', 'core-truncated', 'ident-version']);
    expect(predictExecve(parseElf(bytes)).reason).toMatch(/core dump/);
  });

  const hasGcc = spawnSync('gcc', ['--version']).status === 0;
  it.skipIf(!hasGcc)('a real core dump is clean and not applicable (needs gcc and core dumps to a file)', () => {
    const program = join(scratch, 'crash');
    execFileSync('gcc', ['-x', 'c', '-o', program, '-'], { input: 'int main(void) { volatile int *p = 0; return *p; }' });
    spawnSync('sh', ['-c', `ulimit -c unlimited && exec ${program}`], { cwd: scratch });
    // kernel.core_pattern "core" writes ./core, or ./core.PID with kernel.core_uses_pid.
    const name = readdirSync(scratch).find((entry) => /^core(\.\d+)?$/.test(entry));
    const core = name && join(scratch, name);
    if (!core) {
      console.warn('skipped: kernel.core_pattern does not write ./core here');
      return;
    }
    expect(lintBytes(readFileSync(core))).toEqual([]);
    expect(verdictOf(readFileSync(core))).toBe('not-applicable ENOEXEC');
  });

  it.skipIf(!hasGcc)('separate debug information and shared libraries get no loader findings (needs gcc and objcopy)', () => {
    const program = join(scratch, 'prog');
    execFileSync('gcc', ['-g', '-x', 'c', '-o', program, '-'], { input: 'int main(void) { return 0; }' });
    const debug = join(scratch, 'prog.debug');
    execFileSync('objcopy', ['--only-keep-debug', program, debug]);
    const debugBytes = readFileSync(debug);
    expect(lintBytes(debugBytes).filter((f) => f.category === 'loader')).toEqual([]);
    expect(predictExecve(parseElf(debugBytes)).reason).toMatch(/debug information/);
    const library = join(scratch, 'lib.so');
    execFileSync('gcc', ['-shared', '-fPIC', '-x', 'c', '-o', library, '-'], { input: 'int f(void) { return 1; }' });
    expect(predictExecve(parseElf(readFileSync(library))).reason).toMatch(/shared library/);
    for (const flags of [['-pie'], ['-static-pie'], ['-no-pie']]) {
      const output = join(scratch, `prog${flags[0]}`);
      execFileSync('gcc', [...flags, '-x', 'c', '-o', output, '-'], { input: 'int main(void) { return 0; }' });
      expect(verdictOf(readFileSync(output)), flags.join(' ')).toBe('runs');
    }
  });
});
