import type { Rule } from '../rule.js';
import { ELF_TYPE_NAMES, ET_LOOS, ET_NONE } from '../../model/constants.js';

export const headerType: Rule = {
  id: 'header-type',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_type must be REL, EXEC, DYN or CORE (or an OS/processor-specific value)',
  explanation: `e_type says what the file is: a relocatable object (ET_REL, 1), an executable (ET_EXEC,
2), a shared object or position-independent executable (ET_DYN, 3) or a core dump
(ET_CORE, 4). Values from 0xfe00 up are reserved for operating systems and processors.
ET_NONE (0) and the values in between mean nothing.

Linux executes only ET_EXEC and ET_DYN; anything else fails execve with ENOEXEC. That is
right for objects and core dumps, so this rule only flags values that are not a type at
all.

Fix: set e_type to 2 for a fixed-address executable or 3 for a PIE or shared library.`,
  *check(elf) {
    const type = elf.header?.e_type;
    if (type === undefined) return;
    if (type === ET_NONE || (!ELF_TYPE_NAMES.has(type) && type < ET_LOOS)) {
      yield {
        field: 'e_type',
        message: `e_type is ${type}, which is no file type; use 1 (REL), 2 (EXEC), 3 (DYN) or 4 (CORE)`,
        actual: type,
        expected: '1, 2, 3 or 4',
      };
    }
  },
};
