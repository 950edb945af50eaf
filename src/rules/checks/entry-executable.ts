import type { Rule } from '../rule.js';
import { segmentFlagsText } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { hasMeaningfulEntry, isExecutableSegment, segmentContaining, segmentMappingPage } from '../facts.js';

export const entryExecutable: Rule = {
  id: 'entry-executable',
  category: 'loader',
  severity: 'error',
  summary: 'The entry point must lie in a segment with PF_X',
  explanation: `The segment that maps e_entry must be executable. x86-64 enforces the NX bit, so a jump
into a segment without PF_X faults at once with SIGSEGV; execve itself succeeds.

The kernel maps whole pages and a later PT_LOAD replaces the pages of an earlier one, so
the segment that decides is the last one whose pages cover the entry point, even when it
does not contain the entry point byte for byte.


Fix: set PF_X on the code segment, or move e_entry into it.`,
  *check(elf, { assumptions }) {
    if (!hasMeaningfulEntry(elf)) return;
    const entry = elf.header.e_entry;
    if (!segmentContaining(elf, entry)) return;
    const segment = segmentMappingPage(elf, entry, assumptions.pageSize);
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
