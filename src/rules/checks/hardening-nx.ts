import { hardeningRule } from '../hardening-rule.js';
import type { Hardening } from '../../model/hardening.js';

/** exec-stack reports a PT_GNU_STACK with PF_X; this rule, a file whose missing PT_GNU_STACK makes everything executable. */
const withoutGnuStack = (hardening: Hardening) => (hardening.nx.field === 'e_phoff' ? hardening.nx : { ...hardening.nx, status: 'pass' as const });

export const hardeningNx = hardeningRule({
  id: 'hardening-nx',
  severity: 'warning',
  summary: 'a program without PT_GNU_STACK may run with every readable page executable',
  explanation: `On some architectures (i386, and 32-bit ARM and MIPS among others) Linux runs a program
that has no PT_GNU_STACK with READ_IMPLIES_EXEC: every readable mapping is also
executable, data and stack included, so no-execute protection is gone. On x86-64 and
AArch64 the default is a non-executable stack and the rule does not fire (checksec still
says "NX disabled"). A PT_GNU_STACK that asks for PF_X is exec-stack's finding.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: link with -z noexecstack, and mark assembly sources with .note.GNU-stack.`,
}, withoutGnuStack);
