import { hardeningRule } from '../hardening-rule.js';

export const hardeningBti = hardeningRule({
  id: 'hardening-bti',
  severity: 'info',
  summary: 'AArch64 code should be marked for BTI and pointer authentication',
  explanation: `On AArch64, branch target identification (BTI: indirect branches must land on a bti
instruction) and pointer authentication (PAC: signed return addresses) are marked by
GNU_PROPERTY_AARCH64_FEATURE_1_BTI and _PAC in .note.gnu.property. Linux maps a program's
executable pages as guarded only when the BTI bit is set, and the linker sets it only
when every input object has it. Other machines are not applicable.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: compile every object with -mbranch-protection=standard.`,
}, (hardening) => hardening.bti, ['fail', 'partial']);
