// The generator's templates against an independent assembler, and against
// the real kernel.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { DOCKER_HELLO_MESSAGE, exitSpec, helloSpec } from '../src/gen/templates.js';
import { specFromJson } from '../src/gen/json.js';
import { lintBytes } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-gen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function available(command: string): boolean {
  return spawnSync(command, ['-v'], { stdio: 'ignore' }).status === 0;
}

const MESSAGES = [DOCKER_HELLO_MESSAGE, 'hi\n', '', 'x', 'ünïcødé ✓\n', 'a'.repeat(5000), '\0\x01\x02 binary \xff'];

describe.skipIf(!available('nasm'))('hello matches an independent nasm assembly', () => {
  it.each(MESSAGES.map((message, i) => [i, message] as const))('message %i', (i, message) => {
    const messageFile = join(scratch, `message-${i}`);
    const output = join(scratch, `nasm-${i}`);
    const bytes = Buffer.from(message, 'utf8');
    writeFileSync(messageFile, bytes);
    const source = new URL('fixtures/tiny-hello.asm', import.meta.url).pathname;
    execFileSync('nasm', ['-f', 'bin', `-DMESSAGE_FILE="${messageFile}"`, '-o', output, source]);
    expect(Buffer.from(buildElf(helloSpec(bytes))).equals(readFileSync(output))).toBe(true);
  });
});

const canExecute = process.platform === 'linux' && process.arch === 'x64';
if (!canExecute) console.warn('gen.test: not Linux x86-64, generated programs are not executed');

describe.skipIf(!canExecute)('generated programs run', () => {
  function execute(bytes: Uint8Array, name: string) {
    const path = join(scratch, name);
    writeFileSync(path, bytes, { mode: 0o755 });
    return spawnSync(path, [], { cwd: scratch, timeout: 5000, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  it.each(['hello from elf-lint\n', DOCKER_HELLO_MESSAGE])('hello prints its message (%#)', (message) => {
    const result = execute(buildElf(helloSpec(Buffer.from(message))), 'hello');
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toBe(message);
  });

  it('the PIE variant prints its message and is ET_DYN', () => {
    const bytes = buildElf(helloSpec(Buffer.from('position independent\n'), { pie: true }));
    expect(bytes[16]).toBe(3);
    const result = execute(bytes, 'hello-pie');
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toBe('position independent\n');
  });

  it.each([0, 1, 42, 255])('exit --status %i exits with it', (status) => {
    expect(execute(buildElf(exitSpec(status)), `exit-${status}`).status).toBe(status);
  });

  it('every template lints clean', () => {
    for (const spec of [helloSpec(Buffer.from('x')), helloSpec(Buffer.from('x'), { pie: true }), exitSpec(3)]) {
      expect(lintBytes(buildElf(spec))).toEqual([]);
    }
  });
});

describe('spec errors say what a field accepts', () => {
  const errorsOf = (document: unknown) => {
    const parsed = specFromJson(document);
    return parsed.ok ? [] : parsed.errors;
  };
  it('names, flags, integers, bytes and hex', () => {
    expect(errorsOf({ segments: [{ p_flags: 'RWZ' }] })).toEqual(['segments[0].p_flags: expected a non-negative integer or flags such as "R-X" (R or -, W or -, X or -)']);
    expect(errorsOf({ segments: [{ p_type: 'PT_FOO' }] })[0]).toMatch(/^segments\[0\]\.p_type: expected a non-negative integer or a name such as PT_NULL, /);
    expect(errorsOf({ header: { e_machine: 'EM_VAX2' } })[0]).toMatch(/^header\.e_machine: expected a non-negative integer or a name such as EM_NONE, /);
    expect(errorsOf({ header: { e_phnum: 1.5 } })).toEqual(['header.e_phnum: expected a non-negative integer: a number, or a decimal or "0x..." string']);
    expect(errorsOf({ segments: [{ data: { bin: 'x' } }] })).toEqual(['segments[0].data: expected {"hex": "..."} or {"text": "..."}']);
    expect(errorsOf({ raw: [{ offset: 0, hex: 'zz' }] })).toEqual(['raw[0].hex: expected hex digits only (0-9, a-f)']);
    expect(errorsOf({ raw: [{ offset: 0, hex: 'abc' }] })).toEqual(['raw[0].hex: expected an even number of hex digits']);
    expect(errorsOf({ segments: [{ p_flags: 'R-X', p_type: 'PT_LOAD' }], header: { e_machine: 'EM_AARCH64', e_phnum: '0x1' } })).toEqual([]);
  });
});

describe('the README', () => {
  it.skipIf(!canExecute)('its example spec builds a program that exits with status 7', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /exits with status 7:\s*```json\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const parsed = specFromJson(JSON.parse(example![1]!));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const path = join(scratch, 'readme-example');
    writeFileSync(path, buildElf(parsed.spec), { mode: 0o755 });
    expect(spawnSync(path, [], { timeout: 5000, stdio: 'ignore' }).status).toBe(7);
  });
});

describe('classes and byte orders', () => {
  it('writes every field at its width and in its byte order', () => {
    const spec = { ident: { class: 1, data: 2 }, header: { e_entry: 0x11223344n, e_machine: 8 }, segments: [{ p_vaddr: 0x400000n, p_flags: 5 }] };
    const bytes = Buffer.from(buildElf(spec));
    expect(bytes.length).toBe(52 + 32);
    expect(bytes.readUInt32BE(24)).toBe(0x11223344);
    expect(bytes.readUInt16BE(18)).toBe(8);
    // Elf32_Phdr: p_vaddr at 8, p_flags at 24 (after p_memsz).
    expect(bytes.readUInt32BE(52 + 8)).toBe(0x400000);
    expect(bytes.readUInt32BE(52 + 24)).toBe(5);
  });

  it('refuses a value that does not fit its field, naming it', () => {
    expect(() => buildElf({ ident: { class: 1 }, segments: [{ p_vaddr: 1n << 32n }] })).toThrow(/segments\[0\]\.p_vaddr: 0x100000000 does not fit the 4-byte field of an ELF32 file/);
  });
});
