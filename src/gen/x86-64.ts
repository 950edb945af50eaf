// Just enough of an x86-64 encoder for the templates: immediate moves,
// RIP-relative lea and syscall. Encodings follow the Intel SDM, vol. 2.

export const enum Reg { rax = 0, rcx = 1, rdx = 2, rbx = 3, rsp = 4, rbp = 5, rsi = 6, rdi = 7 }

function le(value: bigint, size: number): number[] {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i += 1) {
    bytes.push(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return bytes;
}

/** mov r32, imm32 (B8+r id); zero-extends into the 64-bit register. */
export function movImm32(reg: Reg, value: number): number[] {
  return [0xb8 + reg, ...le(BigInt(value), 4)];
}

/** mov r64, imm64 (REX.W B8+r io). */
export function movImm64(reg: Reg, value: bigint): number[] {
  return [0x48, 0xb8 + reg, ...le(value, 8)];
}

/** lea r64, [rip + disp32] (REX.W 8D /r, mod=00 rm=101); disp is from the end of this 7-byte instruction. */
export function leaRipRelative(reg: Reg, displacement: number): number[] {
  return [0x48, 0x8d, 0x05 | (reg << 3), ...le(BigInt(displacement), 4)];
}

export const LEA_RIP_LENGTH = 7;

export function syscall(): number[] {
  return [0x0f, 0x05];
}

export const SYS_WRITE = 1;
export const SYS_EXIT = 60;
