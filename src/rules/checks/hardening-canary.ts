import { hardeningRule } from '../hardening-rule.js';

export const hardeningCanary = hardeningRule({
  id: 'hardening-canary',
  severity: 'warning',
  summary: 'code should be built with a stack protector',
  explanation: `With -fstack-protector-strong the compiler puts a random value (the canary) between a
function's buffers and its return address and checks it before returning; an overflow
that reaches the return address is caught in __stack_chk_fail. A file that refers to
neither __stack_chk_fail nor __stack_chk_guard has no protected function. The check reads
the symbol tables, as checksec does: a file without code is not applicable, and one
without any symbol table (a stripped static file) cannot be judged.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: compile with -fstack-protector-strong.`,
}, (hardening) => hardening.canary);
