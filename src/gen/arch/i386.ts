// A few IA-32 instructions, enough for a Linux "hello" program: write(1,
// message, length) then exit(0) through the legacy `int 0x80` gate.
//
// Encodings: Intel 64 and IA-32 Architectures Software Developer's Manual,
// vol. 2: MOV (B8+rd id, "Move imm32 to r32"), INT n (CD ib).
// System call ABI: the number in eax, arguments in ebx, ecx, edx; numbers from
// the kernel's arch/x86/entry/syscalls/syscall_32.tbl (1 exit, 4 write).
//
// i386 has no PC-relative data addressing, so the message is reached through
// its absolute address: the code is tied to the address it is loaded at.
import { ELFCLASS32, ELFDATA2LSB, EM_386 } from '../../model/constants.js';
import { checkHelloArguments } from './common.js';

/** e_ident[EI_CLASS], e_ident[EI_DATA], e_machine and e_flags of a file holding this code. */
export const ELF_CLASS = ELFCLASS32;
export const ELF_DATA = ELFDATA2LSB;
export const E_MACHINE = EM_386;
export const E_FLAGS = 0;

export const SYS_EXIT = 1;
export const SYS_WRITE = 4;

/** The register numbers of the +rd field. */
export const enum Reg32 { eax = 0, ecx = 1, edx = 2, ebx = 3 }

function u32le(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** mov r32, imm32: opcode B8 plus the register number, then the immediate. */
export function movImm32(reg: Reg32, value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff) throw new RangeError(`mov imm32: ${value} does not fit 32 bits`);
  return [0xb8 + reg, ...u32le(value >>> 0)];
}

/** int imm8 (CD ib). */
export function intImm8(vector: number): number[] {
  if (!Number.isInteger(vector) || vector < 0 || vector > 0xff) throw new RangeError(`int: vector ${vector} is not a byte`);
  return [0xcd, vector];
}

/** The instruction sequence; its size does not depend on the arguments. */
function helloInstructions(length: number, messageAddress: number): number[] {
  return [
    ...movImm32(Reg32.eax, SYS_WRITE),
    ...movImm32(Reg32.ebx, 1),
    ...movImm32(Reg32.ecx, messageAddress),
    ...movImm32(Reg32.edx, length),
    ...intImm8(0x80),
    ...movImm32(Reg32.eax, SYS_EXIT),
    ...movImm32(Reg32.ebx, 0),
    ...intImm8(0x80),
  ];
}

/** Bytes helloCode returns, whatever its arguments. */
export const HELLO_CODE_SIZE = 34;

/**
 * Machine code for write(1, message, length); exit(0), to be loaded at
 * codeAddress with the message at codeAddress + messageOffsetFromCodeStart
 * (normally HELLO_CODE_SIZE: the caller appends the message to the code).
 */
export function helloCode(length: number, messageOffsetFromCodeStart: number, codeAddress: bigint): Uint8Array {
  checkHelloArguments(length, messageOffsetFromCodeStart, HELLO_CODE_SIZE);
  const messageAddress = codeAddress + BigInt(messageOffsetFromCodeStart);
  if (codeAddress < 0n || messageAddress < 0n || messageAddress > 0xffffffffn || codeAddress + BigInt(HELLO_CODE_SIZE) > 0x100000000n) {
    throw new RangeError('code and message must lie in the 32-bit address space');
  }
  const code = helloInstructions(length, Number(messageAddress));
  if (code.length !== HELLO_CODE_SIZE) throw new Error('i386 hello code size mismatch');
  return Uint8Array.from(code);
}
