// Findings the engine itself reports. They have ids, severities and
// explanations like every rule so that `explain` and the docs cover them.
import type { RuleMeta } from '../model/finding.js';

export const NOT_ELF: RuleMeta = {
  id: 'not-elf',
  category: 'loader',
  severity: 'error',
  summary: 'The file does not start with the ELF magic \\x7fELF',
  explanation: `Every ELF file starts with the four bytes 0x7f 'E' 'L' 'F'. Without them Linux does not
treat the file as ELF at all (execve tries other binary formats and fails with ENOEXEC),
and elf-lint checks nothing else.

When you name such a file on the command line elf-lint reports it and exits with 2;
when it finds one while walking a directory it skips it silently.

Fix: check that the path names the binary you meant (not a script, archive or
compressed file).`,
};

export const INTERNAL_ERROR: RuleMeta = {
  id: 'internal-error',
  category: 'gabi',
  severity: 'error',
  summary: 'A rule failed while checking this file (a bug in elf-lint)',
  explanation: `A rule threw an exception instead of returning findings. elf-lint reports the failure,
names the rule, and goes on with the other rules, so one bug never hides the rest of
the report. The file may or may not have a problem in the area the rule checks.

Fix: please report it with the file (or \`elf-lint spec FILE\`) so the rule can be fixed;
meanwhile you can disable the named rule.`,
};

export const BUILTIN_METAS: readonly RuleMeta[] = [NOT_ELF, INTERNAL_ERROR];
