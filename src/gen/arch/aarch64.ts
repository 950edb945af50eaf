// A few A64 instructions, enough for a Linux "hello" program: write(1,
// message, length) then exit(0) through `svc #0`.
//
// Encodings: Arm Architecture Reference Manual for A-profile (DDI 0487),
// C4.1 "A64 instruction set encoding" (the PC-rel. addressing, Move wide
// (immediate) and Exception generation classes) and C6.2 "Alphabetical list
// of A64 base instructions": MOVZ, MOVK, ADR, SVC. Every instruction is one
// little-endian 32-bit word.
// System call ABI: the number in x8, arguments in x0 to x5 (the kernel reads
// regs[8] in arch/arm64/kernel/syscall.c). Numbers: the generic table,
// include/uapi/asm-generic/unistd.h (scripts/syscall.tbl in newer kernels):
// 64 write, 93 exit.
//
// The message is found with ADR, relative to the instruction itself, so the
// code runs wherever it is loaded (PIE).
import { ELFCLASS64, ELFDATA2LSB, EM_AARCH64 } from '../../model/constants.js';
import { checkHelloArguments, littleEndianWords } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS64;
export const ELF_DATA = ELFDATA2LSB;
export const E_MACHINE = EM_AARCH64;
export const E_FLAGS = 0;

export const SYS_WRITE = 64;
export const SYS_EXIT = 93;

/** The 64-bit general-purpose registers used here, by number. */
export const enum XReg { x0 = 0, x1 = 1, x2 = 2, x8 = 8 }

function imm16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what}: ${value} is not a 16-bit immediate`);
  return value;
}

/** hw field: the immediate is shifted left by 16 * hw (0 to 3 for 64-bit registers). */
function halfword(shift: number): number {
  if (shift !== 0 && shift !== 16 && shift !== 32 && shift !== 48) throw new RangeError(`shift ${shift} is not 0, 16, 32 or 48`);
  return shift / 16;
}

/** MOVZ Xd, #imm16, LSL #shift (sf=1 opc=10 100101 hw imm16 Rd): the rest of Xd cleared. */
export function movz(rd: XReg, value: number, shift = 0): number {
  return (0xd2800000 | (halfword(shift) << 21) | (imm16(value, 'movz') << 5) | rd) >>> 0;
}

/** MOVK Xd, #imm16, LSL #shift (sf=1 opc=11 100101 hw imm16 Rd): one halfword replaced, the rest kept. */
export function movk(rd: XReg, value: number, shift = 0): number {
  return (0xf2800000 | (halfword(shift) << 21) | (imm16(value, 'movk') << 5) | rd) >>> 0;
}

/** ADR Xd, PC+offset (op=0 immlo 10000 immhi Rd); the offset is from this instruction, within +-1 MiB. */
export function adr(rd: XReg, offset: number): number {
  if (!Number.isInteger(offset) || offset < -0x100000 || offset > 0xfffff) throw new RangeError(`adr: offset ${offset} is beyond +-1 MiB`);
  const imm = offset & 0x1fffff;
  return (0x10000000 | ((imm & 0x3) << 29) | ((imm >>> 2) << 5) | rd) >>> 0;
}

/** SVC #imm16 (11010100 000 imm16 000 01). */
export function svc(value: number): number {
  return (0xd4000001 | (imm16(value, 'svc') << 5)) >>> 0;
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
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  if (codeAddress % 4n !== 0n) throw new RangeError('A64 code must be 4-byte aligned');
  const words = [
    movz(XReg.x0, 1),
    adr(XReg.x1, messageOffsetFromCodeStart - ADR_OFFSET),
    movz(XReg.x2, length & 0xffff),
    movk(XReg.x2, length >>> 16, 16),
    movz(XReg.x8, SYS_WRITE),
    svc(0),
    movz(XReg.x0, 0),
    movz(XReg.x8, SYS_EXIT),
    svc(0),
  ];
  const code = littleEndianWords(words);
  if (code.length !== HELLO_CODE_SIZE) throw new Error('aarch64 hello code size mismatch');
  return code;
}
