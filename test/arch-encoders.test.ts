// The per-architecture hello encoders against the GNU cross assemblers: the
// same program written as assembly source, assembled, linked at the code
// address (so that the linker, not our arithmetic, resolves every address)
// and its .text extracted, must equal code + padding + message byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as aarch64 from '../src/gen/arch/aarch64.js';
import * as arm from '../src/gen/arch/arm.js';
import * as i386 from '../src/gen/arch/i386.js';
import * as ppc64le from '../src/gen/arch/ppc64le.js';
import * as riscv64 from '../src/gen/arch/riscv64.js';
import * as s390x from '../src/gen/arch/s390x.js';
import { ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFDATA2MSB, EM_386, EM_AARCH64, EM_ARM, EM_PPC64, EM_RISCV, EM_S390 } from '../src/model/constants.js';
import type { HelloEncoder } from '../src/gen/arch/common.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-arch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const MESSAGE = Buffer.from('Hello from elf-lint!\n', 'utf8');
const messageFile = join(scratch, 'message');
writeFileSync(messageFile, MESSAGE);


interface Target {
  readonly name: string;
  readonly triplet: string;
  /** The Debian package with the triplet's as, ld and objcopy. */
  readonly debianPackage: string;
  readonly encoder: HelloEncoder;
  readonly expected: { elfClass: number; elfData: number; machine: number };
  readonly asArgs: readonly string[];
  readonly codeAddress: bigint;
  /** Message offsets to try besides HELLO_CODE_SIZE (a far message). */
  readonly farOffset: number;
  /** The program, with LEN the length passed to write and the message at OFFSET from _start. */
  readonly body: string;
}

/** Lengths for write: small, both 16-bit halves in use, and the largest. */
const LENGTHS = [0, 1, MESSAGE.length, 0xffff, 0x10000, 0x12345, 0x7ffff800, 0x7fffffff];

const TARGETS: readonly Target[] = [
  {
    name: 'i386',
    triplet: 'i686-linux-gnu',
    debianPackage: 'binutils-i686-linux-gnu',
    encoder: i386,
    expected: { elfClass: ELFCLASS32, elfData: ELFDATA2LSB, machine: EM_386 },
    asArgs: ['--32'],
    codeAddress: 0x08048054n,
    farOffset: 0x12345,
    body: `
  mov $4, %eax
  mov $1, %ebx
  mov $msg, %ecx
  mov $LEN, %edx
  int $0x80
  mov $1, %eax
  mov $0, %ebx
  int $0x80
`,
  },
  {
    name: 'aarch64',
    triplet: 'aarch64-linux-gnu',
    debianPackage: 'binutils-aarch64-linux-gnu',
    encoder: aarch64,
    expected: { elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: EM_AARCH64 },
    asArgs: [],
    codeAddress: 0x400078n,
    farOffset: 0xfff04,
    body: `
  movz x0, #1
  adr x1, msg
  movz x2, #(LEN & 0xffff)
  movk x2, #(LEN >> 16), lsl #16
  movz x8, #64
  svc #0
  movz x0, #0
  movz x8, #93
  svc #0
`,
  },
  {
    name: 'riscv64',
    triplet: 'riscv64-linux-gnu',
    debianPackage: 'binutils-riscv64-linux-gnu',
    encoder: riscv64,
    expected: { elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: EM_RISCV },
    asArgs: ['-march=rv64i'],
    codeAddress: 0x10078n,
    farOffset: 0x12804,
    body: `
  .option norvc
  .option norelax
  addi a0, zero, 1
1:
  auipc a1, %pcrel_hi(msg)
  addi a1, a1, %pcrel_lo(1b)
  lui a2, %hi(LEN)
  addiw a2, a2, %lo(LEN)
  addi a7, zero, 64
  ecall
  addi a0, zero, 0
  addi a7, zero, 93
  ecall
`,
  },
  {
    name: 's390x',
    triplet: 's390x-linux-gnu',
    debianPackage: 'binutils-s390x-linux-gnu',
    encoder: s390x,
    expected: { elfClass: ELFCLASS64, elfData: ELFDATA2MSB, machine: EM_S390 },
    asArgs: ['-m64', '-march=z9-109'],
    codeAddress: 0x1000078n,
    farOffset: 0x123456,
    body: `
  lghi %r2, 1
  larl %r3, msg
  lgfi %r4, LEN
  svc 4
  lghi %r2, 0
  svc 1
`,
  },
  {
    name: 'arm',
    triplet: 'arm-linux-gnueabi',
    debianPackage: 'binutils-arm-linux-gnueabi',
    encoder: arm,
    expected: { elfClass: ELFCLASS32, elfData: ELFDATA2LSB, machine: EM_ARM },
    asArgs: ['-march=armv7-a'],
    codeAddress: 0x10054n,
    // ADR reaches modified immediates only: 0x3fc00 from the PC (offset - 4 - 8).
    farOffset: 0x3fc0c,
    body: `
  .syntax unified
  .arm
  mov r0, #1
  adr r1, msg
  movw r2, #(LEN & 0xffff)
  movt r2, #(LEN >> 16)
  mov r7, #4
  svc #0
  mov r0, #0
  mov r7, #1
  svc #0
`,
  },
  {
    name: 'ppc64le',
    triplet: 'powerpc64le-linux-gnu',
    debianPackage: 'binutils-powerpc64le-linux-gnu',
    encoder: ppc64le,
    expected: { elfClass: ELFCLASS64, elfData: ELFDATA2LSB, machine: EM_PPC64 },
    asArgs: ['-a64', '-mlittle'],
    codeAddress: 0x10000078n,
    farOffset: 0x1800c,
    body: `
  li 0, 4
  li 3, 1
  bcl 20, 31, 1f
1:
  mflr 4
  addis 4, 4, (msg - 1b)@ha
  addi 4, 4, (msg - 1b)@l
  lis 5, LEN@h
  ori 5, 5, LEN@l
  sc
  li 0, 1
  li 3, 0
  sc
`,
  },
];

function available(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(result.status ?? result.signal)}:\n${result.stderr}`);
}

/** .text of the program assembled and linked by binutils. */
function assembled(target: Target, length: number, messageOffset: number): Buffer {
  const stem = join(scratch, `${target.name}-${length}-${messageOffset}`);
  const source = [
    '  .text',
    '  .globl _start',
    `  .set LEN, ${length}`,
    '_start:',
    target.body,
    `  .org ${messageOffset}`,
    'msg:',
    `  .incbin "${messageFile}"`,
    '',
  ].join('\n');
  writeFileSync(`${stem}.s`, source);
  // --no-pad-sections: .text ends with the message, not rounded up to the section alignment.
  run(`${target.triplet}-as`, [...target.asArgs, '--no-pad-sections', '-o', `${stem}.o`, `${stem}.s`]);
  run(`${target.triplet}-ld`, ['-Ttext', `0x${target.codeAddress.toString(16)}`, '-e', '_start', '-z', 'noexecstack', '-o', `${stem}.elf`, `${stem}.o`]);
  run(`${target.triplet}-objcopy`, ['-O', 'binary', '-j', '.text', `${stem}.elf`, `${stem}.bin`]);
  return readFileSync(`${stem}.bin`);
}

/** Hex, one group per 2 bytes, so that a mismatch shows which instruction differs. */
function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(.{4})(?!$)/g, '$1 ');
}

for (const target of TARGETS) {
  const tools = ['as', 'ld', 'objcopy'].map((tool) => `${target.triplet}-${tool}`);
  const missing = tools.filter((tool) => !available(tool));
  const skipNote = missing.length > 0 ? ` (skipped: no ${missing[0]}; install ${target.debianPackage})` : '';

  describe(`${target.name} hello encoder`, () => {
    const { encoder } = target;

    it('describes the file it belongs in', () => {
      expect({ elfClass: encoder.ELF_CLASS, elfData: encoder.ELF_DATA, machine: encoder.E_MACHINE }).toEqual(target.expected);
      expect(encoder.helloCode(MESSAGE.length, encoder.HELLO_CODE_SIZE, target.codeAddress)).toHaveLength(encoder.HELLO_CODE_SIZE);
    });

    it('refuses a message that overlaps the code and lengths one write cannot take', () => {
      expect(() => encoder.helloCode(1, encoder.HELLO_CODE_SIZE - 2, target.codeAddress)).toThrow(RangeError);
      expect(() => encoder.helloCode(-1, encoder.HELLO_CODE_SIZE, target.codeAddress)).toThrow(RangeError);
      expect(() => encoder.helloCode(0x80000000, encoder.HELLO_CODE_SIZE, target.codeAddress)).toThrow(RangeError);
      expect(() => encoder.helloCode(1.5, encoder.HELLO_CODE_SIZE, target.codeAddress)).toThrow(RangeError);
    });

    describe.skipIf(missing.length > 0)(`matches ${target.triplet}-as${skipNote}`, () => {
      const cases = [
        ...LENGTHS.map((length) => [length, encoder.HELLO_CODE_SIZE] as const),
        [MESSAGE.length, target.farOffset] as const,
      ];
      it.each(cases)('length %i, message at offset %i', (length, messageOffset) => {
        const theirs = assembled(target, length, messageOffset);
        const code = encoder.helloCode(length, messageOffset, target.codeAddress);
        expect(hex(code)).toBe(hex(theirs.subarray(0, code.length)));
        // The rest is what the caller appends: padding up to the message, then the message.
        const rest = Buffer.concat([Buffer.alloc(messageOffset - code.length), MESSAGE]);
        expect(theirs.subarray(code.length, code.length + rest.length).equals(rest)).toBe(true);
        // arm-linux-gnueabi-as rounds .text up to 4 bytes even with --no-pad-sections.
        const tail = theirs.subarray(code.length + rest.length);
        expect(tail.length).toBeLessThan(4);
        expect(tail.every((byte) => byte === 0)).toBe(true);
      });
    });
  });
}

describe('architecture limits', () => {
  it('s390x LARL reaches even offsets only', () => {
    expect(() => s390x.helloCode(1, s390x.HELLO_CODE_SIZE + 1, 0x1000000n)).toThrow(/even/);
  });

  it('i386 addresses must fit 32 bits', () => {
    expect(() => i386.helloCode(1, i386.HELLO_CODE_SIZE, 0xfffffff0n)).toThrow(RangeError);
  });

  it('aarch64 ADR reaches 1 MiB', () => {
    expect(() => aarch64.helloCode(1, 0x100004, 0x400000n)).toThrow(/1 MiB/);
    expect(aarch64.helloCode(1, 0x100003, 0x400000n)).toHaveLength(aarch64.HELLO_CODE_SIZE);
  });

  it('arm ADR needs a modified immediate', () => {
    expect(() => arm.helloCode(1, 0x101 + 12, 0x10000n)).toThrow(/modified immediate/);
  });

  it('misaligned code is refused', () => {
    expect(() => riscv64.helloCode(1, riscv64.HELLO_CODE_SIZE, 0x10002n)).toThrow(/aligned/);
    expect(() => aarch64.helloCode(1, aarch64.HELLO_CODE_SIZE, 0x400002n)).toThrow(/aligned/);
    expect(() => ppc64le.helloCode(1, ppc64le.HELLO_CODE_SIZE, 0x10000002n)).toThrow(/aligned/);
    expect(() => s390x.helloCode(2, s390x.HELLO_CODE_SIZE, 0x1000001n)).toThrow(/aligned/);
  });
});
