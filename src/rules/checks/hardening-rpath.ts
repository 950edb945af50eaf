import { hardeningRule } from '../hardening-rule.js';

export const hardeningRpath = hardeningRule({
  id: 'hardening-rpath',
  severity: 'warning',
  summary: 'DT_RPATH should not be used',
  explanation: `DT_RPATH is a list of directories the dynamic linker searches for libraries before
LD_LIBRARY_PATH, and for the libraries of every library loaded later; it cannot be
overridden, and a directory in it that others can write to lets them supply a library.
DT_RUNPATH replaced it: searched after LD_LIBRARY_PATH and only for the file's own
dependencies.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: drop -rpath, or link with --enable-new-dtags to get DT_RUNPATH instead.`,
}, (hardening) => hardening.rpath);
