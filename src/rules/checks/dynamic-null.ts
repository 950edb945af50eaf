import type { Rule } from '../rule.js';
import { DT_NULL, PT_DYNAMIC } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { phdrField } from '../facts.js';
import { linkedDynamic } from '../dynamic-facts.js';

export const dynamicNull: Rule = {
  id: 'dynamic-null',
  category: 'gabi',
  severity: 'warning',
  summary: 'The dynamic table must end with a DT_NULL entry inside PT_DYNAMIC',
  explanation: `The gABI ends the dynamic table with an entry whose d_tag is DT_NULL, and nothing else
says where it ends: the dynamic linker (and readelf, and libc's dl_iterate_phdr users) read
entries from the PT_DYNAMIC address until they meet DT_NULL, whatever p_filesz says. A table
without DT_NULL among its p_filesz bytes makes them read the bytes that follow as more
entries, with whatever tags those bytes happen to spell.

The check reads the first PT_DYNAMIC as the dynamic linker does. Relocatable objects, core
dumps and separate debug files are not checked.

Fix: relink; when you edit the dynamic table by hand, keep a DT_NULL entry last and p_filesz
covering it.`,
  *check(elf) {
    const dynamic = linkedDynamic(elf);
    if (!dynamic) return;
    if (dynamic.entries.at(-1)?.d_tag === DT_NULL) return;
    const phdr = elf.programHeaders.find((candidate) => candidate.p_type === PT_DYNAMIC);
    if (!phdr) return;
    yield {
      field: phdrField(phdr, 'p_filesz'),
      message: `PT_DYNAMIC ${phdr.index} holds ${dynamic.entries.length} entries in its ${hex(phdr.p_filesz)} bytes and none is DT_NULL; the dynamic linker reads past the table. End the table with DT_NULL and cover it with p_filesz`,
      actual: hex(phdr.p_filesz),
      expected: 'a DT_NULL entry inside p_filesz',
    };
  },
};
