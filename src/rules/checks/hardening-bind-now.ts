import { hardeningRule } from '../hardening-rule.js';

export const hardeningBindNow = hardeningRule({
  id: 'hardening-bind-now',
  severity: 'info',
  summary: 'RELRO is only partial without BIND_NOW',
  explanation: `With lazy binding, the dynamic linker resolves a function the first time it is called and
writes its address into .got.plt, so that part of the GOT must stay writable and lies
outside PT_GNU_RELRO ("Partial RELRO"). With DT_BIND_NOW (or DF_BIND_NOW, DF_1_NOW)
every symbol is resolved at start-up and the whole GOT becomes read-only ("Full RELRO").

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: link with -z now (with -z relro).`,
}, (hardening) => hardening.relro, ['partial']);
