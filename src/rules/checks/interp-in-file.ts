import type { Rule } from '../rule.js';
import { hex } from '../../model/hex.js';
import { isExecutableType, phdrField } from '../facts.js';
import { firstInterpreter, interpreterSizeValid } from '../../model/segments.js';

export const interpInFile: Rule = {
  id: 'interp-in-file',
  category: 'loader',
  severity: 'error',
  summary: 'The PT_INTERP path must lie inside the file',
  explanation: `Linux reads the interpreter path from p_offset with a plain read; when the file ends
before p_offset + p_filesz the read is short and execve fails with EIO, before the point
of no return.

Fix: point p_offset at the path, or restore the truncated file.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const interp = firstInterpreter(elf);
    if (!interp || !interpreterSizeValid(interp)) return;
    const end = interp.p_offset + interp.p_filesz;
    if (end > BigInt(elf.size)) {
      yield {
        field: phdrField(interp, 'p_offset'),
        message: `PT_INTERP path [${hex(interp.p_offset)}, ${hex(end)}) runs past the end of the ${elf.size}-byte file; execve fails with EIO. Fix p_offset or restore the file`,
        actual: hex(end),
        expected: `<= ${hex(BigInt(elf.size))}`,
      };
    }
  },
};
