// A few A32 (ARM state) instructions, enough for a Linux EABI "hello"
// program: write(1, message, length) then exit(0) through `svc #0`.
//
// Encodings: ARM Architecture Reference Manual, ARMv7-A and ARMv7-R edition
// (DDI 0406C): A5.2.4 "Modified immediate constants in ARM instructions",
// A8.8.12 ADR (encodings A1 and A2, ADD/SUB from the PC), A8.8.102 MOV
// (immediate) (A1, and A2 = MOVW), A8.8.106 MOVT, A8.8.228 SVC. All
// instructions are unconditional (cond = 1110) little-endian words. MOVW and
// MOVT need ARMv6T2 or later.
// System call ABI (EABI): the number in r7, arguments in r0 to r6, `svc #0`
// (an EABI kernel ignores the immediate; one built with OABI_COMPAT takes
// `svc #0` as EABI: arch/arm/kernel/entry-common.S, vector_swi).
// Numbers: arch/arm/tools/syscall.tbl (1 exit, 4 write).
//
// The message address comes from ADR, relative to the PC, so the code runs
// wherever it is loaded (PIE). A32 reads the PC as the instruction's address
// plus 8, and ADR's offset must be a modified immediate: fine for a message
// right after the code, not for arbitrary distances.
import { ELFCLASS32, ELFDATA2LSB, EM_ARM } from '../../model/constants.js';
import { checkHelloArguments, littleEndianWords } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS32;
export const ELF_DATA = ELFDATA2LSB;
export const E_MACHINE = EM_ARM;
/**
 * EF_ARM_EABI_VER5, as GNU ld marks EABI programs. arch/arm's loader also
 * takes e_flags 0 (an old-ABI file), but an arm64 kernel's AArch32 loader
 * refuses a file without an EABI version (compat_elf_check_arch,
 * arch/arm64/include/asm/elf.h).
 */
export const E_FLAGS = 0x05000000;

export const SYS_EXIT = 1;
export const SYS_WRITE = 4;

/** Core registers r0 to r14 (r15 is the PC). */
export type Reg = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14;

const COND_ALWAYS = 0xe0000000;
/** Reading the PC in A32 gives the address of the current instruction plus 8. */
const PC_READ_AHEAD = 8;

/**
 * The 12-bit modified-immediate field (rotation:imm8) for value: imm8 rotated
 * right by twice the rotation. Returns undefined if value has no such form.
 * The smallest rotation is chosen, as assemblers do.
 */
export function modifiedImmediate(value: number): number | undefined {
  const word = value >>> 0;
  for (let rotation = 0; rotation < 16; rotation += 1) {
    const imm8 = ((word << (2 * rotation)) | (word >>> ((32 - 2 * rotation) % 32))) >>> 0;
    if (imm8 <= 0xff) return (rotation << 8) | imm8;
  }
  return undefined;
}

function encodable(value: number, what: string): number {
  const field = Number.isInteger(value) ? modifiedImmediate(value) : undefined;
  if (field === undefined) throw new RangeError(`${what}: ${value} is not a modified immediate (an 8-bit value rotated by an even amount)`);
  return field;
}

function imm16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what}: ${value} is not a 16-bit immediate`);
  return value;
}

/** MOV Rd, #const (A1: cond 0011 101S 0000 Rd imm12), S=0. */
export function movImmediate(rd: Reg, value: number): number {
  return (COND_ALWAYS | 0x03a00000 | (rd << 12) | encodable(value, 'mov')) >>> 0;
}

/** MOVW Rd, #imm16 (MOV immediate A2: cond 0011 0000 imm4 Rd imm12): the top half cleared. */
export function movw(rd: Reg, value: number): number {
  const v = imm16(value, 'movw');
  return (COND_ALWAYS | 0x03000000 | ((v >>> 12) << 16) | (rd << 12) | (v & 0xfff)) >>> 0;
}

/** MOVT Rd, #imm16 (cond 0011 0100 imm4 Rd imm12): the top half written, the bottom kept. */
export function movt(rd: Reg, value: number): number {
  const v = imm16(value, 'movt');
  return (COND_ALWAYS | 0x03400000 | ((v >>> 12) << 16) | (rd << 12) | (v & 0xfff)) >>> 0;
}

/**
 * ADR Rd, label, with the label `offset` bytes from this instruction:
 * ADD Rd, PC, #const (A1: cond 0010 1000 1111 Rd imm12) or, backwards,
 * SUB Rd, PC, #const (A2: cond 0010 0100 1111 Rd imm12).
 */
export function adr(rd: Reg, offset: number): number {
  const fromPc = offset - PC_READ_AHEAD;
  if (fromPc >= 0) return (COND_ALWAYS | 0x028f0000 | (rd << 12) | encodable(fromPc, 'adr')) >>> 0;
  return (COND_ALWAYS | 0x024f0000 | (rd << 12) | encodable(-fromPc, 'adr')) >>> 0;
}

/** SVC #imm24 (cond 1111 imm24). */
export function svc(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffff) throw new RangeError(`svc: ${value} is not a 24-bit immediate`);
  return (COND_ALWAYS | 0x0f000000 | value) >>> 0;
}

/** Position of the ADR in the sequence, in bytes from the start of the code. */
const ADR_OFFSET = 4;

/** Bytes helloCode returns, whatever its arguments. */
export const HELLO_CODE_SIZE = 36;

/**
 * Machine code for write(1, message, length); exit(0), with the message at
 * messageOffsetFromCodeStart from the first instruction (normally
 * HELLO_CODE_SIZE: the caller appends the message to the code). The code is
 * position independent; codeAddress is only checked for 4-byte alignment.
 * Throws a RangeError if ADR cannot express the distance to the message.
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  if (codeAddress % 4n !== 0n) throw new RangeError('A32 code must be 4-byte aligned');
  const words = [
    movImmediate(0, 1),
    adr(1, messageOffsetFromCodeStart - ADR_OFFSET),
    movw(2, length & 0xffff),
    movt(2, length >>> 16),
    movImmediate(7, SYS_WRITE),
    svc(0),
    movImmediate(0, 0),
    movImmediate(7, SYS_EXIT),
    svc(0),
  ];
  const code = littleEndianWords(words);
  if (code.length !== HELLO_CODE_SIZE) throw new Error('arm hello code size mismatch');
  return code;
}
