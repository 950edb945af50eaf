import type { Rule } from '../rule.js';
import { dynamicTag } from '../../model/dynamic-tags.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

export const dynamicDuplicate: Rule = {
  id: 'dynamic-duplicate',
  category: 'gabi',
  severity: 'warning',
  summary: 'A dynamic tag that describes one thing must appear once',
  explanation: `Most dynamic tags describe the one table, size or setting an object has (DT_STRTAB, DT_RELA,
DT_RELASZ, DT_SONAME, DT_FLAGS, DT_INIT_ARRAY, DT_VERNEED, ...); only DT_NEEDED, DT_AUXILIARY,
DT_FILTER and DT_NULL may repeat. With two entries of such a tag, tools disagree on which
counts: glibc's dynamic linker keeps the last one it reads, readelf and other readers often
the first, so the program runs with a table the tools do not show.

Tags elf-lint does not name (processor- and OS-specific ones) are not checked. Relocatable
objects, core dumps and separate debug files are not checked.

Fix: relink; when you edit the dynamic table by hand, change the existing entry instead of
adding a second one.`,
  *check(elf) {
    const dynamic = linkedDynamic(elf);
    if (!dynamic) return;
    const seen = new Map<bigint, number>();
    for (const entry of dynamic.entries) {
      const info = dynamicTag(entry.d_tag);
      if (!info || info.repeats) continue;
      const first = seen.get(entry.d_tag);
      if (first === undefined) {
        seen.set(entry.d_tag, entry.index);
        continue;
      }
      yield {
        field: dynField(entry, 'd_tag'),
        message: `${info.name} appears again at entry ${entry.index} (first at entry ${first}); the dynamic linker uses the last one, other tools the first. Keep one ${info.name} entry`,
        actual: info.name,
        expected: `one ${info.name} entry`,
      };
    }
  },
};
