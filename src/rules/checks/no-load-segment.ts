import type { Rule } from '../rule.js';
import { isExecutableType, loadSegments, programTableComplete } from '../facts.js';
import { maxProgramHeaders } from '../../model/segments.js';

export const noLoadSegment: Rule = {
  id: 'no-load-segment',
  category: 'loader',
  severity: 'error',
  summary: 'An executable must have at least one PT_LOAD segment',
  explanation: `Without a PT_LOAD nothing of the file is mapped. Linux does not check this: execve
succeeds with an empty image and the process faults (SIGSEGV) at its entry point.

Fix: add a PT_LOAD that maps the code.`,
  *check(elf) {
    if (!isExecutableType(elf)) return;
    const tableReadable = elf.phnum <= maxProgramHeaders(elf.layout) && programTableComplete(elf);
    if (tableReadable && loadSegments(elf).length === 0) {
      yield {
        field: 'e_phoff',
        message: `none of the ${elf.phnum} program headers is PT_LOAD; nothing is mapped and the program faults at once. Add a PT_LOAD for the code`,
        actual: '0 PT_LOAD',
        expected: 'at least 1',
      };
    }
  },
};
