import type { Rule } from '../rule.js';
import { ET_EXEC } from '../../model/constants.js';

export const entryZero: Rule = {
  id: 'entry-zero',
  category: 'loader',
  severity: 'error',
  summary: 'An ET_EXEC file must have a non-zero entry point',
  explanation: `e_entry is the virtual address where execution starts; 0 means "no entry point", which is
right for shared libraries and objects but not for a fixed-address executable. Linux
jumps to address 0 anyway, which is never mapped, and the program dies with SIGSEGV on
its first instruction.

Fix: link with an entry symbol (_start, or -e SYMBOL) or set e_entry to the code's
address.`,
  *check(elf) {
    if (elf.header?.e_type === ET_EXEC && elf.header.e_entry === 0n) {
      yield {
        field: 'e_entry',
        message: 'ET_EXEC file has e_entry 0; the program faults on its first instruction. Set e_entry to the address of its code (_start)',
        actual: '0x0',
        expected: 'address of the first instruction',
      };
    }
  },
};
