import { hardeningRule } from '../hardening-rule.js';

export const hardeningTextrel = hardeningRule({
  id: 'hardening-textrel',
  severity: 'warning',
  summary: 'relocations should not patch read-only segments (DT_TEXTREL)',
  explanation: `DT_TEXTREL (or DF_TEXTREL in DT_FLAGS) says some relocation writes into a read-only
segment, usually code built without -fPIC. The dynamic linker then makes those pages
writable, patches them and protects them again: the code is briefly writable, each
process gets its own copy of the pages, and SELinux's execmod policy refuses it.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: build every object that goes into a shared library or PIE with -fPIC or -fPIE.`,
}, (hardening) => hardening.textrel);
