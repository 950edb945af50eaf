import type { Rule } from '../rule.js';
import { DF_1_PIE, DT_FLAGS_1, DT_NEEDED, ET_EXEC } from '../../model/constants.js';
import { dynamicEntries, dynamicString, hasDynamicFlag } from '../../model/dynamic.js';
import { firstInterpreter } from '../../model/segments.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

export const interpNeeded: Rule = {
  id: 'interp-needed',
  category: 'gabi',
  severity: 'error',
  summary: 'A program that needs shared libraries must have a PT_INTERP',
  explanation: `The shared libraries a program names in DT_NEEDED are loaded by the dynamic linker, and the
kernel starts the dynamic linker only when the program has a PT_INTERP naming it. A
program (ET_EXEC, or an ET_DYN marked DF_1_PIE) with DT_NEEDED entries and no PT_INTERP
is entered directly at e_entry: no library is loaded and no relocation is applied, so
its first call into a library or its first use of a relocated pointer crashes.

Shared libraries (ET_DYN without DF_1_PIE) have DT_NEEDED and no PT_INTERP by design, and
static PIE programs have PT_DYNAMIC without PT_INTERP and without DT_NEEDED (they relocate
themselves); neither is reported.

Fix: link with the dynamic linker named (gcc does it unless -static or -nostdlib: pass
-dynamic-linker /lib64/ld-linux-x86-64.so.2 to ld), or link the program statically.`,
  *check(elf) {
    const dynamic = linkedDynamic(elf);
    if (!dynamic || firstInterpreter(elf)) return;
    if (dynamic.elf.header.e_type !== ET_EXEC && !hasDynamicFlag(elf, DT_FLAGS_1, DF_1_PIE)) return;
    const needed = dynamicEntries(elf, DT_NEEDED);
    const first = needed[0];
    if (!first) return;
    const names = needed.map((entry) => dynamicString(elf, entry.d_val) ?? '?').join(', ');
    yield {
      field: dynField(first, 'd_tag'),
      message: `the program needs ${needed.length} shared ${needed.length === 1 ? 'library' : 'libraries'} (${names}) but has no PT_INTERP, so the kernel starts it without the dynamic linker and nothing loads them; relink with -dynamic-linker, or link statically`,
      actual: 'DT_NEEDED without PT_INTERP',
      expected: 'a PT_INTERP naming the dynamic linker',
    };
  },
};
