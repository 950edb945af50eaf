// A few z/Architecture instructions, enough for a Linux "hello" program:
// write(1, message, length) then exit(0) through SUPERVISOR CALL.
//
// Encodings: z/Architecture Principles of Operation (SA22-7832), chapter 5
// "Program Execution", Instruction Formats (I, RI-a, RIL-a, RIL-b), and
// chapter 7 "General Instructions": LOAD HALFWORD IMMEDIATE (LGHI), LOAD
// IMMEDIATE (LGFI, extended-immediate facility), LOAD ADDRESS RELATIVE LONG
// (LARL), SUPERVISOR CALL (SVC). Instructions are 2, 4 or 6 bytes,
// big-endian, halfword-aligned.
// System call ABI: arguments in r2 to r7, result in r2. The number is the
// SVC's 8-bit immediate; `svc 0` instead takes it from r1, for numbers above
// 255 (arch/s390/kernel/syscall.c, __do_syscall: `nr = regs->int_code &
// 0xffff; if (!nr) nr = regs->gprs[1] & 0xffff`). write (4) and exit (1) fit
// the immediate, as glibc also encodes them. Numbers:
// arch/s390/kernel/syscalls/syscall.tbl.
//
// The message address comes from LARL, relative to the instruction, so the
// code runs wherever it is loaded (PIE). LARL counts in halfwords: the
// message must start at an even offset from the code.
import { ELFCLASS64, ELFDATA2MSB, EM_S390 } from '../../model/constants.js';
import { checkHelloArguments } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS64;
export const ELF_DATA = ELFDATA2MSB;
export const E_MACHINE = EM_S390;
export const E_FLAGS = 0;

export const SYS_EXIT = 1;
export const SYS_WRITE = 4;

/** General registers r0 to r15. */
export type GReg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15;

function be16(value: number): number[] {
  return [(value >>> 8) & 0xff, value & 0xff];
}

function be32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function signed(value: number, bits: number, what: string): number {
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -limit || value >= limit) throw new RangeError(`${what}: ${value} is not a signed ${bits}-bit immediate`);
  return value;
}

/** RI-a: op1(8) R1(4) op2(4) I2(16). */
function riA(op1: number, op2: number, r1: GReg, i2: number): number[] {
  return [op1, (r1 << 4) | op2, ...be16(i2 & 0xffff)];
}

/** RIL-a / RIL-b: op1(8) R1(4) op2(4) I2(32). */
function ril(op1: number, op2: number, r1: GReg, i2: number): number[] {
  return [op1, (r1 << 4) | op2, ...be32(i2 >>> 0)];
}

/** LGHI R1, I2 (A7x9): a sign-extended 16-bit immediate into the 64-bit register. */
export function lghi(r1: GReg, value: number): number[] {
  return riA(0xa7, 0x9, r1, signed(value, 16, 'lghi'));
}

/** LGFI R1, I2 (C0x1): a sign-extended 32-bit immediate into the 64-bit register. */
export function lgfi(r1: GReg, value: number): number[] {
  return ril(0xc0, 0x1, r1, signed(value, 32, 'lgfi'));
}

/** LARL R1, offset (C0x0): R1 = address of this instruction + offset; offset in bytes, even, within +-4 GiB. */
export function larl(r1: GReg, offset: number): number[] {
  if (!Number.isSafeInteger(offset) || offset % 2 !== 0) throw new RangeError(`larl: offset ${offset} is not an even number of bytes`);
  return ril(0xc0, 0x0, r1, signed(offset / 2, 32, 'larl halfwords'));
}

/** SVC I (0A ii): supervisor call with an 8-bit interruption code. */
export function svc(code: number): number[] {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new RangeError(`svc: ${code} is not a byte`);
  return [0x0a, code];
}

/** Position of the LARL in the sequence, in bytes from the start of the code. */
const LARL_OFFSET = 4;

/** Bytes helloCode returns, whatever its arguments. */
export const HELLO_CODE_SIZE = 24;

/**
 * Machine code for write(1, message, length); exit(0), with the message at
 * messageOffsetFromCodeStart from the first instruction (normally
 * HELLO_CODE_SIZE, which is even: the caller appends the message to the
 * code). The code is position independent; codeAddress is only checked for
 * halfword alignment.
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  if (messageOffsetFromCodeStart % 2 !== 0) throw new RangeError('LARL reaches even addresses only: the message offset must be even');
  if (codeAddress % 2n !== 0n) throw new RangeError('z/Architecture code must be halfword-aligned');
  const code = [
    ...lghi(2, 1),
    ...larl(3, messageOffsetFromCodeStart - LARL_OFFSET),
    ...lgfi(4, length),
    ...svc(SYS_WRITE),
    ...lghi(2, 0),
    ...svc(SYS_EXIT),
  ];
  if (code.length !== HELLO_CODE_SIZE) throw new Error('s390x hello code size mismatch');
  return Uint8Array.from(code);
}
