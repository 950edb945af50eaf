import { hardeningRule } from '../hardening-rule.js';

export const hardeningCet = hardeningRule({
  id: 'hardening-cet',
  severity: 'info',
  summary: 'x86 code should be marked for CET (IBT and SHSTK)',
  explanation: `Intel CET has two parts: indirect branch tracking (IBT: every indirect branch must land on
an endbr instruction) and shadow stacks (SHSTK: return addresses are checked against a
protected copy). The linker sets GNU_PROPERTY_X86_FEATURE_1_IBT and _SHSTK in
.note.gnu.property only when every input object has them, and the kernel and ld.so
enable each feature only for programs whose every loaded object is marked. Other
machines are not applicable.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: compile every object with -fcf-protection=full (assembly: add the property note).`,
}, (hardening) => hardening.cet, ['fail', 'partial']);
