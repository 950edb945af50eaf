import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { isExecutableType, phdrField } from '../facts.js';
import { firstInterpreter, INTERP_MAX_SIZE, interpreterSizeValid } from '../../model/segments.js';

export const interpSize: Rule = {
  id: 'interp-size',
  category: 'loader',
  severity: 'error',
  summary: 'The PT_INTERP path must be 2 to 4096 bytes long',
  explanation: `The first PT_INTERP holds a NUL-terminated path, p_filesz bytes long including the NUL.
Linux rejects a p_filesz below 2 (no room for a one-character path and its NUL) or
above PATH_MAX (4096) with ENOEXEC before the point of no return.

Fix: store the interpreter's path, e.g. /lib64/ld-linux-x86-64.so.2, with its NUL and
set p_filesz to its length.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const interp = firstInterpreter(elf);
    if (interp && !interpreterSizeValid(interp)) {
      yield {
        field: phdrField(interp, 'p_filesz'),
        message: `PT_INTERP p_filesz is ${hex(interp.p_filesz)}; Linux accepts 2 to ${INTERP_MAX_SIZE} bytes and fails execve with ENOEXEC. Set it to the path length including its NUL`,
        actual: hex(interp.p_filesz),
        expected: `2..${INTERP_MAX_SIZE}`,
      };
    }
  },
};
