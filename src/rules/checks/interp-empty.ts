import type { Rule } from '../rule.js';
import { isExecutableType } from '../facts.js';
import { firstInterpreter } from '../../model/segments.js';

export const interpEmpty: Rule = {
  id: 'interp-empty',
  category: 'loader',
  severity: 'error',
  summary: 'The PT_INTERP path must not be empty',
  explanation: `The kernel opens the interpreter by the C string at the start of PT_INTERP: everything up
to the first NUL. When the first byte is NUL the path is empty, and an empty path
resolves to the working directory, which cannot be executed: execve fails with EACCES
(Linux 6.18; the directory is found, then refused as not a regular file). A
p_offset that points one byte too far, or a path overwritten with zeros, does this.

Fix: point p_offset at the interpreter path, e.g. /lib64/ld-linux-x86-64.so.2, and make
p_filesz its length plus the terminating NUL.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const interp = firstInterpreter(elf);
    const path = interp?.interpreter;
    // Shorter paths, and ones without a final NUL, fail earlier (interp-size, interp-nul).
    if (!interp || !path || path.length < 2 || path[path.length - 1] !== 0 || path[0] !== 0) return;
    yield {
      field: `phdr[${interp.index}].contents`,
      message: `PT_INTERP path is empty (its first byte is NUL${path.some((byte) => byte !== 0) ? ', and the kernel ignores what follows' : ''}); execve fails with EACCES. Point p_offset at the interpreter path`,
      actual: '""',
      expected: 'a path such as /lib64/ld-linux-x86-64.so.2',
      range: { offset: Number(interp.p_offset), length: 1 },
    };
  },
};
