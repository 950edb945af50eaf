// The generated hello programs of every architecture run under qemu-user.
// qemu's loader is not the kernel's, so this shows that the encoders and the
// generator make working programs; the loader model's oracle is the host
// kernel (executor tests). Host facts relied on: Debian's qemu-user package
// provides qemu-<arch> binaries (.ci/run installs it); binfmt_misc is not
// needed because qemu is invoked directly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { HELLO_ARCHES, helloSpecFor } from '../src/gen/templates.js';

const QEMU: Readonly<Record<string, string>> = {
  i386: 'qemu-i386', aarch64: 'qemu-aarch64', arm: 'qemu-arm', riscv64: 'qemu-riscv64', s390x: 'qemu-s390x', ppc64le: 'qemu-ppc64le',
};

function available(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-qemu-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated hello programs under qemu-user', () => {
  const cases = [...HELLO_ARCHES].flatMap(([arch, { pie }]) => [[arch, false], ...(pie ? [[arch, true]] : [])] as [string, boolean][]);

  it('covers every template', () => {
    expect([...HELLO_ARCHES.keys()].filter((arch) => QEMU[arch] === undefined)).toEqual([]);
  });

  it.each(cases)('%s (pie: %s) prints its message and exits 0', (arch, pie) => {
    const qemu = QEMU[arch]!;
    if (!available(qemu)) {
      console.warn(`skipped: no ${qemu}; install Debian's qemu-user`);
      return;
    }
    const message = `hello from ${arch}${pie ? ' as a PIE' : ''}\n`;
    const path = join(scratch, `hello-${arch}${pie ? '-pie' : ''}`);
    writeFileSync(path, buildElf(helloSpecFor(arch, Buffer.from(message), { pie })), { mode: 0o755 });
    const result = spawnSync(qemu, [path], { encoding: 'utf8' });
    expect({ status: result.status, signal: result.signal, stdout: result.stdout }).toEqual({ status: 0, signal: null, stdout: message });
  });
});
