// Ready-made specs for tiny Linux programs in the layout of Docker's
// hello-world image: one R+X PT_LOAD that maps the whole file from offset 0,
// code right after the headers, data right after the code, no sections.
// x86-64 has its own encoder here (the Docker image byte for byte); the other
// architectures' code comes from their encoders in arch/.
import { ET_DYN, PF_R, PF_X } from '../model/constants.js';
import { ELF64_LAYOUT, layoutOf } from '../model/layout.js';
import type { ElfSpec } from './spec.js';
import { SpecError } from './build.js';
import { LEA_RIP_LENGTH, Reg, leaRipRelative, movImm32, movImm64, syscall, SYS_EXIT, SYS_WRITE } from './x86-64.js';
import type { HelloEncoder } from './arch/common.js';
import * as i386 from './arch/i386.js';
import * as aarch64 from './arch/aarch64.js';
import * as arm from './arch/arm.js';
import * as riscv64 from './arch/riscv64.js';
import * as s390x from './arch/s390x.js';
import * as ppc64le from './arch/ppc64le.js';

export const TINY_BASE = 0x400000n;
/** The 2 MiB alignment the hello-world image declares (ignored by Linux for ET_EXEC). */
export const TINY_ALIGN = 0x200000n;
const CODE_OFFSET = ELF64_LAYOUT.ehdrSize + ELF64_LAYOUT.phdrSize;

export const DOCKER_HELLO_MESSAGE = [
  'Hello from Docker.',
  'This message shows that your installation appears to be working correctly.',
  '',
  'To generate this message, Docker took the following steps:',
  ' 1. The Docker client contacted the Docker daemon.',
  ' 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.',
  '    (Assuming it was not already locally available.)',
  ' 3. The Docker daemon created a new container from that image which runs the',
  '    executable that produces the output you are currently reading.',
  ' 4. The Docker daemon streamed that output to the Docker client, which sent it',
  '    to your terminal.',
  '',
  'To try something more ambitious, you can run an Ubuntu container with:',
  ' $ docker run -it ubuntu bash',
  '',
  'For more examples and ideas, visit:',
  ' http://docs.docker.com/userguide/',
  '',
].join('\n');

function exitCode(status: number): number[] {
  return [...movImm32(Reg.rax, SYS_EXIT), ...movImm32(Reg.rdi, status), ...syscall()];
}

/** write(1, message, length) with an absolute address, as a fixed-address executable can. */
function writeAbsolute(messageAddress: bigint, length: number): number[] {
  return [
    ...movImm32(Reg.rax, SYS_WRITE), ...movImm32(Reg.rdi, 1),
    ...movImm64(Reg.rsi, messageAddress), ...movImm32(Reg.rdx, length), ...syscall(),
  ];
}

/** The same write, position-independent: the message is found relative to RIP. */
function writeRelative(bytesAfterLea: number, length: number): number[] {
  return [
    ...movImm32(Reg.rax, SYS_WRITE), ...movImm32(Reg.rdi, 1),
    ...leaRipRelative(Reg.rsi, bytesAfterLea), ...movImm32(Reg.rdx, length), ...syscall(),
  ];
}

function tinyProgram(payload: Uint8Array, options: { pie?: boolean } = {}): ElfSpec {
  return {
    header: options.pie ? { e_type: ET_DYN } : {},
    segments: [{
      p_flags: PF_R | PF_X,
      p_vaddr: options.pie ? 0n : TINY_BASE,
      p_align: TINY_ALIGN,
      withHeaders: true,
      data: payload,
    }],
  };
}

function concat(code: number[], data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(code.length + data.length);
  bytes.set(code);
  bytes.set(data, code.length);
  return bytes;
}

const MAX_MESSAGE = 0x7fffffff;

export function helloSpec(message: Uint8Array, options: { pie?: boolean } = {}): ElfSpec {
  if (message.length > MAX_MESSAGE) throw new SpecError(`message is ${message.length} bytes; at most ${MAX_MESSAGE} fit one write`);
  const tail = exitCode(0);
  let code: number[];
  if (options.pie) {
    // The lea is followed by mov edx (5 bytes), syscall (2) and the exit sequence.
    const afterLea = 5 + 2 + tail.length;
    code = [...writeRelative(afterLea, message.length), ...tail];
    if (code.length !== 5 + 5 + LEA_RIP_LENGTH + afterLea) throw new Error('hello-pie code size mismatch');
  } else {
    const absoluteLength = writeAbsolute(0n, 0).length + tail.length;
    const messageAddress = TINY_BASE + BigInt(CODE_OFFSET + absoluteLength);
    code = [...writeAbsolute(messageAddress, message.length), ...tail];
  }
  return tinyProgram(concat(code, message), options);
}

export function exitSpec(status: number): ElfSpec {
  if (!Number.isInteger(status) || status < 0 || status > 255) throw new SpecError('exit status must be an integer from 0 to 255');
  return tinyProgram(Uint8Array.from(exitCode(status)));
}

/** Architectures with a hello template, by profile name. i386 code uses absolute addresses: no PIE. */
export const HELLO_ARCHES: ReadonlyMap<string, { readonly encoder: HelloEncoder; readonly pie: boolean }> = new Map([
  ['i386', { encoder: i386, pie: false }],
  ['aarch64', { encoder: aarch64, pie: true }],
  ['arm', { encoder: arm, pie: true }],
  ['riscv64', { encoder: riscv64, pie: true }],
  ['s390x', { encoder: s390x, pie: true }],
  ['ppc64le', { encoder: ppc64le, pie: true }],
]);

/** 64 KiB: a multiple of every page size these architectures use (ppc64el runs 64 KiB pages). */
const PORTABLE_ALIGN = 0x10000n;

/** The hello program for an architecture other than x86-64 (`helloSpec` is x86-64's). */
export function helloSpecFor(arch: string, message: Uint8Array, options: { pie?: boolean } = {}): ElfSpec {
  if (arch === 'x86_64') return helloSpec(message, options);
  const entry = HELLO_ARCHES.get(arch);
  if (!entry) throw new SpecError(`no hello template for ${arch}; templates exist for x86_64, ${[...HELLO_ARCHES.keys()].join(', ')}`);
  if (options.pie && !entry.pie) throw new SpecError(`the ${arch} hello template has no position-independent variant`);
  if (message.length > MAX_MESSAGE) throw new SpecError(`message is ${message.length} bytes; at most ${MAX_MESSAGE} fit one write`);
  const { encoder } = entry;
  const layout = layoutOf(encoder.ELF_CLASS === 1 ? 'ELF32' : 'ELF64');
  const base = options.pie ? 0n : TINY_BASE;
  const codeAddress = base + BigInt(layout.ehdrSize + layout.phdrSize);
  const code = encoder.helloCode(message.length, encoder.HELLO_CODE_SIZE, codeAddress);
  return {
    ident: { class: encoder.ELF_CLASS, data: encoder.ELF_DATA },
    header: { e_machine: encoder.E_MACHINE, e_flags: encoder.E_FLAGS, ...(options.pie ? { e_type: ET_DYN } : {}) },
    segments: [{ p_flags: PF_R | PF_X, p_vaddr: base, p_align: PORTABLE_ALIGN, withHeaders: true, data: concat([...code], message) }],
  };
}
