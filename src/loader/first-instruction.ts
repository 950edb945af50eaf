// Does the first instruction of a freshly exec'd static x86-64 Linux program
// complete, and if not, which signal does it raise?
//
// The state at the entry point is fixed by the kernel: every general-purpose
// register is zero except rsp, DF is clear, fs/gs bases are zero, CPL 3 with
// IOPL 0. That makes most memory operands resolve to small addresses near
// zero, so a decoder that knows each opcode's length and memory behaviour can
// predict the first step of almost any byte string: ELF headers, text, zeros.
//
// The tables follow the opcode maps of the Intel SDM, vol. 2, appendix A
// (A-2 one-byte map, A-3 two-byte map, A-6 ModRM.reg groups, A-7..A-22 x87),
// cross-checked against the AMD APM vol. 3 appendix A. Where the two vendors
// behave differently the instruction is analysed for both and only a shared
// answer is given; where the CPU generation, the kernel configuration or an
// undocumented corner decides, the answer is `unknown`.
//
// Assumed: a CPU of the last decade (x86-64-v2 with XSAVE and RDTSCP: sahf,
// popcnt, SSE3, cmpxchg16b, xgetbv and rdtscp exist) and a kernel that leaves
// CR4.TSD off. Whether `int 0x80` and `cpuid` complete depends on the host
// (IA32 system calls switched off; CPUID faulting): the caller says, in CpuFacts.
// The verdicts were checked against an AMD Zen 4 under Linux 6.18; the
// Intel-only answers follow the SDM.

export type Access = 'read' | 'write' | 'execute';

/** The process memory as the loader mapped it. */
export interface MemoryView {
  /** The byte at `address` if it can be accessed for `access`, 'unmapped' if nothing is mapped there, 'denied' if mapped without that permission, 'bus-error' if the page lies wholly beyond the end of the mapped file (SIGBUS). */
  byteAt(address: bigint, access: Access): number | 'unmapped' | 'denied' | 'bus-error';
}

/** Host-dependent behaviour of two instructions: known to complete, known to fault, or not known. */
export interface CpuFacts {
  /** int 0x80 from 64-bit code: a system call while the kernel has IA32 syscalls, #GP (SIGSEGV) without. */
  readonly int80: 'completes' | 'faults' | 'unknown';
  /** cpuid: #GP (SIGSEGV) when CPUID faulting is on for the process. */
  readonly cpuid: 'completes' | 'faults' | 'unknown';
}

export type FirstInstruction =
  | { readonly kind: 'completes' }
  | { readonly kind: 'faults'; readonly signal: 'SIGSEGV' | 'SIGBUS' | 'SIGILL' | 'SIGFPE' | 'SIGTRAP'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

type Signal = Extract<FirstInstruction, { kind: 'faults' }>['signal'];
type Vendor = 'intel' | 'amd';

// ---------------------------------------------------------------------------
// Outcomes

const COMPLETES: FirstInstruction = { kind: 'completes' };

function fault(signal: Signal, reason: string): FirstInstruction {
  return { kind: 'faults', signal, reason };
}

function unknown(reason: string): FirstInstruction {
  return { kind: 'unknown', reason };
}

const ud = (reason: string): FirstInstruction => fault('SIGILL', `${reason} (#UD)`);
const gp = (reason: string): FirstInstruction => fault('SIGSEGV', `${reason} (#GP)`);

function sameResult(a: FirstInstruction, b: FirstInstruction): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== 'faults' || (b.kind === 'faults' && a.signal === b.signal);
}

function describe(outcome: FirstInstruction): string {
  return outcome.kind === 'completes' ? 'completes' : outcome.kind === 'faults' ? `${outcome.signal}: ${outcome.reason}` : outcome.reason;
}

/** Ends the analysis from deep inside the decoder. */
class Verdict {
  constructor(readonly outcome: FirstInstruction) {}
}

// ---------------------------------------------------------------------------
// Addresses

const MASK64 = (1n << 64n) - 1n;
const MASK32 = (1n << 32n) - 1n;
const wrap = (value: bigint): bigint => value & MASK64;
const hex = (value: bigint): string => `0x${value.toString(16)}`;

/** Canonical for 48-bit (4-level) or 57-bit (5-level) linear addresses. */
function canonical(address: bigint, bits: 48 | 57): boolean {
  const top = address >> BigInt(bits - 1);
  return top === 0n || top === (1n << BigInt(65 - bits)) - 1n;
}

function signalOf(result: 'unmapped' | 'denied' | 'bus-error'): Signal {
  return result === 'bus-error' ? 'SIGBUS' : 'SIGSEGV';
}

// ---------------------------------------------------------------------------
// Instruction fetch

const MAX_LENGTH = 15;

/**
 * The bytes of the instruction, fetched one at a time as the decoder needs them.
 * Once the instruction is known to be invalid (`doom`), the rest of it is still
 * measured, but a fetch fault there competes with the #UD: which one the CPU
 * reports depends on how far its decoder looked, so a disagreement is unknown.
 */
class Code {
  length = 0;
  private pending: FirstInstruction | undefined;

  constructor(private readonly memory: MemoryView, readonly start: bigint) {}

  byte(): number {
    if (this.length >= MAX_LENGTH) this.stop(gp('instruction longer than 15 bytes'));
    const address = wrap(this.start + BigInt(this.length));
    if (!canonical(address, 48)) this.stop(gp(`instruction fetch at non-canonical ${hex(address)}`));
    const result = this.memory.byteAt(address, 'execute');
    if (typeof result !== 'number') this.stop(fault(signalOf(result), `instruction fetch at ${hex(address)}: ${result}`));
    this.length += 1;
    return result;
  }

  /** Little-endian unsigned immediate of `size` bytes. */
  immediate(size: number): bigint {
    let value = 0n;
    for (let i = 0; i < size; i += 1) value |= BigInt(this.byte()) << BigInt(8 * i);
    return value;
  }

  doom(outcome: FirstInstruction): void {
    this.pending ??= outcome;
  }

  get doomed(): FirstInstruction | undefined {
    return this.pending;
  }

  private stop(outcome: FirstInstruction): never {
    const pending = this.pending;
    if (pending === undefined || sameResult(pending, outcome)) throw new Verdict(pending ?? outcome);
    throw new Verdict(unknown(`${describe(pending)}, but its remaining bytes cannot be fetched (${describe(outcome)}); which fault the CPU reports depends on its decoder`));
  }
}

// ---------------------------------------------------------------------------
// Prefixes

const SEGMENT_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]);

interface Prefixes {
  readonly opsize: boolean; // 66
  readonly addr32: boolean; // 67
  readonly lock: boolean; // F0
  readonly repne: boolean; // F2
  readonly rep: boolean; // F3
  readonly segment: number | undefined;
  /** REX, only when it immediately precedes the opcode; 0 if none. */
  readonly rex: number;
}

function readPrefixes(code: Code): { prefixes: Prefixes; opcode: number } {
  let opsize = false;
  let addr32 = false;
  let lock = false;
  let repne = false;
  let rep = false;
  let segment: number | undefined;
  let rex = 0;
  for (;;) {
    const byte = code.byte();
    if (byte >= 0x40 && byte <= 0x4f) {
      rex = byte;
      continue;
    }
    if (byte === 0x66) opsize = true;
    else if (byte === 0x67) addr32 = true;
    else if (byte === 0xf0) lock = true;
    else if (byte === 0xf2) repne = true;
    else if (byte === 0xf3) rep = true;
    else if (SEGMENT_PREFIXES.has(byte)) segment = byte;
    else return { prefixes: { opsize, addr32, lock, repne, rep, segment, rex }, opcode: byte };
    rex = 0; // a legacy prefix after REX cancels it
  }
}

const rexW = (p: Prefixes): boolean => (p.rex & 8) !== 0;

// ---------------------------------------------------------------------------
// ModRM, SIB and displacement

interface MemoryOperand {
  readonly base: number | undefined;
  readonly index: number | undefined;
  readonly scale: bigint;
  readonly disp: bigint;
  readonly ripRelative: boolean;
}

interface ModRM {
  readonly byte: number;
  readonly mod: number;
  /** ModRM.reg as encoded (0-7): the opcode extension of groups. */
  readonly field: number;
  /** ModRM.reg extended by REX.R (0-15). */
  readonly reg: number;
  /** ModRM.rm extended by REX.B, meaningful for register operands. */
  readonly rm: number;
  readonly memory: MemoryOperand | undefined;
}

function signed(value: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value);
}

function decodeModRM(code: Code, byte: number, p: Prefixes): ModRM {
  const mod = byte >> 6;
  const field = (byte >> 3) & 7;
  const rmField = byte & 7;
  const reg = field | ((p.rex & 4) << 1);
  const rm = rmField | ((p.rex & 1) << 3);
  if (mod === 3) return { byte, mod, field, reg, rm, memory: undefined };
  let base: number | undefined = rm;
  let index: number | undefined;
  let scale = 1n;
  let ripRelative = false;
  let disp32 = mod === 2;
  if (rmField === 4) {
    const sib = code.byte();
    scale = 1n << BigInt(sib >> 6);
    const indexField = ((sib >> 3) & 7) | ((p.rex & 2) << 2);
    index = indexField === 4 ? undefined : indexField; // index 100 without REX.X means none
    base = (sib & 7) | ((p.rex & 1) << 3);
    if ((sib & 7) === 5 && mod === 0) {
      base = undefined;
      disp32 = true;
    }
  } else if (rmField === 5 && mod === 0) {
    base = undefined;
    ripRelative = true;
    disp32 = true;
  }
  const disp = disp32 ? signed(code.immediate(4), 32) : mod === 1 ? signed(code.immediate(1), 8) : 0n;
  return { byte, mod, field, reg, rm, memory: { base, index, scale, disp, ripRelative } };
}

// ---------------------------------------------------------------------------
// The decoded instruction

interface Insn {
  readonly p: Prefixes;
  readonly modrm: ModRM | undefined;
  /** First and second immediates, unsigned. */
  readonly imm: bigint;
  readonly imm2: bigint;
  /** Address of the next instruction (RIP-relative base). */
  readonly next: bigint;
  readonly rsp: bigint;
  readonly vendor: Vendor;
  readonly cpu: CpuFacts;
}

function hostDependent(fact: CpuFacts[keyof CpuFacts], what: string, whyFault: string): FirstInstruction {
  if (fact === 'completes') return COMPLETES;
  if (fact === 'faults') return gp(`${what}: ${whyFault}`);
  return unknown(`${what} completes or faults depending on the host (${whyFault})`);
}

/** Register contents at the entry point: zero, except rsp. */
function registerValue(insn: Insn, reg: number, size: number): bigint {
  if (size === 1) {
    // Without REX, byte registers 4-7 are AH..BH; with REX, SPL..DIL.
    return reg === 4 && insn.p.rex !== 0 ? insn.rsp & 0xffn : 0n;
  }
  return reg === 4 ? insn.rsp & ((1n << BigInt(8 * size)) - 1n) : 0n;
}

/** Whether an access is relative to SS (a non-canonical address then raises #SS, SIGBUS, instead of #GP). */
type StackSegment = boolean | 'maybe';

interface Located {
  readonly address: bigint;
  readonly stack: StackSegment;
}

const isFsGs = (p: Prefixes): boolean => p.segment === 0x64 || p.segment === 0x65;

/** The effective address of the ModRM memory operand. fs/gs bases are 0 at entry. */
function effectiveAddress(insn: Insn, rsp = insn.rsp): Located {
  const m = insn.modrm?.memory;
  if (!m) throw new Error('no memory operand');
  const value = (reg: number | undefined): bigint => (reg === 4 ? rsp : 0n);
  let address = m.ripRelative ? insn.next + m.disp : value(m.base) + value(m.index) * m.scale + m.disp;
  address = insn.p.addr32 ? address & MASK32 : wrap(address);
  // rsp/rbp bases default to SS; in 64-bit mode CS/DS/ES/SS overrides are ignored.
  const ssBase = m.base === 4 || m.base === 5;
  const stack: StackSegment = isFsGs(insn.p) ? false : ssBase ? true : m.base === 12 || m.base === 13 || insn.p.segment === 0x36 ? 'maybe' : false;
  return { address, stack };
}

// ---------------------------------------------------------------------------
// Memory accesses

/**
 * read/write/rmw must succeed; `rmw?` must be readable but may skip its write
 * (a shift by 0); `write?` is a probe the CPU may or may not make.
 */
type Use = 'read' | 'write' | 'rmw' | 'rmw?' | 'write?';

interface MemoryAccess {
  readonly address: bigint;
  readonly size: number;
  readonly use: Use;
  readonly stack: StackSegment;
  /** Legacy SSE operands that must be aligned raise #GP otherwise. */
  readonly align?: number;
  readonly what: string;
}

interface Effect {
  /** In the order the CPU makes them; the first that faults decides. */
  readonly accesses: readonly MemoryAccess[];
  /** Decides once every access succeeded; given the value the first read returned. */
  readonly then?: (value: bigint) => FirstInstruction;
  /** A #GP may come before any access (UMIP): then only a SIGSEGV access fault is certain. */
  readonly mayPreempt?: boolean;
}

const NO_ACCESS: Effect = { accesses: [] };

type Probe = { readonly byte: number } | { readonly outcome: FirstInstruction };

function probeByte(memory: MemoryView, address: bigint, access: 'read' | 'write', stack: StackSegment, what: string): Probe {
  if (!canonical(address, 48)) {
    if (stack === false) return { outcome: gp(`${what} at non-canonical ${hex(address)}`) };
    // 5-level paging makes some of these addresses canonical: #PF (SIGSEGV) instead of #SS.
    if (stack === 'maybe' || canonical(address, 57)) return { outcome: unknown(`${what} at ${hex(address)}: non-canonical with 4-level paging (#SS or #GP), canonical with 5-level paging (#PF)`) };
    return { outcome: fault('SIGBUS', `${what} at non-canonical ${hex(address)} (#SS)`) };
  }
  const result = memory.byteAt(address, access);
  if (typeof result === 'number') return { byte: result };
  return { outcome: fault(signalOf(result), `${what} at ${hex(address)}: ${result} (#PF)`) };
}

/** Checks every byte of one access; returns its value, or how it fails. */
function probeRange(memory: MemoryView, access: MemoryAccess, kind: 'read' | 'write'): { value: bigint } | { outcome: FirstInstruction } {
  let value = 0n;
  const failures: FirstInstruction[] = [];
  for (let i = 0; i < access.size; i += 1) {
    const probe = probeByte(memory, wrap(access.address + BigInt(i)), kind, access.stack, access.what);
    if ('byte' in probe) value |= BigInt(probe.byte) << BigInt(8 * i);
    else failures.push(probe.outcome);
  }
  const first = failures[0];
  if (!first) return { value };
  // A split access whose parts fail differently: the CPU's order decides.
  if (failures.every((f) => sameResult(f, first))) return { outcome: first };
  return { outcome: unknown(`${access.what} at ${hex(access.address)} faults differently in its parts: ${failures.map(describe).join('; ')}`) };
}

function perform(memory: MemoryView, access: MemoryAccess): { value: bigint } | { outcome: FirstInstruction } {
  if (access.align !== undefined && access.address % BigInt(access.align) !== 0n) {
    return { outcome: gp(`${access.what} at ${hex(access.address)} is not ${access.align}-byte aligned`) };
  }
  switch (access.use) {
    case 'read': return probeRange(memory, access, 'read');
    case 'write':
    case 'rmw': return probeRange(memory, access, 'write');
    case 'rmw?': {
      // Certain only when reading and writing fail alike or both succeed.
      const read = probeRange(memory, access, 'read');
      const write = probeRange(memory, access, 'write');
      if (!('outcome' in write)) return write;
      if ('outcome' in read && sameResult(read.outcome, write.outcome)) return read;
      return { outcome: unknown(`${access.what}: count 0, and whether the CPU still writes the operand back is not documented (${describe(write.outcome)})`) };
    }
    case 'write?': {
      const write = probeRange(memory, access, 'write');
      return 'outcome' in write ? { outcome: unknown(`${access.what}: the CPU may probe this address (${describe(write.outcome)})`) } : write;
    }
  }
}

function runEffect(memory: MemoryView, effect: Effect): FirstInstruction {
  let firstRead: bigint | undefined;
  for (const access of effect.accesses) {
    const result = perform(memory, access);
    if ('outcome' in result) {
      const outcome = result.outcome;
      if (effect.mayPreempt && !(outcome.kind === 'faults' && outcome.signal === 'SIGSEGV')) {
        return unknown(`a #GP may come first (UMIP); otherwise ${describe(outcome)}`);
      }
      return outcome;
    }
    if (firstRead === undefined && access.use === 'read') firstRead = result.value;
  }
  return effect.then ? effect.then(firstRead ?? 0n) : COMPLETES;
}

// ---------------------------------------------------------------------------
// Opcode descriptions

/** Operand sizes: bytes, or 'v' (16/32/64 by 66 and REX.W). */
type Size = number | 'v' | ((insn: Insn) => number);

/** Immediates: bytes; 'z' 16/32 by 66; 'v' 16/32/64 (mov r, imm); 'moffs' 32/64 by 67; 'rel' a near-branch displacement; 'enter' iw+ib. */
type Imm = 1 | 2 | 4 | 6 | 'z' | 'v' | 'moffs' | 'rel' | 'enter';

interface Operand {
  readonly size: Size;
  readonly use: Use;
  readonly align?: number;
}

interface Op {
  readonly modrm?: boolean;
  /** Chooses the instruction from the ModRM byte (groups); implies a ModRM. */
  readonly select?: (modrm: number, insn: Pick<Insn, 'p' | 'vendor'>) => Op;
  readonly imm?: Imm;
  /** The ModRM r/m operand, when it is in memory. */
  readonly operand?: Operand;
  /** LOCK is allowed with a memory destination; 'always' even with a register (AMD's CR8 alias). */
  readonly lock?: boolean | 'always';
  /** The other ModRM form (register or memory) raises #UD. */
  readonly form?: 'memory' | 'register';
  /** A result known from the encoding alone. */
  readonly verdict?: FirstInstruction;
  /** Implicit accesses and value checks; by default the operand access, then completion. */
  readonly effect?: (insn: Insn) => Effect;
  /** Two-byte map: F2/F3 do not change this instruction. */
  readonly repIgnored?: boolean;
}

function sizeOf(size: Size, insn: Insn): number {
  if (typeof size === 'number') return size;
  if (typeof size === 'function') return size(insn);
  return rexW(insn.p) ? 8 : insn.p.opsize ? 2 : 4;
}

const plain = (imm?: Imm): Op => (imm === undefined ? {} : { imm });
const rm = (size: Size, use: Use, extra: Partial<Op> = {}): Op => ({ modrm: true, operand: { size, use }, ...extra });
const invalid = (reason: string, shape: Partial<Op> = {}): Op => ({ ...shape, verdict: ud(reason) });
const privileged = (reason: string, shape: Partial<Op> = {}): Op => ({ ...shape, verdict: gp(reason) });
const unsure = (reason: string, shape: Partial<Op> = {}): Op => ({ ...shape, verdict: unknown(reason) });
const group = (members: readonly Op[], shared: Partial<Op> = {}): Op => ({ ...shared, select: (modrm) => ({ ...shared, ...members[(modrm >> 3) & 7]! }) });

/** The ModRM memory operand as an access. */
function operandAccess(insn: Insn, operand: Operand, what = 'memory operand', rsp = insn.rsp): MemoryAccess {
  const { address, stack } = effectiveAddress(insn, rsp);
  return { address, stack, size: sizeOf(operand.size, insn), use: operand.use, what, ...(operand.align ? { align: operand.align } : {}) };
}

function operandAccesses(insn: Insn, operand: Operand | undefined, what?: string): MemoryAccess[] {
  return operand && insn.modrm?.memory ? [operandAccess(insn, operand, what)] : [];
}

// --- the stack

/** push/pop width: 64 bits, 16 with 66 (REX.W wins). */
const stackWidth = (insn: Insn): number => (insn.p.opsize && !rexW(insn.p) ? 2 : 8);
/** Near branches: Intel ignores 66 in 64-bit mode, AMD makes them 16-bit. */
const branchWidth = (insn: Insn): number => (insn.p.opsize && !rexW(insn.p) && insn.vendor === 'amd' ? 2 : 8);

function pushAccess(insn: Insn, size: number, depth = 1): MemoryAccess {
  return { address: wrap(insn.rsp - BigInt(size * depth)), size, use: 'write', stack: true, what: 'stack push' };
}

function popAccess(insn: Insn, size: number): MemoryAccess {
  return { address: insn.rsp, size, use: 'read', stack: true, what: 'stack pop' };
}

const push = (width: (insn: Insn) => number = stackWidth) => (insn: Insn): Effect => ({ accesses: [pushAccess(insn, width(insn))] });
const pop = (width: (insn: Insn) => number = stackWidth) => (insn: Insn): Effect => ({ accesses: [popAccess(insn, width(insn))] });

// Linux's x86-64 GDT (arch/x86/include/asm/segment.h): 16 entries; 4 is the
// 32-bit user code segment, 5 user data, 6 64-bit user code, 15 the read-only
// CPUNODE data segment; the others are kernel (DPL 0), system or empty
// descriptors. A fresh process has no LDT.
const GDT_ENTRIES = 16n;
const USER_CODE = new Set([4n, 6n]);
const USER_DATA = 5n;
const CPUNODE = 15n;

type SegmentTarget = 'ss' | 'data' | 'code';

/** Loading a selector at CPL 3: which loads the type and privilege checks refuse (#GP). */
function segmentLoad(target: SegmentTarget, name: string) {
  return (value: bigint): FirstInstruction => {
    const selector = value & 0xffffn;
    const index = selector >> 3n;
    const rpl = selector & 3n;
    const refused = (why: string): FirstInstruction => gp(`${name} loads selector ${hex(selector)}: ${why}`);
    if (index === 0n && (selector & 4n) === 0n) return target === 'data' ? COMPLETES : refused('null');
    if ((selector & 4n) !== 0n) return refused('there is no LDT');
    if (index >= GDT_ENTRIES) return refused('beyond the GDT limit');
    switch (target) {
      case 'data': return USER_CODE.has(index) || index === USER_DATA || index === CPUNODE ? COMPLETES : refused('not a user data or readable code segment');
      // A successful mov ss also delays the single-step trap past the next instruction.
      case 'ss': return index === USER_DATA && rpl === 3n ? unknown(`${name} loads the user data segment and holds off the next debug trap`) : refused('not the writable user data segment with RPL 3');
      case 'code': return USER_CODE.has(index) ? unknown(`${name} loads a user code segment; the privilege rules for RPL ${rpl} decide`) : refused('not a user code segment');
    }
  };
}

// --- effects of particular instructions

function divide(size: Size) {
  return (insn: Insn): Effect => {
    const width = sizeOf(size, insn);
    const check = (divisor: bigint): FirstInstruction => (divisor === 0n ? fault('SIGFPE', 'division by zero (#DE)') : COMPLETES);
    // The dividend (rdx:rax) is zero, so a non-zero divisor cannot overflow.
    const m = insn.modrm!;
    if (!m.memory) return { accesses: [], then: () => check(registerValue(insn, m.rm, width)) };
    return { accesses: operandAccesses(insn, { size: width, use: 'read' }, 'divisor'), then: check };
  };
}

type Count = 'one' | 'cl' | 'imm';

/** Shifts and rotates: with a count of 0 the memory operand may not be written back. */
function shift(count: Count, size: Size, throughCarry: boolean): Op {
  return {
    modrm: true,
    ...(count === 'imm' ? { imm: 1 as const } : {}),
    effect: (insn) => {
      const width = sizeOf(size, insn);
      const raw = count === 'one' ? 1n : count === 'cl' ? 0n : insn.imm;
      let effective = raw & (width === 8 ? 0x3fn : 0x1fn);
      if (throughCarry && width < 4) effective %= BigInt(width * 8 + 1);
      return { accesses: operandAccesses(insn, { size: width, use: effective === 0n ? 'rmw?' : 'rmw' }) };
    },
  };
}

function shiftGroup(count: Count, size: Size): Op {
  const members = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => shift(count, size, n === 2 || n === 3));
  return group(members); // /6 is the undocumented alias of SHL on both vendors
}

/** String instructions: rsi/rdi are 0; with REP the count rcx is 0 and nothing happens. */
function stringOp(size: Size, accesses: readonly ('read-src' | 'read-dst' | 'write-dst')[], comparing: boolean): Op {
  return {
    effect: (insn) => {
      if (insn.p.rep || (insn.p.repne && comparing)) return NO_ACCESS;
      if (insn.p.repne) return { accesses: [], then: () => unknown('REPNE with a non-comparing string instruction is not defined by Intel') };
      const width = sizeOf(size, insn);
      return {
        accesses: accesses.map((a): MemoryAccess => ({
          address: 0n,
          size: width,
          use: a === 'write-dst' ? 'write' : 'read',
          // The source honours segment overrides; the destination is always ES.
          stack: a === 'read-src' && insn.p.segment === 0x36 ? 'maybe' : false,
          what: a === 'read-src' ? 'string source [rsi]' : 'string destination [rdi]',
        })),
      };
    },
  };
}

function moffs(size: Size, use: 'read' | 'write'): Op {
  return {
    imm: 'moffs',
    effect: (insn) => ({
      accesses: [{
        address: insn.imm, size: sizeOf(size, insn), use,
        stack: insn.p.segment === 0x36 ? 'maybe' : false, what: 'moffs operand',
      }],
    }),
  };
}

function interrupt(insn: Insn): Effect {
  const vector = Number(insn.imm);
  // Linux gives user-callable (DPL 3) gates only to #BP, #OF and the int 0x80 entry.
  const result =
    vector === 3 ? fault('SIGTRAP', 'int 3 (#BP)')
    : vector === 4 ? fault('SIGSEGV', 'int 4 (#OF) is delivered as SIGSEGV')
    : vector === 0x80 ? hostDependent(insn.cpu.int80, 'int 0x80', 'the kernel has IA32 system calls switched off')
    : gp(`int ${hex(BigInt(vector))}: the IDT gate is not accessible from CPL 3`);
  return { accesses: [], then: () => result };
}

function enter(insn: Insn): Effect {
  const width = stackWidth(insn);
  const size = insn.imm;
  const level = Number(insn.imm2 & 31n);
  const accesses: MemoryAccess[] = [pushAccess(insn, width)];
  for (let i = 1; i < level; i += 1) {
    // Copies the enclosing frame pointers from [rbp - i*width]; rbp is 0.
    accesses.push({ address: wrap(-BigInt(i * width)), size: width, use: 'read', stack: true, what: 'enter frame-pointer copy' });
    accesses.push(pushAccess(insn, width, i + 1));
  }
  if (level > 0) accesses.push(pushAccess(insn, width, level + 1));
  const finalRsp = wrap(insn.rsp - BigInt(width * (level > 0 ? level + 1 : 1)) - size);
  if (size > 0n) accesses.push({ address: finalRsp, size: 1, use: 'write?', stack: true, what: 'enter final stack pointer' });
  return { accesses };
}

/** Far call/jmp through memory: the selector follows the offset. */
function farOperand(what: string, pointerSize: (insn: Insn) => number): (insn: Insn) => Effect {
  return (insn) => {
    const size = pointerSize(insn);
    return {
      accesses: operandAccesses(insn, { size, use: 'read' }, what),
      then: (pointer) => segmentLoad('code', what)(pointer >> BigInt(8 * (size - 2))),
    };
  };
}

/** retf and iret pop the offset, then CS, in slots of the operand size (32 bits by default). */
function farReturn(what: string, slots: number) {
  return (insn: Insn): Effect => {
    const slot = rexW(insn.p) ? 8 : insn.p.opsize ? 2 : 4;
    return { accesses: [popAccess(insn, slots * slot)], then: (frame) => segmentLoad('code', what)(frame >> BigInt(8 * slot)) };
  };
}

/** m16:16/32/64: Intel honours REX.W, AMD reads m16:32. */
const farPointerSize = (insn: Insn): number => (insn.p.opsize && !rexW(insn.p) ? 4 : rexW(insn.p) && insn.vendor === 'intel' ? 10 : 6);

// ---------------------------------------------------------------------------
// The one-byte opcode map (SDM vol. 2, table A-2)

function buildOneByte(): Op[] {
  const map: Op[] = new Array<Op>(256).fill(unsure('opcode not modelled'));
  const set = (from: number, to: number, op: Op): void => { for (let b = from; b <= to; b += 1) map[b] = op; };

  // ADD OR ADC SBB AND SUB XOR CMP: Eb,Gb Ev,Gv Gb,Eb Gv,Ev AL,Ib eAX,Iz
  for (let base = 0x00; base <= 0x38; base += 8) {
    const cmp = base === 0x38;
    map[base] = rm(1, cmp ? 'read' : 'rmw', { lock: !cmp });
    map[base + 1] = rm('v', cmp ? 'read' : 'rmw', { lock: !cmp });
    map[base + 2] = rm(1, 'read');
    map[base + 3] = rm('v', 'read');
    map[base + 4] = plain(1);
    map[base + 5] = plain('z');
  }
  const removed = 'invalid in 64-bit mode';
  for (const b of [0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0xce, 0xd6]) {
    map[b] = invalid(`${hex(BigInt(b))} is ${removed}`);
  }
  set(0x50, 0x57, { effect: push() });
  set(0x58, 0x5f, { effect: pop() });
  map[0x63] = rm((i) => (i.p.opsize && !rexW(i.p) ? 2 : 4), 'read'); // movsxd
  map[0x68] = { imm: 'z', effect: push() };
  map[0x69] = rm('v', 'read', { imm: 'z' });
  map[0x6a] = { imm: 1, effect: push() };
  map[0x6b] = rm('v', 'read', { imm: 1 });
  // REP INS/OUTS with rcx = 0: AMD still checks the port (observed); Intel does not say.
  set(0x6c, 0x6f, {
    effect: (insn) => ({
      accesses: [],
      then: () => ((insn.p.rep || insn.p.repne) && insn.vendor === 'intel' ? unknown('REP INS/OUTS with a zero count') : gp('INS/OUTS: port I/O is not permitted at CPL 3 with IOPL 0')),
    }),
  });
  set(0x70, 0x7f, plain(1)); // jcc rel8
  const arith = (size: Size, imm: Imm): Op => group([0, 1, 2, 3, 4, 5, 6, 7].map((n) => rm(size, n === 7 ? 'read' : 'rmw', { lock: n !== 7 })), { imm });
  map[0x80] = arith(1, 1);
  map[0x81] = arith('v', 'z');
  map[0x82] = invalid(`0x82 is ${removed}`, { modrm: true, imm: 1 });
  map[0x83] = arith('v', 1);
  map[0x84] = rm(1, 'read');
  map[0x85] = rm('v', 'read');
  map[0x86] = rm(1, 'rmw', { lock: true });
  map[0x87] = rm('v', 'rmw', { lock: true });
  map[0x88] = rm(1, 'write');
  map[0x89] = rm('v', 'write');
  map[0x8a] = rm(1, 'read');
  map[0x8b] = rm('v', 'read');
  // mov r/m16, Sreg: only ES CS SS DS FS GS exist; a memory destination is always 16 bits.
  map[0x8c] = group([0, 1, 2, 3, 4, 5, 6, 7].map((n) => (n < 6 ? rm(2, 'write') : invalid('mov from segment register 6/7'))));
  map[0x8d] = { modrm: true, form: 'memory' }; // lea computes, never accesses
  map[0x8e] = group([0, 1, 2, 3, 4, 5, 6, 7].map((n) =>
    n === 1 || n > 5 ? invalid(n === 1 ? 'mov to CS' : 'mov to segment register 6/7') : { modrm: true, effect: movToSegment(n === 2 ? 'ss' : 'data') }));
  map[0x8f] = { modrm: true, select: (modrm) => ((modrm >> 3) & 7) === 0 ? POP_RM : xopOrInvalid(modrm) };
  set(0x90, 0x99, plain()); // nop/pause, xchg with rax, cbw/cwd
  map[0x9a] = invalid(`far call ptr16:32 is ${removed}`, { imm: 6 });
  map[0x9b] = plain(); // fwait: no x87 exception can be pending
  map[0x9c] = { effect: push() };
  map[0x9d] = { effect: pop() }; // popf cannot fault at CPL 3; IF/IOPL changes are ignored
  set(0x9e, 0x9f, plain()); // sahf/lahf: every x86-64 CPU since 2005 has them in 64-bit mode
  map[0xa0] = moffs(1, 'read');
  map[0xa1] = moffs('v', 'read');
  map[0xa2] = moffs(1, 'write');
  map[0xa3] = moffs('v', 'write');
  map[0xa4] = stringOp(1, ['read-src', 'write-dst'], false);
  map[0xa5] = stringOp('v', ['read-src', 'write-dst'], false);
  map[0xa6] = stringOp(1, ['read-src', 'read-dst'], true);
  map[0xa7] = stringOp('v', ['read-src', 'read-dst'], true);
  map[0xa8] = plain(1);
  map[0xa9] = plain('z');
  map[0xaa] = stringOp(1, ['write-dst'], false);
  map[0xab] = stringOp('v', ['write-dst'], false);
  map[0xac] = stringOp(1, ['read-src'], false);
  map[0xad] = stringOp('v', ['read-src'], false);
  map[0xae] = stringOp(1, ['read-dst'], true);
  map[0xaf] = stringOp('v', ['read-dst'], true);
  set(0xb0, 0xb7, plain(1));
  set(0xb8, 0xbf, plain('v'));
  map[0xc0] = shiftGroup('imm', 1);
  map[0xc1] = shiftGroup('imm', 'v');
  map[0xc2] = { imm: 2, effect: pop(branchWidth) };
  map[0xc3] = { effect: pop(branchWidth) };
  map[0xc6] = movImmediateGroup(1, 1);
  map[0xc7] = movImmediateGroup('v', 'z');
  map[0xc8] = { imm: 'enter', effect: enter };
  // leave: rsp <- rbp (0), then pop rbp from address 0.
  map[0xc9] = { effect: (insn) => ({ accesses: [{ ...popAccess(insn, stackWidth(insn)), address: 0n, what: 'leave pop from [rbp]' }] }) };
  map[0xca] = { imm: 2, effect: farReturn('far return', 2) };
  map[0xcb] = { effect: farReturn('far return', 2) };
  map[0xcc] = { verdict: fault('SIGTRAP', 'int3 (#BP)') };
  map[0xcd] = { imm: 1, effect: interrupt };
  map[0xcf] = { effect: farReturn('iret', 5) }; // then RFLAGS, RSP and SS, checked after CS
  map[0xd0] = shiftGroup('one', 1);
  map[0xd1] = shiftGroup('one', 'v');
  map[0xd2] = shiftGroup('cl', 1);
  map[0xd3] = shiftGroup('cl', 'v');
  map[0xd4] = invalid(`aam is ${removed}`, { imm: 1 });
  map[0xd5] = invalid(`aad is ${removed}`, { imm: 1 });
  // xlat reads [rbx + al] = [0].
  map[0xd7] = { effect: (insn) => ({ accesses: [{ address: 0n, size: 1, use: 'read', stack: insn.p.segment === 0x36 ? 'maybe' : false, what: 'xlat table [rbx+al]' }] }) };
  for (let b = 0xd8; b <= 0xdf; b += 1) map[b] = x87(b);
  set(0xe0, 0xe3, plain(1)); // loop*, jrcxz
  set(0xe4, 0xe7, privileged('IN/OUT: port I/O is not permitted at CPL 3 with IOPL 0', { imm: 1 }));
  map[0xe8] = { imm: 'rel', effect: push(branchWidth) };
  map[0xe9] = plain('rel');
  map[0xea] = invalid(`far jmp ptr16:32 is ${removed}`, { imm: 6 });
  map[0xeb] = plain(1);
  set(0xec, 0xef, privileged('IN/OUT: port I/O is not permitted at CPL 3 with IOPL 0'));
  map[0xf1] = { verdict: fault('SIGTRAP', 'int1/icebp (#DB)') };
  map[0xf4] = privileged('hlt at CPL 3');
  map[0xf5] = plain();
  map[0xf6] = unaryGroup(1, 1);
  map[0xf7] = unaryGroup('v', 'z');
  set(0xf8, 0xf9, plain());
  set(0xfa, 0xfb, privileged('cli/sti at CPL 3 with IOPL 0'));
  set(0xfc, 0xfd, plain());
  map[0xfe] = group([rm(1, 'rmw', { lock: true }), rm(1, 'rmw', { lock: true }), ...Array<Op>(6).fill(invalid('group 4 (FE) /2-/7'))]);
  map[0xff] = group([
    rm('v', 'rmw', { lock: true }),
    rm('v', 'rmw', { lock: true }),
    { modrm: true, effect: (insn) => ({ accesses: [...operandAccesses(insn, { size: branchWidth(insn), use: 'read' }, 'call target'), pushAccess(insn, branchWidth(insn))] }) },
    { modrm: true, form: 'memory', effect: farOperand('far call', farPointerSize) },
    rm(branchWidth, 'read'),
    { modrm: true, form: 'memory', effect: farOperand('far jmp', farPointerSize) },
    { modrm: true, effect: (insn) => ({ accesses: [...operandAccesses(insn, { size: stackWidth(insn), use: 'read' }), pushAccess(insn, stackWidth(insn))] }) },
    invalid('group 5 (FF) /7'),
  ]);
  return map;
}

function movToSegment(target: 'ss' | 'data') {
  return (insn: Insn): Effect => {
    const name = target === 'ss' ? 'mov ss' : 'mov to a segment register';
    const m = insn.modrm!;
    if (!m.memory) return { accesses: [], then: () => segmentLoad(target, name)(registerValue(insn, m.rm, 2)) };
    return { accesses: operandAccesses(insn, { size: 2, use: 'read' }, 'selector'), then: segmentLoad(target, name) };
  };
}

/** pop r/m: the address is computed after rsp has been incremented. */
const POP_RM: Op = {
  modrm: true,
  effect: (insn) => {
    const width = stackWidth(insn);
    const target = insn.modrm!.memory ? [operandAccess(insn, { size: width, use: 'write' }, 'pop destination', wrap(insn.rsp + BigInt(width)))] : [];
    return { accesses: [popAccess(insn, width), ...target] };
  },
};

/** 8F with ModRM.reg != 0: AMD's XOP escape when the low five bits name map 8 or above (family 15h only). */
function xopOrInvalid(modrm: number): Op {
  return (modrm & 0x1f) >= 8 ? unsure('8F with a map field of 8 or more is an XOP prefix on AMD family 15h and #UD elsewhere') : invalid('group 1A (8F) /1-/7', { modrm: true });
}

/** C6/C7: mov r/m, imm at /0; xabort/xbegin at exactly F8 (RTM, not on every CPU). */
function movImmediateGroup(size: Size, imm: Imm): Op {
  return {
    modrm: true,
    select: (modrm) => {
      if (((modrm >> 3) & 7) === 0) return rm(size, 'write', { imm });
      if (modrm === 0xf8) return unsure('xabort/xbegin depend on RTM support', { imm: size === 1 ? 1 : 'z' });
      return invalid('group 11 (C6/C7) /1-/7', { imm });
    },
  };
}

/** F6/F7: test, (test alias), not, neg, mul, imul, div, idiv. */
function unaryGroup(size: Size, imm: Imm): Op {
  return group([
    rm(size, 'read', { imm }),
    rm(size, 'read', { imm }), // /1: undocumented alias of TEST on both vendors
    rm(size, 'rmw', { lock: true }),
    rm(size, 'rmw', { lock: true }),
    rm(size, 'read'),
    rm(size, 'read'),
    { modrm: true, effect: divide(size) },
    { modrm: true, effect: divide(size) },
  ]);
}

// ---------------------------------------------------------------------------
// x87 (SDM vol. 2, tables ). Exceptions are masked at entry
// (FCW 0x37F), so only memory operands can fault.

/** Memory forms by ModRM.reg: R/W and bytes; 'env' 28 (14 with 66), 'save' 108 (94); '-' undocumented. */
const X87_MEMORY: Record<number, string> = {
  0xd8: 'R4 R4 R4 R4 R4 R4 R4 R4',
  0xd9: 'R4 - W4 W4 Renv R2 Wenv W2',
  0xda: 'R4 R4 R4 R4 R4 R4 R4 R4',
  0xdb: 'R4 W4 W4 W4 - R10 - W10',
  0xdc: 'R8 R8 R8 R8 R8 R8 R8 R8',
  0xdd: 'R8 W8 W8 W8 Rsave - Wsave W2',
  0xde: 'R2 R2 R2 R2 R2 R2 R2 R2',
  0xdf: 'R2 W2 W2 W2 R10 R8 W10 W8',
};

/** Register forms (ModRM C0-FF) that are documented; the rest are aliases or reserved. */
const X87_REGISTER: Record<number, string> = {
  0xd8: 'c0-ff',
  0xd9: 'c0-d0 e0-e1 e4-e5 e8-ee f0-ff',
  0xda: 'c0-df e9',
  0xdb: 'c0-df e2-e3 e8-f7',
  0xdc: 'c0-cf e0-ff',
  0xdd: 'c0-c7 d0-ef',
  0xde: 'c0-cf d9 e0-ff',
  0xdf: 'e0 e8-f7',
};

function byteRanges(spec: string): Set<number> {
  const set = new Set<number>();
  for (const part of spec.split(' ')) {
    const [from, to] = part.split('-').map((h) => parseInt(h, 16));
    for (let b = from!; b <= (to ?? from!); b += 1) set.add(b);
  }
  return set;
}

function x87(opcode: number): Op {
  const memory = X87_MEMORY[opcode]!.split(' ');
  const registers = byteRanges(X87_REGISTER[opcode]!);
  return {
    modrm: true,
    select: (modrm) => {
      if (modrm >= 0xc0) return registers.has(modrm) ? { modrm: true } : unsure(`x87 register form ${hex(BigInt(opcode))} ${hex(BigInt(modrm))} is undocumented`, { modrm: true });
      const form = memory[(modrm >> 3) & 7]!;
      if (form === '-') return unsure(`x87 memory form ${hex(BigInt(opcode))} /${(modrm >> 3) & 7} is undocumented`, { modrm: true });
      const use: Use = form[0] === 'R' ? 'read' : 'write';
      const bytes = form.slice(1);
      const size: Size = bytes === 'env' ? (i) => (i.p.opsize ? 14 : 28) : bytes === 'save' ? (i) => (i.p.opsize ? 94 : 108) : Number(bytes);
      return rm(size, use);
    },
  };
}

// ---------------------------------------------------------------------------
// The two-byte map (SDM vol. 2, table A-3)

/** SSE/MMX forms by mandatory prefix (none, 66, F3, F2): R/W + bytes, 'a' aligned, 'q' 4/8 by REX.W, '!' memory only, 'reg' register only, 'ud' #UD, '-' not modelled. */
const SSE: readonly (readonly [number | readonly [number, number], string])[] = [
  [0x10, 'R16 R16 R4 R8'], [0x11, 'W16 W16 W4 W8'], [0x12, 'R8 R8! R16a R8'], [0x13, 'W8! W8! - -'],
  [[0x14, 0x15], 'R16a R16a - -'], [0x16, 'R8 R8! R16a -'], [0x17, 'W8! W8! - -'],
  [0x28, 'R16a R16a - -'], [0x29, 'W16a W16a - -'], [0x2a, 'R8 R8 Rq Rq'], [0x2b, 'W16a! W16a! - -'],
  [[0x2c, 0x2d], 'R8 R16a R4 R8'], [[0x2e, 0x2f], 'R4 R8 - -'],
  [0x50, 'reg reg - -'], [0x51, 'R16a R16a R4 R8'], [[0x52, 0x53], 'R16a - R4 -'], [[0x54, 0x57], 'R16a R16a - -'],
  [[0x58, 0x59], 'R16a R16a R4 R8'], [0x5a, 'R8 R16a R4 R8'], [0x5b, 'R16a R16a R16a -'], [[0x5c, 0x5f], 'R16a R16a R4 R8'],
  [[0x60, 0x62], 'R4 R16a - -'], [[0x63, 0x6b], 'R8 R16a - -'], [[0x6c, 0x6d], 'ud R16a - -'],
  [0x6e, 'Rq Rq - -'], [0x6f, 'R8 R16a R16 -'], [0x70, 'R8 R16a R16a R16a'], [[0x74, 0x76], 'R8 R16a - -'],
  [[0x7c, 0x7d], 'ud R16a - R16a'], [0x7e, 'Wq Wq R8 -'], [0x7f, 'W8 W16a W16 -'],
  [0xc2, 'R16a R16a R4 R8'], [0xc3, 'Wq! - - -'], [0xc4, 'R2 R2 - -'], [0xc5, 'reg reg - -'], [0xc6, 'R16a R16a - -'],
  [0xd0, 'ud R16a - R16a'], [[0xd1, 0xd5], 'R8 R16a - -'], [0xd6, 'ud W8 reg reg'], [0xd7, 'reg reg - -'],
  [[0xd8, 0xe5], 'R8 R16a - -'], [0xe6, 'ud R16a R8 R16a'], [0xe7, 'W8! W16a! - -'], [[0xe8, 0xef], 'R8 R16a - -'],
  [0xf0, 'ud - - R16!'], [[0xf1, 0xf6], 'R8 R16a - -'], [[0xf8, 0xfe], 'R8 R16a - -'],
];
const SSE_IMM8 = new Set([0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6]);

function sseForm(token: string, opcode: number): Op {
  const imm = SSE_IMM8.has(opcode) ? { imm: 1 as const } : {};
  if (token === '-') return unsure(`0F ${hex(BigInt(opcode))} with this mandatory prefix is not modelled`, { modrm: true, ...imm });
  if (token === 'ud') return invalid(`0F ${hex(BigInt(opcode))} without a mandatory prefix`, { modrm: true, ...imm });
  if (token === 'reg') return { modrm: true, form: 'register', ...imm };
  const match = /^([RW])(\d+|q)(a?)(!?)$/.exec(token);
  if (!match) throw new Error(`bad SSE form ${token}`);
  const [, rw, bytes, aligned, memoryOnly] = match;
  const size: Size = bytes === 'q' ? (i) => (rexW(i.p) ? 8 : 4) : Number(bytes);
  return rm(size, rw === 'R' ? 'read' : 'write', {
    ...imm,
    ...(aligned ? { operand: { size, use: rw === 'R' ? 'read' : 'write', align: 16 } } : {}),
    ...(memoryOnly ? { form: 'memory' as const } : {}),
  });
}

/** Picks the column of a mandatory-prefix table: F2/F3 win over 66. */
function mandatoryPrefix(p: Prefixes): 0 | 1 | 2 | 3 | 'conflict' {
  if (p.rep && p.repne) return 'conflict';
  return p.rep ? 2 : p.repne ? 3 : p.opsize ? 1 : 0;
}

function byPrefix(columns: readonly Op[]): Op {
  return {
    modrm: true,
    repIgnored: true,
    select: (_modrm, insn) => {
      const column = mandatoryPrefix(insn.p);
      return column === 'conflict' ? unsure('both F2 and F3 select this SSE instruction', { modrm: true }) : columns[column]!;
    },
  };
}

/** 0F 71-73: MMX/SSE shifts by an immediate, register forms only. */
function sseShiftGroup(opcode: number): Op {
  const valid: Record<number, readonly [readonly number[], readonly number[]]> = {
    0x71: [[2, 4, 6], [2, 4, 6]],
    0x72: [[2, 4, 6], [2, 4, 6]],
    0x73: [[2, 6], [2, 3, 6, 7]],
  };
  return {
    modrm: true,
    imm: 1,
    repIgnored: true,
    select: (modrm, insn) => {
      const column = mandatoryPrefix(insn.p);
      if (column !== 0 && column !== 1) return unsure(`0F ${hex(BigInt(opcode))} with F2/F3 is not modelled`, { imm: 1 });
      if (modrm < 0xc0) return invalid(`0F ${hex(BigInt(opcode))} has no memory form`, { imm: 1 });
      return valid[opcode]![column].includes((modrm >> 3) & 7) ? { imm: 1 } : invalid(`0F ${hex(BigInt(opcode))} /${(modrm >> 3) & 7} is reserved`, { imm: 1 });
    },
  };
}

/** bt/bts/btr/btc with a register bit offset: offset 0 addresses the operand itself; rsp as offset reaches far away. */
function bitTest(use: Use): Op {
  return rm('v', use, {
    lock: use !== 'read',
    effect: (insn) => {
      if (insn.modrm!.memory && insn.modrm!.reg === 4) return { accesses: [], then: () => unknown('bit offset taken from rsp') };
      return { accesses: operandAccesses(insn, { size: 'v', use }) };
    },
  });
}

function doubleShift(count: Count): Op {
  return {
    modrm: true,
    ...(count === 'imm' ? { imm: 1 as const } : {}),
    effect: (insn) => {
      const width = sizeOf('v', insn);
      const raw = count === 'cl' ? 0n : insn.imm;
      return { accesses: operandAccesses(insn, { size: width, use: (raw & (width === 8 ? 0x3fn : 0x1fn)) === 0n ? 'rmw?' : 'rmw' }) };
    },
  };
}

/** lss/lfs/lgs: read the far pointer, then load the selector that follows the offset. */
function loadFarPointer(target: 'ss' | 'data', name: string): Op {
  return {
    modrm: true,
    form: 'memory',
    effect: (insn) => {
      const offsetSize = farPointerSize(insn) - 2;
      return {
        accesses: operandAccesses(insn, { size: offsetSize + 2, use: 'read' }, `${name} far pointer`),
        then: (value) => segmentLoad(target, name)(value >> BigInt(8 * offsetSize)),
      };
    },
  };
}

/** UMIP-protected stores (sgdt, sidt, smsw, sldt, str): a #GP, an emulated store or the real one, by CPU and kernel. */
function umipStore(name: string, size: number): Op {
  return {
    modrm: true,
    effect: (insn) => ({
      accesses: operandAccesses(insn, { size, use: 'write' }, name),
      mayPreempt: true,
      then: () => unknown(`${name} at CPL 3 depends on UMIP and the kernel's emulation of it`),
    }),
  };
}

function group6(): Op {
  return group([
    umipStore('sldt', 2),
    umipStore('str', 2),
    privileged('lldt', { modrm: true }),
    privileged('ltr', { modrm: true }),
    rm(2, 'read'), // verr: never faults on the selector itself
    rm(2, 'read'), // verw
    unsure('0F 00 /6 is reserved', { modrm: true }),
    unsure('0F 00 /7 is reserved', { modrm: true }),
  ]);
}

function group7(): Op {
  const memoryForms: readonly Op[] = [
    umipStore('sgdt', 10),
    umipStore('sidt', 10),
    privileged('lgdt', { modrm: true }),
    privileged('lidt', { modrm: true }),
    umipStore('smsw', 2),
    unsure('0F 01 /5 with a memory operand (rstorssp) depends on CET', { modrm: true }),
    privileged('lmsw', { modrm: true }),
    privileged('invlpg', { modrm: true }),
  ];
  const registerForms: Record<number, Op> = {
    0xca: invalid('clac at CPL 3'),
    0xcb: invalid('stac at CPL 3'),
    0xd0: plain(), // xgetbv with ecx = 0 reads XCR0
    0xd1: privileged('xsetbv at CPL 3'),
    0xf8: privileged('swapgs at CPL 3'),
    0xf9: plain(), // rdtscp: CR4.TSD is clear on Linux
  };
  return {
    modrm: true,
    select: (modrm) => {
      if (modrm < 0xc0) return memoryForms[(modrm >> 3) & 7]!;
      if (modrm >= 0xf0 && modrm <= 0xf7) return privileged('lmsw', { modrm: true });
      return registerForms[modrm] ?? unsure(`0F 01 ${hex(BigInt(modrm))} (virtualization, monitor, TSX or a vendor extension) is not modelled`, { modrm: true });
    },
  };
}

function group9(): Op {
  return {
    modrm: true,
    select: (modrm, insn) => {
      if (((modrm >> 3) & 7) === 1 && modrm < 0xc0 && !insn.p.rep && !insn.p.repne) {
        // cmpxchg8b, or cmpxchg16b with REX.W, which needs 16-byte alignment. It always writes.
        return { modrm: true, lock: true, effect: (i) => ({ accesses: operandAccesses(i, rexW(i.p) ? { size: 16, use: 'rmw', align: 16 } : { size: 8, use: 'rmw' }) }) };
      }
      if (((modrm >> 3) & 7) === 1) return invalid('cmpxchg8b with a register operand', { modrm: true });
      return unsure('group 9 (0F C7) beyond cmpxchg8b/16b (rdrand, rdseed, rdpid, vmx, xsaves) is not modelled', { modrm: true });
    },
  };
}

function group15(): Op {
  const fences: Record<number, Op> = { 0xe8: plain(), 0xf0: plain(), 0xf8: plain() }; // lfence mfence sfence
  return {
    modrm: true,
    select: (modrm, insn) => {
      const column = mandatoryPrefix(insn.p);
      const field = (modrm >> 3) & 7;
      if (modrm >= 0xc0 && column === 0 && field <= 4) return invalid(`0F AE /${field} with a register operand`);
      if (modrm >= 0xc0) return column === 0 && fences[modrm] ? fences[modrm] : unsure(`0F AE ${hex(BigInt(modrm))} (fs/gs base access, waitpkg or a fence alias) is not modelled`, { modrm: true });
      if (column === 0 && field === 0) return rm(512, 'write', { operand: { size: 512, use: 'write', align: 16 } }); // fxsave
      if (column === 0 && field === 1) {
        return {
          modrm: true,
          effect: (i) => ({
            accesses: operandAccesses(i, { size: 512, use: 'read', align: 16 }, 'fxrstor image'),
            // MXCSR (bytes 24-27) with reserved bits set raises #GP; the allowed mask is per CPU.
            then: (image) => (((image >> 192n) & 0xffff0000n) === 0n ? COMPLETES : unknown('fxrstor loads an MXCSR with high bits set')),
          }),
        };
      }
      if (column === 0 && field === 2) {
        return {
          modrm: true,
          effect: (i) => ({
            accesses: operandAccesses(i, { size: 4, use: 'read' }, 'ldmxcsr operand'),
            then: (mxcsr) => ((mxcsr & 0xffff0000n) === 0n ? COMPLETES : unknown('ldmxcsr with high bits set: #GP unless the CPU allows them (MXCSR_MASK)')),
          }),
        };
      }
      if (column === 0 && field === 3) return rm(4, 'write'); // stmxcsr
      if ((column === 0 || column === 1) && field === 7) return rm(1, 'read'); // clflush/clflushopt need a mapped page
      return unsure(`0F AE /${field} (xsave family, clwb, ptwrite) is not modelled`, { modrm: true });
    },
  };
}

function group8(): Op {
  const bt: Op = rm('v', 'read', { imm: 1 });
  const modify: Op = rm('v', 'rmw', { imm: 1, lock: true });
  return group([...Array<Op>(4).fill(invalid('group 8 (0F BA) /0-/3', { imm: 1 })), bt, modify, modify, modify]);
}

/**
 * mov to/from control and debug registers: always register operands. Naming a
 * register that does not exist is #UD, found before the privilege check. LOCK
 * mov CR0 is AMD's alias for CR8.
 */
function controlRegister(name: string, kind: 'cr' | 'dr'): Op {
  return {
    modrm: true,
    repIgnored: true,
    select: (modrm, insn) => {
      const reg = ((modrm >> 3) & 7) | ((insn.p.rex & 4) << 1);
      if (kind === 'cr' && insn.p.lock && reg === 0 && insn.vendor === 'amd') return privileged(`${name} (LOCK: the CR8 alias)`, { lock: 'always' });
      const exists = kind === 'cr' ? [0, 2, 3, 4, 8].includes(reg) : reg < 8 && reg !== 4 && reg !== 5;
      if (exists) return privileged(name);
      if (kind === 'dr' && reg < 8) return unsure(`DR${reg} is #UD or an alias of DR${reg + 2}, by CR4.DE`);
      // Observed on AMD; Intel documents both faults without an order.
      const missing = `${name}: ${kind.toUpperCase()}${reg} does not exist`;
      return insn.vendor === 'amd' ? invalid(missing) : unsure(`${missing}: #UD or #GP first`);
    },
  };
}

function buildTwoByte(): Op[] {
  const map: Op[] = new Array<Op>(256).fill(unsure('two-byte opcode not modelled'));
  const set = (from: number, to: number, op: Op): void => { for (let b = from; b <= to; b += 1) map[b] = op; };
  for (const [codes, columns] of SSE) {
    const [from, to] = typeof codes === 'number' ? [codes, codes] : codes;
    for (let b = from; b <= to; b += 1) map[b] = byPrefix(columns.split(' ').map((token) => sseForm(token, b)));
  }
  for (const b of [0x71, 0x72, 0x73]) map[b] = sseShiftGroup(b);
  map[0x77] = { repIgnored: true, effect: (insn) => ({ accesses: [], then: () => (mandatoryPrefix(insn.p) === 0 ? COMPLETES : unknown('0F 77 with a mandatory prefix')) }) };
  map[0x00] = group6();
  map[0x01] = group7();
  map[0x02] = rm(2, 'read'); // lar: a bad selector only clears ZF
  map[0x03] = rm(2, 'read'); // lsl
  map[0x05] = plain(); // syscall; rax = 0 is read(0, NULL, 0)
  map[0x06] = privileged('clts at CPL 3', { repIgnored: true });
  map[0x07] = privileged('sysret at CPL 3', { repIgnored: true });
  map[0x08] = privileged('invd at CPL 3', { repIgnored: true });
  map[0x09] = privileged('wbinvd/wbnoinvd at CPL 3', { repIgnored: true });
  map[0x0b] = invalid('ud2', { repIgnored: true });
  const reserved = 'reserved two-byte opcode';
  for (const b of [0x04, 0x0a, 0x0c, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x7a, 0x7b]) map[b] = invalid(`0F ${hex(BigInt(b))}: ${reserved}`, { repIgnored: true });
  set(0x24, 0x27, invalid(`0F 24-27: ${reserved} (386 test registers)`, { modrm: true, repIgnored: true }));
  // Prefetches and hint NOPs never fault; their register forms differ between CPUs.
  const hint = (intelToo: boolean): Op => ({
    modrm: true,
    select: (modrm, insn) => {
      if (modrm >= 0xc0) return unsure('register form of a prefetch hint', { modrm: true });
      return intelToo || insn.vendor === 'amd' ? { modrm: true } : unsure('0F 0D (prefetchw) is #UD on Intel CPUs before Broadwell', { modrm: true });
    },
  });
  map[0x0d] = hint(false);
  map[0x18] = hint(true);
  map[0x19] = { modrm: true }; // hint NOPs
  map[0x1c] = { modrm: true }; // cldemote is a hint
  map[0x1d] = { modrm: true };
  map[0x1e] = { modrm: true, repIgnored: true }; // endbr64, rdssp: NOPs without CET shadow stacks
  map[0x1f] = { modrm: true };
  set(0x1a, 0x1b, unsure('0F 1A/1B: MPX instructions on Intel (NOPs while MPX is off), hint NOPs on AMD', { modrm: true }));
  set(0x78, 0x79, unsure('0F 78/79: VMREAD/VMWRITE (#UD or #GP by VMX state) on Intel, SSE4a EXTRQ/INSERTQ on AMD', { modrm: true }));
  for (const b of [0x3f, 0xa6, 0xa7]) map[b] = unsure(`0F ${hex(BigInt(b))} is reserved, but VIA/Zhaoxin CPUs use it`);
  map[0x20] = controlRegister('mov from CR at CPL 3', 'cr');
  map[0x21] = controlRegister('mov from DR at CPL 3', 'dr');
  map[0x22] = controlRegister('mov to CR at CPL 3', 'cr');
  map[0x23] = controlRegister('mov to DR at CPL 3', 'dr');
  map[0x30] = privileged('wrmsr at CPL 3', { repIgnored: true });
  map[0x31] = plain(); // rdtsc: CR4.TSD is clear on Linux
  map[0x32] = privileged('rdmsr at CPL 3', { repIgnored: true });
  map[0x33] = unsure('rdpmc depends on CR4.PCE, which perf sets per task');
  map[0x34] = unsure('sysenter in 64-bit mode: #UD on AMD, a compat system call on Intel');
  map[0x35] = unsure('sysexit at CPL 3: #GP on Intel, #UD on AMD in long mode');
  map[0x37] = invalid('getsec without SMX enabled');
  set(0x40, 0x4f, rm('v', 'read')); // cmovcc reads its source whatever the condition
  set(0x80, 0x8f, { imm: 'rel', repIgnored: true }); // jcc rel32; F2 is the BND hint
  set(0x90, 0x9f, rm(1, 'write')); // setcc
  map[0xa0] = { effect: push() }; // push fs
  map[0xa1] = { effect: (insn) => ({ accesses: [popAccess(insn, stackWidth(insn))], then: segmentLoad('data', 'pop fs') }) };
  map[0xa2] = { effect: (insn) => ({ accesses: [], then: () => hostDependent(insn.cpu.cpuid, 'cpuid', 'CPUID faulting is on') }) };
  map[0xa3] = bitTest('read');
  map[0xa4] = doubleShift('imm');
  map[0xa5] = doubleShift('cl');
  map[0xa8] = { effect: push() }; // push gs
  map[0xa9] = { effect: (insn) => ({ accesses: [popAccess(insn, stackWidth(insn))], then: segmentLoad('data', 'pop gs') }) };
  map[0xaa] = invalid('rsm outside SMM');
  map[0xab] = bitTest('rmw');
  map[0xac] = doubleShift('imm');
  map[0xad] = doubleShift('cl');
  map[0xae] = group15();
  map[0xaf] = rm('v', 'read');
  map[0xb0] = rm(1, 'rmw', { lock: true }); // cmpxchg always writes
  map[0xb1] = rm('v', 'rmw', { lock: true });
  map[0xb2] = loadFarPointer('ss', 'lss');
  map[0xb3] = bitTest('rmw');
  map[0xb4] = loadFarPointer('data', 'lfs');
  map[0xb5] = loadFarPointer('data', 'lgs');
  map[0xb6] = rm(1, 'read');
  map[0xb7] = rm(2, 'read');
  map[0xb8] = { modrm: true, repIgnored: true, select: (_m, insn) => (insn.p.rep && !insn.p.repne ? rm('v', 'read') : invalid('0F B8 without F3 (jmpe)', { modrm: true })) };
  map[0xb9] = invalid('ud1', { modrm: true, repIgnored: true });
  map[0xba] = group8();
  map[0xbb] = bitTest('rmw');
  map[0xbc] = rm('v', 'read', { repIgnored: true }); // bsf/tzcnt
  map[0xbd] = rm('v', 'read', { repIgnored: true }); // bsr/lzcnt
  map[0xbe] = rm(1, 'read');
  map[0xbf] = rm(2, 'read');
  map[0xc0] = rm(1, 'rmw', { lock: true }); // xadd
  map[0xc1] = rm('v', 'rmw', { lock: true });
  map[0xc7] = group9();
  // maskmovq: register operands only; whether an all-zero mask still faults on [rdi] is implementation-specific.
  map[0xf7] = {
    modrm: true,
    repIgnored: true,
    select: (modrm, insn) => {
      if (insn.p.rep || insn.p.repne) return unsure('0F F7 with F2/F3 is not modelled');
      return modrm < 0xc0 ? invalid('maskmovq with a memory operand') : unsure('maskmovq/maskmovdqu with a zero mask may or may not fault on [rdi]');
    },
  };
  set(0xc8, 0xcf, plain()); // bswap
  map[0xff] = invalid('ud0', { modrm: true, repIgnored: true }); // Intel's UD0 has a ModRM, AMD's none (see analyse)
  return map;
}

const ONE_BYTE = buildOneByte();
const TWO_BYTE = buildTwoByte();

// ---------------------------------------------------------------------------
// Decoding and running one instruction

function readImmediate(code: Code, imm: Imm | undefined, p: Prefixes, vendor: Vendor): { imm: bigint; imm2: bigint } {
  switch (imm) {
    case undefined: return { imm: 0n, imm2: 0n };
    case 'z': return { imm: code.immediate(p.opsize && !rexW(p) ? 2 : 4), imm2: 0n };
    case 'v': return { imm: code.immediate(rexW(p) ? 8 : p.opsize ? 2 : 4), imm2: 0n };
    case 'moffs': return { imm: code.immediate(p.addr32 ? 4 : 8), imm2: 0n };
    case 'rel': return { imm: code.immediate(p.opsize && !rexW(p) && vendor === 'amd' ? 2 : 4), imm2: 0n };
    case 'enter': {
      const size = code.immediate(2);
      return { imm: size, imm2: code.immediate(1) };
    }
    default: return { imm: code.immediate(imm), imm2: 0n };
  }
}

/** Verdicts the decoder can reach before it has all the bytes: #UD and "not modelled". */
const isEarly = (verdict: FirstInstruction | undefined): boolean =>
  verdict !== undefined && (verdict.kind === 'unknown' || (verdict.kind === 'faults' && verdict.signal === 'SIGILL'));

function execute(memory: MemoryView, code: Code, op: Op, p: Prefixes, rsp: bigint, vendor: Vendor, cpu: CpuFacts, twoByte: boolean): FirstInstruction {
  if (twoByte && (p.rep || p.repne) && !op.repIgnored) code.doom(unknown('F2/F3 before this two-byte opcode may select a different instruction'));
  if (isEarly(op.verdict)) code.doom(op.verdict!);
  let chosen = op;
  let modrm: ModRM | undefined;
  if (op.modrm || op.select) {
    const byte = code.byte();
    if (op.select) chosen = { ...op, ...op.select(byte, { p, vendor }) };
    if (isEarly(chosen.verdict)) code.doom(chosen.verdict!);
    if (chosen.form === 'memory' && byte >= 0xc0) code.doom(ud('register operand where only memory is allowed'));
    if (chosen.form === 'register' && byte < 0xc0) code.doom(ud('memory operand where only a register is allowed'));
    if (p.lock && !(chosen.lock === 'always' || (chosen.lock === true && byte < 0xc0))) code.doom(ud('LOCK prefix on an instruction or operand that cannot be locked'));
    modrm = decodeModRM(code, byte, p);
  } else if (p.lock) {
    code.doom(ud('LOCK prefix on an instruction that cannot be locked'));
  }
  const { imm, imm2 } = readImmediate(code, chosen.imm, p, vendor);
  const doomed = code.doomed;
  if (doomed) return doomed;
  if (chosen.verdict) return chosen.verdict;
  const insn: Insn = { p, modrm, imm, imm2, next: wrap(code.start + BigInt(code.length)), rsp, vendor, cpu };
  const effect = chosen.effect ? chosen.effect(insn) : { accesses: operandAccesses(insn, chosen.operand) };
  return runEffect(memory, effect);
}

/** Bytes a VEX/EVEX instruction still spans after its prefix: opcode, ModRM, SIB, displacement (an immediate may follow). */
function measureRest(code: Code, p: Prefixes): void {
  code.byte();
  decodeModRM(code, code.byte(), p);
}

/** C4/C5 are always VEX in 64-bit mode. Only encodings that no CPU accepts are decided. */
function vex(code: Code, p: Prefixes, opcode: number): FirstInstruction {
  if (p.opsize || p.rep || p.repne || p.lock || p.rex) code.doom(ud('VEX after a 66, F2, F3, F0 or REX prefix'));
  const first = code.byte();
  const map = opcode === 0xc5 ? 1 : first & 0x1f;
  if (opcode === 0xc4) code.byte();
  if (map === 0 || map >= 8) code.doom(ud(`VEX with reserved opcode map ${map}`));
  if (!code.doomed) return unknown('VEX-encoded instructions are not modelled (and need AVX)');
  measureRest(code, { ...p, rex: 0 });
  return code.doomed!;
}

/** 62 is always EVEX in 64-bit mode (BOUND is gone): #UD without AVX-512, and for reserved bits on any CPU before APX. */
function evex(code: Code, p: Prefixes): FirstInstruction {
  if (p.opsize || p.rep || p.repne || p.lock || p.rex) code.doom(ud('EVEX after a 66, F2, F3, F0 or REX prefix'));
  const p0 = code.byte();
  if ((p0 & 0x08) !== 0) code.doom(ud('EVEX with reserved bit P0[3] set'));
  const p1 = code.byte();
  if ((p1 & 0x04) === 0) code.doom(ud('EVEX with fixed bit P1[2] clear'));
  const map = p0 & 0x07;
  if (map === 0 || map === 4 || map === 7) code.doom(ud(`EVEX with reserved opcode map ${map}`));
  code.byte(); // P2
  if (!code.doomed) return unknown('EVEX-encoded instructions are not modelled (and need AVX-512)');
  measureRest(code, { ...p, rex: 0 });
  return code.doomed!;
}

function analyse(memory: MemoryView, entry: bigint, rsp: bigint, vendor: Vendor, cpu: CpuFacts): FirstInstruction {
  const code = new Code(memory, entry);
  try {
    const { prefixes, opcode } = readPrefixes(code);
    if (opcode === 0xc4 || opcode === 0xc5) return vex(code, prefixes, opcode);
    if (opcode === 0x62) return evex(code, prefixes);
    if (opcode !== 0x0f) return execute(memory, code, ONE_BYTE[opcode]!, prefixes, rsp, vendor, cpu, false);
    const second = code.byte();
    if (second === 0x38 || second === 0x3a) return unknown('three-byte opcode maps (0F 38, 0F 3A) are not modelled');
    if (second === 0x0e || second === 0x0f) return unknown('3DNow! (0F 0E, 0F 0F) exists only on older AMD CPUs');
    if (second === 0xff && vendor === 'amd') return ud('ud0');
    return execute(memory, code, TWO_BYTE[second]!, prefixes, rsp, vendor, cpu, true);
  } catch (error) {
    if (error instanceof Verdict) return error.outcome;
    throw error;
  }
}

/**
 * What the first instruction at `entry` does in a fresh static process: every
 * general-purpose register 0 except `rsp`, DF clear, CPL 3, IOPL 0.
 */
export function firstInstructionOutcome(memory: MemoryView, entry: bigint, rsp: bigint, cpu: CpuFacts): FirstInstruction {
  const intel = analyse(memory, entry, rsp, 'intel', cpu);
  const amd = analyse(memory, entry, rsp, 'amd', cpu);
  if (sameResult(intel, amd)) return intel;
  return unknown(`Intel and AMD processors differ here: ${describe(intel)} / ${describe(amd)}`);
}
