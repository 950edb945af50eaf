import { firstInterpreter } from '../../model/segments.js';
import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { hasMeaningfulEntry, segmentContaining } from '../facts.js';

export const entryInLoadSegment: Rule = {
  id: 'entry-in-load-segment',
  category: 'loader',
  severity: 'error',
  summary: 'The entry point must lie inside a PT_LOAD segment',
  explanation: `e_entry must be an address that some PT_LOAD maps ([p_vaddr, p_vaddr + p_memsz)).
Linux never checks this: execve succeeds and the first instruction fetch faults, so the
program dies with SIGSEGV before doing anything. Neither eu-elflint nor readelf --lint
reads e_entry at all.

Fix: point e_entry at the code (the _start symbol), or add the segment that should map
it.`,
  *check(elf, { assumptions }) {
    if (!hasMeaningfulEntry(elf)) return;
    const entry = elf.header.e_entry;
    // Those are entry-zero's and entry-user-space's, unless the interpreter jumps there instead of the kernel.
    if (elf.header.e_type === ET_EXEC && (entry === 0n || (!firstInterpreter(elf) && entry >= assumptions.taskSize))) return;
    if (!segmentContaining(elf, entry)) {
      yield {
        field: 'e_entry',
        message: `e_entry ${hex(entry)} is not inside any PT_LOAD segment; the program faults on its first instruction. Point e_entry at the code`,
        actual: hex(entry),
        expected: 'an address inside a PT_LOAD',
      };
    }
  },
};
