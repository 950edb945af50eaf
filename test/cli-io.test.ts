// End-to-end, the built CLI (dist/): how gen and spec read and write files
// (large files, standard input, an output that is an input) and how text
// output names files.
import { constants } from 'node:buffer';
import { spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { SHT_PROGBITS } from '../src/model/constants.js';
import { killTracked, spawnCli } from './support.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const corpus = (name: string) => new URL(`../corpus/${name}`, import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-cli-io-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(killTracked);

interface RunOptions {
  /** Bytes for a piped standard input. */
  readonly input?: Uint8Array | string;
  /** Descriptors for stdin and stdout instead of pipes. */
  readonly stdin?: number;
  readonly stdout?: number;
}

/** Runs the CLI to its end (spawnSync waits for it). */
function run(args: string[], options: RunOptions = {}) {
  const stdio: StdioOptions = [options.stdin ?? 'pipe', options.stdout ?? 'pipe', 'pipe'];
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', stdio, maxBuffer: 64 * 1024 * 1024, ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs the CLI with stdout to or stdin from an open file, closing it whatever happens. */
function runWithFile(args: string[], path: string, flags: string, stream: 'stdin' | 'stdout') {
  const fd = openSync(path, flags);
  try {
    return run(args, { [stream]: fd });
  } finally {
    closeSync(fd);
  }
}

/** A usage or input error: the documented code and exactly one `elf-lint:` line, no stack trace. */
function expectOneLineError(result: ReturnType<typeof run>, code: number, pattern?: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(/^elf-lint: [^\n]+\n$/);
  if (pattern) expect(result.stderr).toMatch(pattern);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('spec and gen on a large file', () => {
  // 32 MiB in 256 sections whose contents have a 12-byte zero gap every 16 bytes
  // (two million chunks when differences 8 bytes apart were merged), each
  // section ending in 8 KiB of zeros.
  const SECTIONS = 256;
  const SECTION_BYTES = 128 * 1024;
  const content = (seed: number) => {
    const data = new Uint8Array(SECTION_BYTES);
    for (let i = 0; i < SECTION_BYTES - 8192; i += 16) data.set([1 + (seed & 0x7f), i & 0xff, (i >> 8) & 0xff, 0xcc], i);
    return data;
  };
  const spec: ElfSpec = {
    sections: [
      {},
      ...Array.from({ length: SECTIONS }, (_, i) => ({ name: `.s${i}`, sh_type: SHT_PROGBITS, sh_addralign: 16n, data: content(i) })),
      { name: '.shstrtab' },
    ],
  };
  const big = join(scratch, 'big');
  let bytes: Uint8Array = new Uint8Array();
  beforeAll(() => {
    bytes = buildElf(spec);
    writeFileSync(big, bytes);
  });

  it('spec writes few chunks that never cover the header or the tables, and both ways back are exact', () => {
    const json = join(scratch, 'big.json');
    const result = runWithFile(['spec', big], json, 'w', 'stdout');
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(readFileSync(json, 'utf8')) as { raw: { offset: number; hex: string }[]; header: { e_shoff: string; e_ehsize: number } };
    // One chunk per section: the 8 KiB of zeros at each end split them, nothing else does.
    expect(document.raw.length).toBeGreaterThanOrEqual(SECTIONS);
    expect(document.raw.length).toBeLessThanOrEqual(SECTIONS + 2);
    const tables = [[0, document.header.e_ehsize], [Number(document.header.e_shoff), bytes.length]] as const;
    for (const chunk of document.raw) {
      const end = chunk.offset + chunk.hex.length / 2;
      for (const [start, stop] of tables) expect(end <= start || chunk.offset >= stop, `chunk [${chunk.offset}, ${end}) meets [${start}, ${stop})`).toBe(true);
    }
    const fromSpec = join(scratch, 'big-from-spec');
    expect(run(['gen', '--spec', json, '-o', fromSpec])).toMatchObject({ code: 0, stderr: '' });
    expect(same(readFileSync(fromSpec), bytes)).toBe(true);
  });

  it('gen stopped by SIGINT as it writes leaves its output whole or absent, and no temporary file', async () => {
    // The signal goes when the temporary file appears (an inotify event, not a delay), so mostly during the write.
    const directory = join(scratch, 'interrupted');
    mkdirSync(directory);
    const output = join(directory, 'out');
    let gen: ReturnType<typeof spawnCli> | undefined;
    const watcher = watch(directory, (_event, name) => {
      if (name?.endsWith('.tmp')) gen?.signalGroup('SIGINT');
    });
    try {
      gen = spawnCli(['gen', '--from', big, '-o', output]);
      const exit = await gen.closed;
      // 130 is the shell's view of death by SIGINT; a signal that came after the write changes nothing.
      expect(exit.signal === 'SIGINT' || exit.code === 0, `${exit.signal ?? exit.code}: ${gen.stderr}`).toBe(true);
    } finally {
      watcher.close();
    }
    expect(readdirSync(directory).filter((name) => name !== 'out')).toEqual([]);
    if (existsSync(output)) expect(same(readFileSync(output), bytes)).toBe(true);
  });

  it('gen --from rebuilds it byte for byte', () => {
    const fromFile = join(scratch, 'big-from-file');
    expect(run(['gen', '--from', big, '-o', fromFile])).toMatchObject({ code: 0, stderr: '' });
    expect(same(readFileSync(fromFile), bytes)).toBe(true);
  });
});

describe('a spec too long for one string', () => {
  it('is a one-line input error that points to gen --from', () => {
    const json = join(scratch, 'huge.json');
    writeFileSync(json, '{');
    truncateSync(json, constants.MAX_STRING_LENGTH + 1); // sparse
    expectOneLineError(run(['gen', '--spec', json, '-o', join(scratch, 'never')]), 2, /huge\.json: \d+ bytes of JSON is more than one string can hold .* gen --from$/m);
  });
});

describe('an output that is one of the inputs', () => {
  const specOf = (name: string) => {
    const path = join(scratch, name);
    writeFileSync(path, run(['spec', corpus('hello')]).stdout);
    return path;
  };

  it('gen --spec s.json -o s.json is refused, under any name, and the input is kept', () => {
    const spec = specOf('s.json');
    const before = readFileSync(spec);
    linkSync(spec, join(scratch, 'hard.json'));
    symlinkSync('s.json', join(scratch, 'soft.json'));
    const spellings = [spec, join(scratch, '.', 's.json'), join(scratch, 'hard.json'), join(scratch, 'soft.json')];
    for (const output of spellings) {
      expectOneLineError(run(['gen', '--spec', spec, '-o', output]), 3, /-o .* is the same file as the input --spec .*s\.json/);
    }
    expectOneLineError(run(['gen', '--spec', join(scratch, 'soft.json'), '-o', spec]), 3, /soft\.json/);
    expect(same(readFileSync(spec), before)).toBe(true);
  });

  it('gen --from f -o f is refused', () => {
    const file = join(scratch, 'from-self');
    copyFileSync(corpus('hello-wx'), file);
    expectOneLineError(run(['gen', '--from', file, '-o', file]), 3, new RegExp(`-o ${file} is the same file as the input --from ${file}`));
    expect(same(readFileSync(file), readFileSync(corpus('hello-wx')))).toBe(true);
  });

  it('lint -o, lint --write-baseline and merge --output refuse to replace a file they read, named or found in a directory', () => {
    const directory = join(scratch, 'checked');
    mkdirSync(directory);
    const binary = join(directory, 'hello');
    copyFileSync(corpus('hello-wx'), binary);
    symlinkSync('hello', join(directory, 'link'));
    expectOneLineError(run(['lint', '-o', binary, binary]), 3, new RegExp(`-o ${binary} is the same file as the input ${binary}; write to another file`));
    expectOneLineError(run(['lint', '--write-baseline', binary, directory]), 3, /--write-baseline .*checked\/hello is the same file as the input /);
    expectOneLineError(run(['lint', '-o', join(directory, 'link'), directory]), 3, /-o .*checked\/link is the same file as the input /);
    expect(same(readFileSync(binary), readFileSync(corpus('hello-wx')))).toBe(true);
    const shard = join(scratch, 'shard.json');
    writeFileSync(shard, run(['lint', '--format', 'json', binary]).stdout);
    const before = readFileSync(shard);
    expectOneLineError(run(['merge', '--output', shard, shard]), 3, /--output .*shard\.json is the same file as the input /);
    expect(same(readFileSync(shard), before)).toBe(true);
  });

  it('standard input or output counts as the file it is', () => {
    const spec = specOf('stdin.json');
    const before = readFileSync(spec);
    expectOneLineError(runWithFile(['gen', '--spec', '-', '-o', spec], spec, 'r', 'stdin'), 3, /--spec - \(standard input\)/);
    expectOneLineError(runWithFile(['gen', '--spec', spec, '-o', '-'], spec, 'a', 'stdout'), 3, /-o - \(standard output\)/);
    expect(same(readFileSync(spec), before)).toBe(true);
  });

  it('other outputs are still written', () => {
    const spec = specOf('other.json');
    const output = join(scratch, 'other');
    expect(run(['gen', '--spec', spec, '-o', output]).code).toBe(0);
    expect(same(readFileSync(output), readFileSync(corpus('hello')))).toBe(true);
  });
});

describe('not ELF', () => {
  it('spec and gen --from judge a file by its head: one too large to read is still not ELF', () => {
    const huge = join(scratch, 'huge-sparse');
    writeFileSync(huge, 'not an ELF file');
    truncateSync(huge, 3 * 1024 ** 3); // sparse: no disk space, but far over the 2 GiB a read allows
    expectOneLineError(run(['spec', huge]), 2, /huge-sparse: not an ELF file$/m);
    expectOneLineError(run(['gen', '--from', huge, '-o', join(scratch, 'never')]), 2, /huge-sparse: not an ELF file$/m);
  });

  it('a stream that does not start with the ELF magic is read no further (/dev/zero, a pipe of text)', () => {
    // Read to its end, /dev/zero would fill 2 GiB of memory and then be refused as too large.
    const zero = run(['lint', '--format', 'json', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(JSON.parse(zero.stdout).files[0].findings[0]).toMatchObject({ rule: 'not-elf', actual: '0x00000000' });
    for (const command of [['spec', '/dev/zero'], ['map', '/dev/zero'], ['checksec', '/dev/zero'], ['gen', '--from', '/dev/zero', '-o', join(scratch, 'never')]]) {
      const result = run(command);
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stdout + result.stderr, command.join(' ')).toMatch(/not an ELF file/);
    }
    const piped = run(['lint', '-'], { input: 'text, not a program\n'.repeat(10_000) });
    expect(piped.code).toBe(2);
    expect(piped.stdout).toMatch(/^<stdin>:0x0: error: not an ELF file: starts with 0x74657874/);
  });
});

describe('- reads standard input', () => {
  const hello = readFileSync(corpus('hello'));

  it('spec -', () => {
    const result = run(['spec', '-'], { input: hello });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(run(['spec', corpus('hello')]).stdout);
  });

  it('gen --spec - and gen --from -', () => {
    const fromSpec = join(scratch, 'stdin-spec');
    const fromFile = join(scratch, 'stdin-from');
    expect(run(['gen', '--spec', '-', '-o', fromSpec], { input: run(['spec', corpus('hello')]).stdout })).toMatchObject({ code: 0, stderr: '' });
    expect(run(['gen', '--from', '-', '-o', fromFile], { input: hello })).toMatchObject({ code: 0, stderr: '' });
    expect(same(readFileSync(fromSpec), hello)).toBe(true);
    expect(same(readFileSync(fromFile), hello)).toBe(true);
  });

  it('names standard input <stdin> in errors', () => {
    expectOneLineError(run(['spec', '-'], { input: 'plain text' }), 2, /^elf-lint: <stdin>: not an ELF file$/m);
    expectOneLineError(run(['gen', '--spec', '-', '-o', join(scratch, 'never')], { input: '{' }), 3, /^elf-lint: <stdin>: not valid JSON/);
  });
});

describe('one line per error', () => {
  it('an invalid spec lists every problem on one line', () => {
    const spec = join(scratch, 'two-errors.json');
    writeFileSync(spec, JSON.stringify({ header: { e_phnum: -1 }, segments: [{ p_vaddr: '0x1ffffffffffffffff' }] }));
    expectOneLineError(run(['gen', '--spec', spec, '-o', join(scratch, 'never')]), 3, /invalid spec: header\.e_phnum: .*; segments\[0\]\.p_vaddr: /);
  });
});

describe('file names with control characters', () => {
  // hello-wx has a warning, so each name is printed on a finding, a loader and a summary line.
  const names = {
    'new\nline': 'new\\nline',
    'esc\u001b[31mred': 'esc\\033[31mred',
    'back\\slash': 'back\\\\slash',
    'tab\tdel\u007f': 'tab\\tdel\\177',
    'c1\u009bcsi': 'c1\\302\\233csi',
    'plain name': 'plain name',
  };

  it('text output escapes them as GNU ls --quoting-style=escape does', () => {
    for (const [name, escaped] of Object.entries(names)) {
      const path = join(scratch, name);
      copyFileSync(corpus('hello-wx'), path);
      const result = run([path]);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n').slice(0, -1);
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line.startsWith(`${join(scratch, escaped)}:`), line).toBe(true);
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('JSON output keeps the exact name', () => {
    const path = join(scratch, 'new\nline');
    copyFileSync(corpus('hello-wx'), path);
    expect(JSON.parse(run(['-f', 'json', path]).stdout).files[0].path).toBe(path);
  });

  it('gen and spec errors stay on one line', () => {
    expectOneLineError(run(['spec', join(scratch, 'no\nsuch')]), 2, /no\\nsuch: cannot read/);
    expectOneLineError(run(['gen', '--from', join(scratch, 'no\u001bsuch'), '-o', join(scratch, 'never')]), 2, /no\\033such: cannot read/);
  });
});
