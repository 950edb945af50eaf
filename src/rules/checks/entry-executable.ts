import type { Rule } from '../rule.js';
import { segmentFlagsText } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { hasMeaningfulEntry, isExecutableSegment, segmentContaining } from '../facts.js';

export const entryExecutable: Rule = {
  id: 'entry-executable',
  category: 'loader',
  severity: 'error',
  summary: 'The entry point must lie in a segment with PF_X',
  explanation: `The segment that maps e_entry must be executable. x86-64 enforces the NX bit, so a jump
into a segment without PF_X faults at once with SIGSEGV; execve itself succeeds.

When segments overlap, the one mapped last wins, as in the kernel.

Fix: set PF_X on the code segment, or move e_entry into it.`,
  *check(elf) {
    if (!hasMeaningfulEntry(elf)) return;
    const entry = elf.header.e_entry;
    const segment = segmentContaining(elf, entry);
    if (segment && !isExecutableSegment(segment)) {
      yield {
        field: `phdr[${segment.index}].p_flags`,
        message: `e_entry ${hex(entry)} is in PT_LOAD ${segment.index}, which is not executable (${segmentFlagsText(segment.p_flags)}); the first instruction faults. Add PF_X to the code segment`,
        actual: segmentFlagsText(segment.p_flags),
        expected: 'PF_X set',
      };
    }
  },
};
