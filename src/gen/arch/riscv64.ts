// A few RV64I instructions, enough for a Linux "hello" program: write(1,
// message, length) then exit(0) through `ecall`.
//
// Encodings: The RISC-V Instruction Set Manual, Volume I (Unprivileged ISA):
// the RV32I chapter's "Base Instruction Formats" (I-type, U-type), "Integer
// Computational Instructions" (ADDI, LUI, AUIPC) and "Environment Call and
// Breakpoints" (ECALL); the RV64I chapter for ADDIW. Only 32-bit base
// instructions are used (no C extension), each one little-endian word.
// System call ABI: the number in a7, arguments in a0 to a5 (the kernel reads
// regs->a7 in arch/riscv/kernel/traps.c, do_trap_ecall_u). Numbers: the
// generic table, include/uapi/asm-generic/unistd.h (scripts/syscall.tbl in
// newer kernels): 64 write, 93 exit.
//
// The message address comes from AUIPC + ADDI, relative to the AUIPC, so the
// code runs wherever it is loaded (PIE).
import { ELFCLASS64, ELFDATA2LSB, EM_RISCV } from '../../model/constants.js';
import { checkHelloArguments, littleEndianWords } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS64;
export const ELF_DATA = ELFDATA2LSB;
export const E_MACHINE = EM_RISCV;
/** No float ABI or RVC flag is needed: the code uses neither. */
export const E_FLAGS = 0;

export const SYS_WRITE = 64;
export const SYS_EXIT = 93;

/** The integer registers used here, by number (ABI names). */
export const enum XReg { zero = 0, a0 = 10, a1 = 11, a2 = 12, a7 = 17 }

const OP_IMM = 0x13;
const OP_IMM_32 = 0x1b;
const LUI = 0x37;
const AUIPC = 0x17;
const SYSTEM = 0x73;

function imm12(value: number, what: string): number {
  if (!Number.isInteger(value) || value < -0x800 || value > 0x7ff) throw new RangeError(`${what}: ${value} is not a signed 12-bit immediate`);
  return value & 0xfff;
}

function imm20(value: number, what: string): number {
  if (!Number.isInteger(value) || value < -0x80000 || value > 0xfffff) throw new RangeError(`${what}: ${value} does not fit the 20-bit upper immediate`);
  return value & 0xfffff;
}

/** I-type: imm[11:0] rs1 funct3 rd opcode. */
function iType(opcode: number, funct3: number, rd: XReg, rs1: XReg, imm: number): number {
  return ((imm << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0;
}

/** U-type: imm[31:12] rd opcode. */
function uType(opcode: number, rd: XReg, upper: number): number {
  return ((upper << 12) | (rd << 7) | opcode) >>> 0;
}

/** ADDI rd, rs1, imm12 (sign-extended); `li rd, small` is ADDI rd, zero, small. */
export function addi(rd: XReg, rs1: XReg, value: number): number {
  return iType(OP_IMM, 0, rd, rs1, imm12(value, 'addi'));
}

/** ADDIW rd, rs1, imm12: a 32-bit add whose result is sign-extended to 64 bits. */
export function addiw(rd: XReg, rs1: XReg, value: number): number {
  return iType(OP_IMM_32, 0, rd, rs1, imm12(value, 'addiw'));
}

/** LUI rd, imm20: rd = imm20 << 12, sign-extended from bit 31. */
export function lui(rd: XReg, upper: number): number {
  return uType(LUI, rd, imm20(upper, 'lui'));
}

/** AUIPC rd, imm20: rd = address of this instruction + (imm20 << 12, sign-extended). */
export function auipc(rd: XReg, upper: number): number {
  return uType(AUIPC, rd, imm20(upper, 'auipc'));
}

/** ECALL (funct12=0, SYSTEM). */
export function ecall(): number {
  return SYSTEM;
}

/**
 * Split a signed 32-bit value for an upper-immediate instruction followed by
 * a 12-bit add: value = (upper << 12) + lower, with lower in -2048..2047
 * (the %hi/%lo and %pcrel_hi/%pcrel_lo pairs of the assembler).
 */
export function splitHiLo(value: number): { upper: number; lower: number } {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`${value} is not a signed 32-bit value`);
  const lower = ((value & 0xfff) ^ 0x800) - 0x800;
  const upper = ((value - lower) / 0x1000) & 0xfffff;
  return { upper, lower };
}

/** Position of the AUIPC in the sequence, in bytes from the start of the code. */
const AUIPC_OFFSET = 4;

/** Bytes helloCode returns, whatever its arguments. */
export const HELLO_CODE_SIZE = 40;

/**
 * Machine code for write(1, message, length); exit(0), with the message at
 * messageOffsetFromCodeStart from the first instruction (normally
 * HELLO_CODE_SIZE: the caller appends the message to the code). The code is
 * position independent; codeAddress is only checked for 4-byte alignment.
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  // Without the C extension, instructions must be 4-byte aligned.
  if (codeAddress % 4n !== 0n) throw new RangeError('RV64I code must be 4-byte aligned');
  const relative = messageOffsetFromCodeStart - AUIPC_OFFSET;
  // AUIPC + ADDI adds two sign-extended parts in 64 bits, so, unlike LUI +
  // ADDIW, it cannot wrap round to reach the top 2 KiB of the +2 GiB range.
  if (relative > 0x7ffff7ff || relative < -0x80000000) throw new RangeError(`message is ${relative} bytes from the auipc; beyond its +-2 GiB reach`);
  const address = splitHiLo(relative);
  const count = splitHiLo(length);
  const words = [
    addi(XReg.a0, XReg.zero, 1),
    auipc(XReg.a1, address.upper),
    addi(XReg.a1, XReg.a1, address.lower),
    lui(XReg.a2, count.upper),
    addiw(XReg.a2, XReg.a2, count.lower),
    addi(XReg.a7, XReg.zero, SYS_WRITE),
    ecall(),
    addi(XReg.a0, XReg.zero, 0),
    addi(XReg.a7, XReg.zero, SYS_EXIT),
    ecall(),
  ];
  const code = littleEndianWords(words);
  if (code.length !== HELLO_CODE_SIZE) throw new Error('riscv64 hello code size mismatch');
  return code;
}
