// The first-instruction analyser: unit tests on a fake process image, then
// ground truth from the real CPU: tiny static executables are exec'd under
// ptrace and their first instruction single-stepped.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from '../src/gen/templates.js';
import { firstInstructionOutcome, type Access, type CpuFacts, type FirstInstruction, type MemoryView } from '../src/loader/first-instruction.js';
import { hostDisabledLoaders } from '../src/fuzz/environment.js';

const hexBytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const le = (value: bigint, size: number): string => Buffer.from(Array.from({ length: size }, (_, i) => Number((BigInt.asUintN(size * 8, value) >> BigInt(8 * i)) & 0xffn))).toString('hex');

// ---------------------------------------------------------------------------
// A fake process image

interface Region {
  readonly start: bigint;
  readonly end: bigint;
  readonly perms: string; // like /proc/PID/maps: 'r-x', 'rw-'
  readonly bytes?: Uint8Array; // content from `start`; zeros after it
  readonly busFrom?: bigint; // pages from here on lie beyond the end of the file
}

function fakeMemory(regions: readonly Region[]): MemoryView {
  return {
    byteAt(address: bigint, access: Access) {
      const region = regions.find((r) => address >= r.start && address < r.end);
      if (!region) return 'unmapped';
      const flag = access === 'execute' ? 'x' : access === 'write' ? 'w' : 'r';
      if (!region.perms.includes(flag)) return 'denied';
      if (region.busFrom !== undefined && address >= region.busFrom) return 'bus-error';
      const offset = Number(address - region.start);
      return region.bytes && offset < region.bytes.length ? region.bytes[offset]! : 0;
    },
  };
}

const PAGE = 0x400000n;
const ENTRY = 0x400078n;
const STACK_TOP = 0x7ffffffff000n;
const RSP = 0x7fffffffe000n;

/** The table's host: IA32 system calls on, CPUID faulting off (the defaults the loader model states). */
const DEFAULT_CPU: CpuFacts = { int80: 'completes', cpuid: 'completes' };

interface Setup {
  readonly cpu?: CpuFacts;
  /** Put the code so that only this many of its bytes fit before the page end (the next page is unmapped or beyond EOF). */
  readonly available?: number;
  readonly nextPage?: 'unmapped' | 'bus-error';
  readonly stack?: Uint8Array;
}

function outcome(code: string, setup: Setup = {}): FirstInstruction {
  const bytes = hexBytes(code);
  const entry = setup.available === undefined ? ENTRY : PAGE + 0x1000n - BigInt(setup.available);
  const page = new Uint8Array(0x1000);
  page.set(bytes.subarray(0, setup.available ?? bytes.length), Number(entry - PAGE));
  const regions: Region[] = [
    setup.nextPage === 'bus-error'
      ? { start: PAGE, end: PAGE + 0x2000n, perms: 'r-x', bytes: page, busFrom: PAGE + 0x1000n }
      : { start: PAGE, end: PAGE + 0x1000n, perms: 'r-x', bytes: page },
    { start: STACK_TOP - 0x21000n, end: STACK_TOP, perms: 'rw-', ...(setup.stack ? { bytes: stackImage(setup.stack) } : {}) },
  ];
  return firstInstructionOutcome(fakeMemory(regions), entry, RSP, setup.cpu ?? DEFAULT_CPU);
}

/** The stack region's bytes with `top` placed at rsp. */
function stackImage(top: Uint8Array): Uint8Array {
  const image = new Uint8Array(0x21000);
  image.set(top, Number(RSP - (STACK_TOP - 0x21000n)));
  return image;
}

function signalOf(result: FirstInstruction): string {
  return result.kind === 'faults' ? result.signal : result.kind;
}

/**
 * Host facts for the comparison with the CPU: int 0x80 completes only while the kernel runs i386
 * programs (the same ia32_enabled switch; probed by executing one), and CPUID faulting is not
 * probed here, so cpuid vectors are left out of the comparison ('unknown').
 */
const HOST_CPU: CpuFacts = {
  int80: process.platform === 'linux' && process.arch === 'x64' && !hostDisabledLoaders().includes('ia32') ? 'completes' : 'faults',
  cpuid: 'unknown',
};

describe('firstInstructionOutcome: clear cases', () => {
  it.each([
    ['00 00', 'SIGSEGV', 'add [rax], al writes address 0'],
    ['b8 01 00 00 00', 'completes', 'mov eax, 1'],
    ['48 b8 01 00 00 00 00 00 00 00', 'completes', 'mov rax, imm64'],
    ['0f 0b', 'SIGILL', 'ud2'],
    ['f4', 'SIGSEGV', 'hlt is privileged'],
    ['cc', 'SIGTRAP', 'int3'],
    ['f1', 'SIGTRAP', 'int1'],
    ['f7 f0', 'SIGFPE', 'div eax by zero'],
    ['f7 f4', 'completes', 'div esp: rsp is not zero'],
    ['f6 f4', 'SIGFPE', 'div ah (zero)'],
    ['40 f6 f4', 'SIGFPE', 'div spl: the low byte of rsp is zero here'],
    ['6c', 'SIGSEGV', 'insb'],
    ['f3 6c', 'unknown', 'rep insb with rcx = 0: AMD checks the port, Intel does not say'],
    ['e4 60', 'SIGSEGV', 'in al, 0x60'],
    ['fa', 'SIGSEGV', 'cli'],
    ['0f 05', 'completes', 'syscall'],
    ['cd 80', 'completes', 'int 0x80'],
    ['cd 03', 'SIGTRAP', 'int 3'],
    ['cd 04', 'SIGSEGV', 'int 4 is delivered as SIGSEGV'],
    ['cd 21', 'SIGSEGV', 'int 0x21: DPL 0 gate'],
    ['ce', 'SIGILL', 'into'],
    ['06', 'SIGILL', 'push es'],
    ['9a 00 00 00 00 00 00', 'SIGILL', 'far call ptr'],
    ['d4 0a', 'SIGILL', 'aam'],
    ['f0 00 c0', 'SIGILL', 'lock with a register destination'],
    ['f0 38 00', 'SIGILL', 'lock cmp'],
    ['f0 00 00', 'SIGSEGV', 'lock add [rax], al'],
    ['f0 f4', 'SIGILL', 'lock before hlt: #UD wins'],
    ['48 89 e5', 'completes', 'mov rbp, rsp'],
    ['50', 'completes', 'push rax'],
    ['58', 'completes', 'pop rax'],
    ['c3', 'completes', 'ret (the target is not fetched)'],
    ['e8 00 00 00 00', 'completes', 'call'],
    ['c9', 'SIGSEGV', 'leave pops from rbp = 0'],
    ['c8 10 00 00', 'completes', 'enter 16, 0'],
    ['c8 10 00 02', 'SIGSEGV', 'enter 16, 2 reads [rbp-8]'],
    ['ff 34 24', 'completes', 'push qword [rsp]'],
    ['8f 04 24', 'completes', 'pop qword [rsp]'],
    ['a4', 'SIGSEGV', 'movsb reads [rsi] = 0'],
    ['f3 a4', 'completes', 'rep movsb with rcx = 0'],
    ['f3 aa', 'completes', 'rep stosb with rcx = 0'],
    ['f2 ae', 'completes', 'repne scasb with rcx = 0'],
    ['8d 04 25 00 00 00 00', 'completes', 'lea never accesses memory'],
    ['8d c0', 'SIGILL', 'lea with a register operand'],
    ['0f 1f 44 00 00', 'completes', 'nop dword [rax+rax]'],
    ['0f 28 04 24', 'completes', 'movaps from the aligned stack'],
    ['0f 28 44 24 08', 'SIGSEGV', 'movaps misaligned'],
    ['0f 10 44 24 08', 'completes', 'movups misaligned is fine'],
    ['8e d8', 'completes', 'mov ds, ax (null selector)'],
    ['8e d0', 'SIGSEGV', 'mov ss, ax (null selector at CPL 3)'],
    ['0f 20 c0', 'SIGSEGV', 'mov rax, cr0'],
    ['0f 30', 'SIGSEGV', 'wrmsr'],
    ['0f 32', 'SIGSEGV', 'rdmsr'],
    ['0f a2', 'completes', 'cpuid'],
    ['0f b6 04 24', 'completes', 'movzx eax, byte [rsp]'],
    ['0f 95 c0', 'completes', 'setne al'],
    ['0f 95 00', 'SIGSEGV', 'setne [rax]'],
    ['0f 84 00 00 00 00', 'completes', 'je rel32'],
    ['0f af 04 24', 'completes', 'imul eax, [rsp]'],
    ['0f 44 00', 'SIGSEGV', 'cmove reads its source whatever the condition'],
    ['d9 04 24', 'completes', 'fld dword [rsp]'],
    ['dd 34 24', 'completes', 'fnsave [rsp]: 108 bytes of stack'],
    ['d9 e8', 'completes', 'fld1'],
    ['a1 00 00 40 00 00 00 00 00', 'completes', 'mov eax, [0x400000]'],
    ['a3 00 00 40 00 00 00 00 00', 'SIGSEGV', 'mov [0x400000], eax: the code page is read-only'],
    ['a0 00 00 00 00 00 80 00 00', 'SIGSEGV', 'moffs at a non-canonical address (#GP)'],
    ['62 f8 00 00 00', 'SIGILL', 'EVEX with a reserved bit'],
    ['c5 f8 77', 'unknown', 'vzeroupper: VEX is not modelled'],
    ['66 c5 f8 77', 'SIGILL', 'VEX after 66'],
    ['0f 38 00 c0', 'unknown', 'three-byte map'],
    ['0f 01 d0', 'completes', 'xgetbv'],
    ['0f 01 f8', 'SIGSEGV', 'swapgs'],
    ['0f 01 00', 'SIGSEGV', 'sgdt [rax]: whether or not UMIP intervenes'],
    ['0f 01 04 24', 'unknown', 'sgdt [rsp]: UMIP and the kernel decide'],
    ['0f 00 d0', 'SIGSEGV', 'lldt'],
    ['0f ff', 'SIGILL', 'ud0'],
    ['f3 0f b8 c0', 'completes', 'popcnt'],
    ['0f b8 c0', 'SIGILL', 'jmpe'],
    ['0f a1', 'completes', 'pop fs: argc 0 here, a null selector'],
  ])('%s -> %s (%s)', (code, expected) => {
    expect(signalOf(outcome(code))).toBe(expected);
  });

  it('int 0x80 and cpuid follow the stated host facts', () => {
    expect(signalOf(outcome('cd 80', { cpu: { ...DEFAULT_CPU, int80: 'faults' } }))).toBe('SIGSEGV');
    expect(signalOf(outcome('cd 80', { cpu: { ...DEFAULT_CPU, int80: 'unknown' } }))).toBe('unknown');
    expect(signalOf(outcome('0f a2', { cpu: { ...DEFAULT_CPU, cpuid: 'faults' } }))).toBe('SIGSEGV');
    expect(signalOf(outcome('0f a2', { cpu: { ...DEFAULT_CPU, cpuid: 'unknown' } }))).toBe('unknown');
  });

  it('reads memory operands through the view: div by a stack value', () => {
    expect(signalOf(outcome('f7 34 24'))).toBe('SIGFPE'); // the fake stack is zero
    expect(signalOf(outcome('f7 34 24', { stack: hexBytes('01') }))).toBe('completes');
    // Selectors are checked against Linux's GDT: 0x2b is user data, 0x10 the kernel's code.
    expect(signalOf(outcome('0f a1', { stack: hexBytes('2b') }))).toBe('completes');
    expect(signalOf(outcome('0f a1', { stack: hexBytes('10') }))).toBe('SIGSEGV');
    expect(signalOf(outcome('0f a1', { stack: hexBytes('0c') }))).toBe('SIGSEGV'); // no LDT
    expect(signalOf(outcome('8e 14 24', { stack: hexBytes('2b') }))).toBe('unknown'); // mov ss holds off the trap
    expect(signalOf(outcome('cb', { stack: hexBytes('01000000 33000000') }))).toBe('unknown'); // retf to user code
    expect(signalOf(outcome('cb', { stack: hexBytes('01000000 ff000000') }))).toBe('SIGSEGV');
  });

  it('fetches lazily and faults when the instruction crosses into an unmapped page', () => {
    expect(signalOf(outcome('b8 01 00 00 00', { available: 3 }))).toBe('SIGSEGV');
    expect(signalOf(outcome('b8 01 00 00 00', { available: 5 }))).toBe('completes');
    expect(signalOf(outcome('b8 01 00 00 00', { available: 3, nextPage: 'bus-error' }))).toBe('SIGBUS');
    expect(signalOf(outcome('90', { available: 1 }))).toBe('completes');
    expect(signalOf(outcome('06', { available: 1 }))).toBe('SIGILL'); // one byte, whatever follows
    // An invalid instruction whose remaining bytes cannot be fetched: #UD and #PF compete.
    expect(signalOf(outcome('9a 00 00 00 00 00 00', { available: 3 }))).toBe('unknown');
  });

  it('honours REX only right before the opcode', () => {
    // 48 66 b8: the REX is cancelled by 66, so this is mov ax, imm16 (4 bytes).
    expect(signalOf(outcome('48 66 b8 01 00', { available: 5 }))).toBe('completes');
    // 66 48 b8: REX.W wins, mov rax, imm64 needs 10 bytes.
    expect(signalOf(outcome('66 48 b8 01 00 00 00 00 00 00 00', { available: 5 }))).toBe('SIGSEGV');
  });

  it('raises #GP for instructions longer than 15 bytes', () => {
    expect(signalOf(outcome(`${'66'.repeat(14)}90`))).toBe('completes');
    expect(signalOf(outcome(`${'66'.repeat(15)}90`))).toBe('SIGSEGV');
    expect(signalOf(outcome(`${'66'.repeat(13)}05 00 00`))).toBe('SIGSEGV'); // 66 05 iw makes 16 bytes
  });

  it('computes RIP-relative addresses from the end of the instruction', () => {
    // mov eax, [rip + d]: the target is the last 4 bytes of the code page, or the page after it.
    const disp = (target: bigint, length: bigint): string => le(target - (ENTRY + length), 4);
    expect(signalOf(outcome(`8b 05 ${disp(PAGE + 0xffcn, 6n)}`))).toBe('completes');
    expect(signalOf(outcome(`8b 05 ${disp(PAGE + 0xffdn, 6n)}`))).toBe('SIGSEGV');
    expect(signalOf(outcome(`8b 05 ${disp(PAGE + 0x1000n, 6n)}`, { nextPage: 'bus-error' }))).toBe('SIGBUS');
    expect(signalOf(outcome(`89 05 ${disp(PAGE + 0x800n, 6n)}`))).toBe('SIGSEGV'); // store into r-x
    expect(signalOf(outcome(`c7 05 ${disp(PAGE + 0x800n, 10n)} 00 00 00 00`))).toBe('SIGSEGV'); // the immediate counts
    expect(signalOf(outcome(`67 8b 05 ${disp(PAGE + 0x800n, 7n)}`))).toBe('completes');
    // A shift by 0 may skip its write-back: readable but not writable is unknown.
    expect(signalOf(outcome(`d3 25 ${disp(PAGE + 0x800n, 6n)}`))).toBe('unknown');
    expect(signalOf(outcome(`d1 25 ${disp(PAGE + 0x800n, 6n)}`))).toBe('SIGSEGV');
  });

  it('distinguishes #SS from #GP only where the paging mode cannot change it', () => {
    // rsp + 2 GiB is non-canonical with 4-level paging (#SS, SIGBUS) but canonical with 5-level (#PF).
    expect(signalOf(outcome('8b 84 24 ff ff ff 7f'))).toBe('unknown');
    // Through fs the same address is a #GP or a #PF: SIGSEGV either way.
    expect(signalOf(outcome('64 8b 84 24 ff ff ff 7f'))).toBe('SIGSEGV');
  });

  it('answers unknown where Intel and AMD differ', () => {
    // 66 e8: AMD takes a rel16, Intel a rel32 that runs into the unmapped page.
    expect(signalOf(outcome('66 e8 00 00 00 00', { available: 4 }))).toBe('unknown');
    expect(signalOf(outcome('66 e8 00 00 00 00'))).toBe('completes');
    expect(signalOf(outcome('f0 0f 20 c0'))).toBe('unknown'); // lock mov cr0: #UD on Intel, CR8 on AMD
  });

  it('gives a reason for every fault and unknown', () => {
    for (const code of ['00 00', '0f 0b', 'c5 f8 77', 'f7 f0']) {
      const result = outcome(code);
      expect(result.kind === 'completes' || result.reason.length > 0).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------
// Ground truth: the real CPU

const canTrace = process.platform === 'linux' && process.arch === 'x64' && spawnSync('cc', ['--version']).status === 0;

/**
 * fork; the child asks to be traced and execs the vector; the parent sees the
 * exec stop, prints the registers, /proc/PID/maps and the stack above rsp,
 * then single-steps once. PTRACE_SYSEMU_SINGLESTEP stops a system call at its
 * entry instead of running it, so `syscall` and `int 0x80` do nothing.
 */
const TRACER = String.raw`
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#ifndef PTRACE_SYSEMU_SINGLESTEP
#define PTRACE_SYSEMU_SINGLESTEP 32
#endif
static pid_t child;
static void on_alarm(int sig) { (void)sig; if (child > 0) kill(child, SIGKILL); }
static void run(const char *path) {
  int status;
  child = fork();
  if (child < 0) { printf("error fork\n"); return; }
  if (child == 0) {
    char *args[] = { (char *)path, NULL };
    char *env[] = { NULL };
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    execve(path, args, env);
    _exit(127);
  }
  alarm(10);
  if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
    printf("result noexec %d\n", status);
    kill(child, SIGKILL); waitpid(child, &status, 0); alarm(0); return;
  }
  ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
  struct user_regs_struct regs;
  ptrace(PTRACE_GETREGS, child, 0, &regs);
  unsigned long rsp = regs.rsp, stack_hi = 0;
  printf("start %llx %llx", (unsigned long long)regs.rip, (unsigned long long)regs.rsp);
  char name[64], line[4096];
  snprintf(name, sizeof name, "/proc/%d/maps", (int)child);
  FILE *maps = fopen(name, "r");
  while (maps && fgets(line, sizeof line, maps)) {
    unsigned long lo, hi, off; char perms[8]; char where[4096] = "";
    if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %4095s", &lo, &hi, perms, &off, where) < 4) continue;
    const char *tag = strcmp(where, path) == 0 ? "file" : where[0] ? where : "anon";
    printf(" %lx:%lx:%s:%lx:%s", lo, hi, perms, off, tag);
    if (strcmp(where, "[stack]") == 0) stack_hi = hi;
  }
  if (maps) fclose(maps);
  printf("\n");
  if (stack_hi > rsp && stack_hi - rsp <= 65536) {
    snprintf(name, sizeof name, "/proc/%d/mem", (int)child);
    int fd = open(name, O_RDONLY);
    size_t n = stack_hi - rsp;
    unsigned char *buf = malloc(n);
    if (fd >= 0 && buf && pread(fd, buf, n, (off_t)rsp) == (ssize_t)n) {
      printf("stack ");
      for (size_t i = 0; i < n; i++) printf("%02x", buf[i]);
      printf("\n");
    }
    free(buf);
    if (fd >= 0) close(fd);
  }
  ptrace(PTRACE_SYSEMU_SINGLESTEP, child, 0, 0);
  if (waitpid(child, &status, 0) < 0) printf("result error\n");
  else if (WIFSTOPPED(status)) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    ptrace(PTRACE_GETSIGINFO, child, 0, &info);
    ptrace(PTRACE_GETREGS, child, 0, &regs);
    printf("result stop %d %d %llx\n", WSTOPSIG(status), info.si_code, (unsigned long long)regs.rip);
  } else printf("result gone %d\n", status);
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  alarm(0);
}
int main(void) {
  char path[4096];
  struct rlimit limit;
  signal(SIGALRM, on_alarm);
  setvbuf(stdout, NULL, _IOLBF, 0);
  getrlimit(RLIMIT_STACK, &limit);
  printf("rlimit %llx\n", (unsigned long long)limit.rlim_cur);
  while (fgets(path, sizeof path, stdin)) {
    path[strcspn(path, "\n")] = 0;
    if (path[0]) { printf("vector %s\n", path); run(path); }
  }
  return 0;
}
`;

interface Vector {
  readonly family: string;
  readonly name: string;
  readonly spec: ElfSpec;
}

interface Trace {
  readonly rsp: bigint;
  readonly entry: bigint;
  readonly maps: readonly { lo: bigint; hi: bigint; perms: string; offset: bigint; tag: string }[];
  readonly stack: Uint8Array;
  /** 'completes', a signal name, or a description of something unexpected. */
  readonly cpu: string;
}

const SIGNALS: Record<number, string> = { 4: 'SIGILL', 5: 'SIGTRAP', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV' };
const TRAP_TRACE = 2;
const SYSCALL_STOP = 0x85; // SIGTRAP | 0x80 with PTRACE_O_TRACESYSGOOD

function cpuOutcome(result: string): string {
  const [, kind, sig, code] = result.split(' ');
  if (kind !== 'stop') return `unexpected: ${result}`;
  const signal = Number(sig);
  // A completed step is a single-step trap, or the entry stop of an emulated system call.
  if (signal === SYSCALL_STOP || (signal === 5 && Number(code) === TRAP_TRACE)) return 'completes';
  return SIGNALS[signal] ?? `unexpected: ${result}`;
}

function compileTracer(dir: string): string {
  const source = join(dir, 'tracer.c');
  const binary = join(dir, 'tracer');
  writeFileSync(source, TRACER);
  const compiled = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (compiled.status !== 0) throw new Error(`cc failed: ${compiled.stderr}`);
  return binary;
}

/** Traces one batch of files; the output carries a stack dump per vector, so batches keep it small. */
function runTracer(binary: string, files: readonly string[]): { traces: (Trace | string)[]; rlimit: bigint } {
  const run = spawnSync(binary, [], { input: `${files.join('\n')}\n`, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`tracer failed: ${run.status} ${run.stderr}`);
  let rlimit = 8n << 20n;
  const traces: (Trace | string)[] = [];
  let current: { rsp: bigint; entry: bigint; maps: Trace['maps']; stack: Uint8Array } | undefined;
  for (const line of run.stdout.split('\n')) {
    const [word, ...rest] = line.split(' ');
    if (word === 'rlimit') rlimit = BigInt(`0x${rest[0]}`);
    else if (word === 'vector') current = undefined;
    else if (word === 'start') {
      const maps = rest.slice(2).map((m) => {
        const [lo, hi, perms, offset, tag] = m.split(':');
        return { lo: BigInt(`0x${lo}`), hi: BigInt(`0x${hi}`), perms: perms!, offset: BigInt(`0x${offset}`), tag: tag! };
      });
      current = { entry: BigInt(`0x${rest[0]}`), rsp: BigInt(`0x${rest[1]}`), maps, stack: new Uint8Array() };
    } else if (word === 'stack' && current) current.stack = hexBytes(rest[0]!);
    else if (word === 'result') traces.push(current ? { ...current, cpu: cpuOutcome(line) } : line);
  }
  return { traces, rlimit: rlimit > 1n << 40n ? 1n << 40n : rlimit };
}

/** The process as /proc/PID/maps showed it: file bytes, the dumped stack, zeros elsewhere; the stack may grow. */
function traceMemory(file: Uint8Array, trace: Trace, rlimit: bigint): MemoryView {
  const stack = trace.maps.find((m) => m.tag === '[stack]');
  const below = stack ? trace.maps.filter((m) => m.hi <= stack.lo).reduce((top, m) => (m.hi > top ? m.hi : top), 0n) : 0n;
  const GUARD_GAP = 256n * 4096n;
  return {
    byteAt(address: bigint, access: Access) {
      const mapping = trace.maps.find((m) => address >= m.lo && address < m.hi);
      if (!mapping) {
        const grows = stack && address < stack.lo && address >= stack.hi - rlimit && address >= below + GUARD_GAP;
        return grows ? 0 : 'unmapped';
      }
      const flag = access === 'execute' ? 'x' : access === 'write' ? 'w' : 'r';
      if (!mapping.perms.includes(flag)) return 'denied';
      if (mapping.tag === 'file') {
        const offset = mapping.offset + (address - mapping.lo);
        if (offset < BigInt(file.length)) return file[Number(offset)]!;
        return offset - (offset % 4096n) < BigInt(file.length) ? 0 : 'bus-error';
      }
      if (mapping.tag === '[stack]' && address >= trace.rsp) return trace.stack[Number(address - trace.rsp)] ?? 0;
      return 0;
    },
  };
}

// --- vector families

const text = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

function codeSpec(code: Uint8Array): ElfSpec {
  return { segments: [{ p_flags: 5, p_vaddr: 0x400000n, p_align: 0x1000n, withHeaders: true, data: code }] };
}

/** The code's first `available` bytes end the file's only page; the next page is unmapped, or lies beyond EOF. */
function pageEndSpec(code: Uint8Array, available: number, beyond: 'unmapped' | 'bus-error'): ElfSpec {
  const data = new Uint8Array(0x1000 - 0x78);
  data.set(code.subarray(0, available), data.length - available);
  const extra = beyond === 'bus-error' ? { p_filesz: 0x2000n, p_memsz: 0x2000n } : {};
  return {
    header: { e_entry: 0x401000n - BigInt(available) },
    segments: [{ p_flags: 5, p_vaddr: 0x400000n, p_align: 0x1000n, withHeaders: true, data, ...extra }],
  };
}

function xorshift(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
}

const ZEROS = '00'.repeat(15);
const HELLO_TEXT = text('Hello from Docker.\nThis message shows');

/** Handpicked instructions whose answer depends on the stack, the code page or a rule worth checking. */
const SPECIFIC = [
  '0f 01 04 24', '0f 01 0c 24', '0f 01 24 24', '0f 00 04 24', '0f 00 c0', '0f 01 e0', '0f 01 c8', '0f 01 d0', '0f 01 f9', '0f 01 ca',
  'f7 34 24', 'f7 74 24 08', 'f7 74 24 10', 'f6 74 24 10', '48 f7 7c 24 10', 'f7 f4', 'f6 f4', '40 f6 f4', 'f6 f0',
  '0f a1', '0f a9', '8e 1c 24', '8e 14 24', '8e d8', '8e d0', '8e e0', '8e c8', '0f b4 04 24', '0f b2 04 24',
  '0f 28 04 24', '0f 28 44 24 08', '0f 29 04 24', '66 0f 6f 04 24', '66 0f 6f 44 24 04', 'f3 0f 6f 44 24 04', '0f ae 04 24', '0f ae 0c 24', '0f ae 14 24', '0f ae 1c 24', '0f ae 3c 24',
  'd9 04 24', 'dd 34 24', 'dd 24 24', 'd9 34 24', 'd9 2c 24', 'df 3c 24', 'd9 e8', 'de d9', 'db e3',
  'f0 00 c0', 'f0 00 00', 'f0 f4', 'f0 ec', 'f0 0f 20 c0', 'f0 0f c7 0c 24', '0f c7 0c 24', '48 0f c7 0c 24', 'f0 87 04 24', 'f0 38 04 24',
  'a4', 'f3 a4', 'f2 a4', 'f3 aa', 'f2 ae', 'a6', 'ad', '67 ac', 'f3 6e', '6e',
  'a1 00 00 40 00 00 00 00 00', 'a3 00 00 40 00 00 00 00 00', 'a0 00 00 00 00 00 80 00 00', '36 a0 00 00 00 00 00 80 00 00', 'a0 00 f0 ff ff ff ff ff ff',
  '8b 84 24 ff ff ff 7f', '8b 84 24 00 00 00 80', '8b 44 24 f8', '89 44 24 f8', '8b 84 24 00 00 f0 ff', '89 84 24 00 00 f0 ff', '89 84 24 00 00 80 ff',
  'c8 10 00 00', 'c8 10 00 01', 'c8 10 00 02', 'c8 ff ff 00', 'c9', '66 c9', 'c2 08 00', 'c3', '66 c3', 'e8 00 00 00 00', '66 e8 00 00', 'ff 14 24', 'ff 24 24', 'ff 34 24', '8f 04 24', '8f 44 24 08',
  'ff 1c 24', 'ff 2c 24', 'ca 00 00', 'cb', 'cf', '48 cf', '9d', '9c', '0f a0',
  'cd 80', 'cd 03', 'cd 04', 'cd 01', 'cd 21', 'cd ff', 'f1', 'cc', 'ce',
  '0f 05', '0f 34', '0f 35', '0f 07', '0f 31', '0f 33', '0f a2', '0f 0b', '0f b9 c0', '0f ff', '0f ff c0', '0f 37', '0f 04', '0f 0a', '0f 24 c0', '0f aa',
  '0f 0d 00', '0f 18 00', '0f 0d c0', '0f 1e fa', 'f3 0f 1e fa', '0f 1a 00', '0f 1b 00', 'f3 0f b8 c0', '0f b8 c0', '0f bc c0', 'f3 0f bc c0',
  '62 f1 7c 48 28 c0', '62 f8 00 00 00', '62 61 00', 'c4 e2 79 18 c0', 'c4 e0 79 18 c0', 'c5 f8 77', 'f3 c5 f8 77', '48 c5 f8 77', '8f e8 78 c2 c0 00',
  '0f 0e', '0f 0f c0 c0 0c', '0f 78 c0', '0f 79 c0', '0f 3f', '0f a6', '0f a7 c0',
  'd3 24 24', 'c1 24 24 00', 'c1 24 24 01', 'd2 24 24', '0f a5 04 24', '0f a4 04 24 00', '0f ab 04 24', '0f ab 24 24', '0f a3 24 24',
];

function vectors(): Vector[] {
  const list: Vector[] = [];
  const add = (family: string, name: string, code: string): void => { list.push({ family, name, spec: codeSpec(hexBytes(code)) }); };
  for (let b = 0; b < 256; b += 1) {
    const op = b.toString(16).padStart(2, '0');
    add('one-byte + zeros', op, `${op}${ZEROS}`);
    add('one-byte + text', op, `${op}${HELLO_TEXT}`);
    add('two-byte + zeros', `0f ${op}`, `0f${op}${ZEROS}`);
    add('two-byte + register', `0f ${op} c0`, `0f${op}c0${ZEROS}`);
  }
  // Every offset of a hello-world file, as a mutated e_entry would land there.
  const message = Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8');
  const hello = helloSpec(message);
  const length = buildElf(hello).length;
  for (let offset = 0; offset < length; offset += 1) {
    const family = offset < 0x78 ? 'hello: headers' : offset < length - message.length ? 'hello: code' : 'hello: text';
    list.push({ family, name: `entry +${offset}`, spec: { ...hello, header: { ...hello.header, e_entry: 0x400000n + BigInt(offset) } } });
  }
  const random = xorshift(0x5eed);
  for (let i = 0; i < 400; i += 1) {
    const bytes = Array.from({ length: 16 }, () => (random() & 0xff).toString(16).padStart(2, '0')).join('');
    add('random', bytes, bytes);
  }
  for (const code of SPECIFIC) add('specific', code, `${code.replace(/ /g, '')}${ZEROS}`);
  // A system executable: its headers byte by byte, and real machine code at random offsets.
  const system = ['/bin/ls', '/usr/bin/ls', '/bin/sh'].find((path) => existsSync(path));
  if (system) {
    const bytes = readFileSync(system);
    const window = (at: number): string => bytes.subarray(at, at + 16).toString('hex');
    for (let at = 0; at < 0x40 + 56 * 4 && at < bytes.length; at += 1) add('system: headers', `${system} +${at}`, window(at));
    for (let i = 0; i < 300; i += 1) {
      const at = random() % Math.max(1, bytes.length - 16);
      add('system: anywhere', `${system} +${at}`, window(at));
    }
  }
  // FIRST_INSN_EXTRA=N adds N more of each random family, for a longer search.
  const extra = Number(process.env.FIRST_INSN_EXTRA ?? 0);
  const prefixes = ['66', '67', 'f2', 'f3', 'f0', '26', '2e', '36', '3e', '64', '65', '40', '41', '44', '48', '4c', '4f'];
  const randomHex = (n: number): string => Array.from({ length: n }, () => (random() & 0xff).toString(16).padStart(2, '0')).join('');
  for (let i = 0; i < extra; i += 1) {
    const plainRandom = randomHex(16);
    add('extra: random', plainRandom, plainRandom);
    const prefixed = Array.from({ length: 1 + (random() % 3) }, () => prefixes[random() % prefixes.length]!).join('') + randomHex(14);
    add('extra: prefixed', prefixed, prefixed);
    const escaped = `0f${randomHex(15)}`;
    add('extra: 0f', escaped, escaped);
  }
  // Instructions cut by the end of the mapping.
  for (const code of ['0f 0b', '06', 'b8 01 00 00 00', 'f4', '90', '00 00', 'c3', '9a 00 00 00 00 00 00', '62 f8 00 00 00', 'f0 00 c0', '66 e8 00 00 00 00', '8f 04 24', `${'66'.repeat(15)}90`]) {
    const bytes = hexBytes(code);
    for (let available = 1; available <= bytes.length; available += 1) {
      list.push({ family: 'page end', name: `${code} (${available} mapped)`, spec: pageEndSpec(bytes, available, 'unmapped') });
      list.push({ family: 'page end', name: `${code} (${available} mapped, then beyond EOF)`, spec: pageEndSpec(bytes, available, 'bus-error') });
    }
  }
  // RIP-relative accesses to the page beyond EOF (p_filesz says two pages, the file has one).
  for (const code of ['8b 05', '89 05', 'd3 25', 'ff 35']) {
    const disp = le(0x401800n - (0x400078n + 6n), 4);
    const data = hexBytes(`${code.replace(/ /g, '')}${disp}`);
    list.push({ family: 'page end', name: `${code} [rip -> beyond EOF]`, spec: { segments: [{ p_flags: 5, p_vaddr: 0x400000n, p_align: 0x1000n, withHeaders: true, data, p_filesz: 0x2000n, p_memsz: 0x2000n }] } });
    const inside = hexBytes(`${code.replace(/ /g, '')}${le(0x400800n - (0x400078n + 6n), 4)}`);
    list.push({ family: 'page end', name: `${code} [rip -> code page]`, spec: codeSpec(inside) });
  }
  return list;
}

describe.skipIf(!canTrace)('firstInstructionOutcome against the real CPU', () => {
  it('agrees with single-stepping the first instruction wherever it answers', (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'elf-lint-first-'));
    try {
      const all = vectors();
      const binary = compileTracer(dir);
      const stats = new Map<string, { total: number; unknown: number }>();
      const mismatches: string[] = [];
      const surprises: string[] = [];
      let traced = 0;
      const BATCH = 1000;
      for (let first = 0; first < all.length; first += BATCH) {
        const batch = all.slice(first, first + BATCH);
        const files = batch.map((vector, i) => {
          const path = join(dir, `v${first + i}`);
          const bytes = buildElf(vector.spec);
          writeFileSync(path, bytes);
          chmodSync(path, 0o755);
          return { path, bytes };
        });
        const { traces, rlimit } = runTracer(binary, files.map((f) => f.path));
        expect(traces).toHaveLength(batch.length);
        batch.forEach((vector, i) => {
          const trace = traces[i]!;
          if (typeof trace === 'string') { surprises.push(`${vector.family} ${vector.name}: ${trace}`); return; }
          traced += 1;
          const predicted = firstInstructionOutcome(traceMemory(files[i]!.bytes, trace, rlimit), trace.entry, trace.rsp, HOST_CPU);
          const entry = stats.get(vector.family) ?? { total: 0, unknown: 0 };
          entry.total += 1;
          if (predicted.kind === 'unknown') entry.unknown += 1;
          stats.set(vector.family, entry);
          if (trace.cpu.startsWith('unexpected')) surprises.push(`${vector.family} ${vector.name}: ${trace.cpu}`);
          if (predicted.kind !== 'unknown' && signalOf(predicted) !== trace.cpu) {
            mismatches.push(`${vector.family} ${vector.name}: predicted ${signalOf(predicted)}${predicted.kind === 'faults' ? ` (${predicted.reason})` : ''}, CPU ${trace.cpu}`);
          }
          if (process.env.FIRST_INSN_VERBOSE && predicted.kind === 'unknown') console.log(`unknown ${vector.family} ${vector.name}: ${predicted.reason} [CPU ${trace.cpu}]`);
        });
        for (const file of files) rmSync(file.path);
      }
      // Where ptrace is forbidden (seccomp, Yama) nothing was traced: there is no ground truth to compare.
      if (traced < all.length / 2) context.skip();
      const table = [...stats].map(([family, s]) => `${family.padEnd(22)} ${String(s.unknown).padStart(4)}/${String(s.total).padEnd(4)} unknown (${((100 * s.unknown) / s.total).toFixed(1)}%)`);
      console.log(`first-instruction ground truth, ${all.length} vectors:\n${table.join('\n')}`);
      if (surprises.length > 0) console.log(`surprises:\n${surprises.join('\n')}`);
      expect(mismatches).toEqual([]);
      // Bounds a little above what was measured (see the log), so that losing coverage is noticed.
      const bounds: Record<string, number> = {
        'hello: headers': 0.05, 'hello: code': 0.05, 'hello: text': 0.03,
        'one-byte + zeros': 0.03, 'one-byte + text': 0.05, 'two-byte + zeros': 0.1, 'two-byte + register': 0.12,
        random: 0.05, 'system: headers': 0.1, 'system: anywhere': 0.1,
      };
      for (const [family, bound] of Object.entries(bounds)) {
        const s = stats.get(family);
        if (s) expect(s.unknown / s.total, family).toBeLessThan(bound);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
