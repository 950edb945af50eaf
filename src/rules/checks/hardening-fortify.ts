import { hardeningRule } from '../hardening-rule.js';

export const hardeningFortify = hardeningRule({
  id: 'hardening-fortify',
  severity: 'info',
  summary: 'calls glibc can check should go to its _chk variants (_FORTIFY_SOURCE)',
  explanation: `With -D_FORTIFY_SOURCE=2 (or 3) and optimisation, gcc replaces calls such as memcpy, strcpy
and sprintf by glibc's __memcpy_chk, __strcpy_chk, ... when it knows the size of the
destination, and those abort on an overflow. The rule counts the dynamic symbols, as
checksec does: a file that calls some of those functions and none of their checked
variants was built without it. A file that calls none of them, or has no dynamic symbols
(a static file), is not applicable.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: compile with -O2 -D_FORTIFY_SOURCE=2.`,
}, (hardening) => hardening.fortify);
