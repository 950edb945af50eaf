// Failed system calls are reported in words, without Node's errno name, call and path.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { systemMessage } from '../src/cli/system-error.js';

function failure(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

describe('systemMessage', () => {
  it('says what went wrong, not ENOENT or EISDIR', () => {
    expect(systemMessage(failure(() => readFileSync('/no/such/file')))).toBe('no such file or directory');
    expect(systemMessage(failure(() => readFileSync('/no/such\nfile')))).toBe('no such file or directory');
    expect(systemMessage(failure(() => readFileSync(tmpdir())))).toBe('is a directory');
  });

  it("keeps libuv's words for the other codes, without the code, the call and the path", () => {
    const io = Object.assign(new Error("EIO: i/o error, read '/proc/self/mem'"), { code: 'EIO' });
    expect(systemMessage(io)).toBe('i/o error');
    const bare = Object.assign(new Error('EPERM: operation not permitted, open'), { code: 'EPERM' });
    expect(systemMessage(bare)).toBe('operation not permitted');
  });

  it('passes other errors on as they are', () => {
    expect(systemMessage(new Error('plain'))).toBe('plain');
    expect(systemMessage('text')).toBe('text');
  });
});
