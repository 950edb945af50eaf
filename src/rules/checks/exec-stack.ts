import type { Rule } from '../rule.js';
import { PF_X, PT_GNU_STACK } from '../../model/constants.js';
import { phdrField } from '../facts.js';

export const execStack: Rule = {
  id: 'exec-stack',
  category: 'hardening',
  severity: 'warning',
  summary: 'PT_GNU_STACK should not request an executable stack',
  explanation: `PT_GNU_STACK's flags decide the stack's permissions; with PF_X Linux maps an executable
stack, so a stack buffer overflow can run injected code. Toolchains add PF_X when an
object file lacks a .note.GNU-stack section (hand-written assembly) or uses nested-function
trampolines. A file without PT_GNU_STACK gets the architecture default, which on x86-64
is a non-executable stack, so its absence is not reported.

Fix: add \`.section .note.GNU-stack,"",@progbits\` to assembly sources, or link with
-z noexecstack.`,
  *check(elf) {
    for (const phdr of elf.programHeaders) {
      if (phdr.p_type === PT_GNU_STACK && (phdr.p_flags & PF_X) !== 0) {
        yield {
          field: phdrField(phdr, 'p_flags'),
          message: 'PT_GNU_STACK asks for an executable stack; link with -z noexecstack',
          actual: phdr.p_flags,
          expected: 'PF_X clear',
        };
      }
    }
  },
};
