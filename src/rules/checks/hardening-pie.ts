import { hardeningRule } from '../hardening-rule.js';

export const hardeningPie = hardeningRule({
  id: 'hardening-pie',
  severity: 'warning',
  summary: 'programs should be position-independent executables (PIE)',
  explanation: `An ET_EXEC program is loaded at the address it was linked at, so its code and data
are where an attacker expects them whatever address-space randomisation does. A PIE
(ET_DYN with an interpreter or DF_1_PIE) is loaded at a random base. Shared libraries
(checksec's "DSO") and relocatable objects ("REL") are not applicable.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: compile with -fPIE and link with -pie (the default of most distributions' gcc).`,
}, (hardening) => hardening.pie);
