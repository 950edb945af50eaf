import { hardeningRule } from '../hardening-rule.js';

export const hardeningRunpath = hardeningRule({
  id: 'hardening-runpath',
  severity: 'info',
  summary: 'DT_RUNPATH adds directories to the library search',
  explanation: `DT_RUNPATH makes the dynamic linker look for the file's libraries in the directories it
lists. That is legitimate for software installed outside the system directories, but a
listed directory that others can write to, or a relative one ($ORIGIN aside), lets them
supply a library. checksec reports it for the same reason.

This rule is opt-in (the hardening and all profiles, or --enable).

Fix: install libraries in the system's directories, or make sure every DT_RUNPATH
directory is writable only by root (prefer $ORIGIN-relative paths).`,
}, (hardening) => hardening.runpath);
