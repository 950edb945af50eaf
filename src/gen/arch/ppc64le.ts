// A few Power ISA instructions, enough for a little-endian Linux "hello"
// program (ELFv2): write(1, message, length) then exit(0) through `sc`.
//
// Encodings: Power ISA (Version 3.0B / 3.1), Book I: chapter 1 "Instruction
// Formats" (B, D, XFX, SC forms); chapter 2 "Branch Facility": Branch
// Conditional (bc, here bcl 20,31,$+4) and System Call (sc); chapter 3
// "Fixed-Point Facility": Add Immediate (addi, li), Add Immediate Shifted
// (addis, lis), OR Immediate (ori), Move From Special Purpose Register
// (mfspr, here mflr). Each instruction is one 32-bit word, written
// little-endian.
// System call ABI: the number in r0, arguments in r3 to r8, `sc`
// (Documentation/arch/powerpc/syscall64-abi.rst). Numbers:
// arch/powerpc/kernel/syscalls/syscall.tbl (1 exit, 4 write).
//
// Power before ISA 3.0 has no PC-relative addressing: `bcl 20,31,$+4` (a
// branch-and-link to the next instruction, which the hardware does not treat
// as a call) puts the PC in the link register, and the message address is
// built from it with addis + addi, so the code runs wherever it is loaded.
import { ELFCLASS64, ELFDATA2LSB, EM_PPC64 } from '../../model/constants.js';
import { checkHelloArguments, littleEndianWords } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS64;
export const ELF_DATA = ELFDATA2LSB;
export const E_MACHINE = EM_PPC64;
/**
 * ELFv2 ABI (e_flags & 3 == 2). Without it a 64-bit kernel takes e_entry as
 * the address of an ELFv1 function descriptor, not of code
 * (arch/powerpc/include/asm/elf.h SET_PERSONALITY, TIF_ELF2ABI).
 */
export const E_FLAGS = 2;

export const SYS_EXIT = 1;
export const SYS_WRITE = 4;

/** General-purpose registers r0 to r31. */
export type Gpr = number;

function gpr(reg: Gpr): number {
  if (!Number.isInteger(reg) || reg < 0 || reg > 31) throw new RangeError(`r${reg} is not a general-purpose register`);
  return reg;
}

function si16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < -0x8000 || value > 0x7fff) throw new RangeError(`${what}: ${value} is not a signed 16-bit immediate`);
  return value & 0xffff;
}

/** D-form: opcode(6) RT(5) RA(5) D/SI/UI(16). */
function dForm(opcode: number, rt: Gpr, ra: Gpr, field16: number): number {
  return ((opcode << 26) | (gpr(rt) << 21) | (gpr(ra) << 16) | field16) >>> 0;
}

/** addi RT, RA, SI (opcode 14); RA = 0 means the value 0, so `li RT, SI` is addi RT, 0, SI. */
export function addi(rt: Gpr, ra: Gpr, value: number): number {
  return dForm(14, rt, ra, si16(value, 'addi'));
}

/** addis RT, RA, SI (opcode 15): adds SI << 16; `lis RT, SI` is addis RT, 0, SI. */
export function addis(rt: Gpr, ra: Gpr, value: number): number {
  return dForm(15, rt, ra, si16(value, 'addis'));
}

/** li RT, SI. */
export function li(rt: Gpr, value: number): number {
  return addi(rt, 0, value);
}

/** lis RT, SI. */
export function lis(rt: Gpr, value: number): number {
  return addis(rt, 0, value);
}

/** ori RA, RS, UI (opcode 24; the D-form's first register field is the source RS). */
export function ori(ra: Gpr, rs: Gpr, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`ori: ${value} is not an unsigned 16-bit immediate`);
  return dForm(24, rs, ra, value);
}

/** bc BO, BI, offset with LK=1, AA=0 (B-form, opcode 16); offset in bytes from this instruction. */
export function bcl(bo: number, bi: number, offset: number): number {
  if (!Number.isInteger(offset) || offset % 4 !== 0 || offset < -0x8000 || offset > 0x7ffc) throw new RangeError(`bcl: offset ${offset} is not a word offset within +-32 KiB`);
  return ((16 << 26) | ((bo & 0x1f) << 21) | ((bi & 0x1f) << 16) | (offset & 0xfffc) | 1) >>> 0;
}

/** mflr RT = mfspr RT, 8 (XFX-form, opcode 31, XO 339; the SPR number's halves are swapped in the field). */
export function mflr(rt: Gpr): number {
  const spr = 8;
  return ((31 << 26) | (gpr(rt) << 21) | ((spr & 0x1f) << 16) | ((spr >>> 5) << 11) | (339 << 1)) >>> 0;
}

/** sc (SC-form, opcode 17, LEV=0). */
export function sc(): number {
  return ((17 << 26) | 2) >>> 0;
}

/**
 * Split a signed 32-bit value for addis + addi: value = (high << 16) + low,
 * low sign-extended (the assembler's @ha and @l).
 */
export function splitHaLo(value: number): { high: number; low: number } {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`${value} is not a signed 32-bit value`);
  const low = ((value & 0xffff) ^ 0x8000) - 0x8000;
  const high = (((value - low) / 0x10000) << 16) >> 16;
  return { high, low };
}

/** Where the link register points after the bcl: the mflr, in bytes from the start of the code. */
const LINK_OFFSET = 12;

/** Bytes helloCode returns, whatever its arguments. */
export const HELLO_CODE_SIZE = 48;

/**
 * Machine code for write(1, message, length); exit(0), with the message at
 * messageOffsetFromCodeStart from the first instruction (normally
 * HELLO_CODE_SIZE: the caller appends the message to the code). The code is
 * position independent; codeAddress is only checked for 4-byte alignment.
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  if (codeAddress % 4n !== 0n) throw new RangeError('Power code must be 4-byte aligned');
  const relative = messageOffsetFromCodeStart - LINK_OFFSET;
  // addis + addi add two sign-extended parts in 64 bits: no wrap-round to the top 32 KiB.
  if (relative > 0x7fff7fff || relative < -0x80000000) throw new RangeError(`message is ${relative} bytes from the link address; beyond +-2 GiB`);
  const address = splitHaLo(relative);
  const words = [
    li(0, SYS_WRITE),
    li(3, 1),
    bcl(20, 31, 4),
    mflr(4),
    addis(4, 4, address.high),
    addi(4, 4, address.low),
    lis(5, length >>> 16),
    ori(5, 5, length & 0xffff),
    sc(),
    li(0, SYS_EXIT),
    li(3, 0),
    sc(),
  ];
  const code = littleEndianWords(words);
  if (code.length !== HELLO_CODE_SIZE) throw new Error('ppc64le hello code size mismatch');
  return code;
}
