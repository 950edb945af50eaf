import type { Rule } from '../rule.js';
import { isExecutableType } from '../facts.js';
import { firstInterpreter } from '../../model/segments.js';

export const interpNul: Rule = {
  id: 'interp-nul',
  category: 'loader',
  severity: 'error',
  summary: 'The PT_INTERP path must end with a NUL byte',
  explanation: `The interpreter path is a C string and its last byte (at p_offset + p_filesz - 1) must be
NUL. Linux checks exactly that byte and fails execve with ENOEXEC otherwise; a p_filesz
one byte short of the terminator is the usual cause.

Fix: include the terminating NUL in p_filesz.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const interp = firstInterpreter(elf);
    const path = interp?.interpreter;
    if (!interp || !path || path.length < 2) return;
    const last = path[path.length - 1];
    if (last !== 0) {
      yield {
        field: `phdr[${interp.index}].contents`,
        message: `PT_INTERP path "${Buffer.from(path).toString('latin1')}" does not end with NUL; execve fails with ENOEXEC. Include the terminator in p_filesz`,
        actual: `0x${last!.toString(16).padStart(2, '0')}`,
        expected: '0x00',
        range: { offset: Number(interp.p_offset) + path.length - 1, length: 1 },
      };
    }
  },
};
