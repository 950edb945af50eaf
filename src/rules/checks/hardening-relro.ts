import { hardeningRule } from '../hardening-rule.js';

export const hardeningRelro = hardeningRule({
  id: 'hardening-relro',
  severity: 'warning',
  summary: 'dynamically linked files should have a PT_GNU_RELRO segment',
  explanation: `PT_GNU_RELRO names the data that only the dynamic linker writes (the GOT, .dynamic,
.init_array, ...); ld.so makes it read-only once relocation is done, so an overwrite
of a function pointer there cannot redirect the program. Without it that data stays
writable for the whole run. A static non-PIE executable has no dynamic relocations
and relocatable objects are not laid out yet: not applicable.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: link with -z relro (and -z now for full RELRO).`,
}, (hardening) => hardening.relro);
