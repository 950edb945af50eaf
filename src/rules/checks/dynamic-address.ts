import type { Rule } from '../rule.js';
import { dynamicValue } from '../../model/dynamic.js';
import { dynamicTag } from '../../model/dynamic-tags.js';
import { hex } from '../../model/hex.js';
import { offsetOfAddress } from '../../model/segments.js';
import { dynField, linkedDynamic, loadedMemory } from '../dynamic-facts.js';

export const dynamicAddress: Rule = {
  id: 'dynamic-address',
  category: 'gabi',
  severity: 'error',
  summary: 'The tables the dynamic table points at must lie in the file image of a PT_LOAD',
  explanation: `Many dynamic entries hold the address of a table the dynamic linker reads while it loads the
object: DT_STRTAB (DT_STRSZ bytes), DT_SYMTAB, DT_HASH, DT_GNU_HASH, DT_RELA (DT_RELASZ),
DT_REL (DT_RELSZ), DT_JMPREL (DT_PLTRELSZ), DT_RELR (DT_RELRSZ), DT_INIT_ARRAY,
DT_FINI_ARRAY and DT_PREINIT_ARRAY (their *SZ), DT_VERSYM, DT_VERDEF, DT_VERNEED, DT_INIT
and DT_FINI. The dynamic linker adds the load bias and reads there, so the whole table (the
first byte when no size tag gives its length) must be bytes of the file that a PT_LOAD maps:
an address no PT_LOAD covers faults, and one in a segment's zero-filled tail reads zeros
instead of the table, so symbols, relocations and constructors go missing.

Relocatable objects, core dumps and separate debug files are not checked; a table of size 0
is not read and not checked.

Fix: relink; when you move a table by hand, update the dynamic entry that points at it, and
keep it inside the file-backed part of a PT_LOAD.`,
  *check(elf) {
    const dynamic = linkedDynamic(elf);
    if (!dynamic) return;
    for (const entry of dynamic.entries) {
      const info = dynamicTag(entry.d_tag);
      if (!info?.address) continue;
      const sizeTag = info.address.sizeTag;
      const size = sizeTag === undefined ? 1n : dynamicValue(elf, sizeTag);
      if (size === undefined || size === 0n) continue;
      if (offsetOfAddress(elf, entry.d_val, size) !== undefined) continue;
      const sized = sizeTag === undefined ? '' : ` (${dynamicTag(sizeTag)?.name ?? 'size'} ${hex(size)} bytes)`;
      const where = loadedMemory(elf).mapped(entry.d_val, size) ? 'lies (partly) in the zero-filled part of its PT_LOAD, not in the file' : 'is not inside any PT_LOAD';
      yield {
        field: dynField(entry, 'd_val'),
        message: `${info.name} ${hex(entry.d_val)}${sized} ${where}; the dynamic linker reads the table there. Relink, or point ${info.name} at the table inside a PT_LOAD's file image`,
        actual: hex(entry.d_val),
        expected: 'an address in the file image of a PT_LOAD',
      };
    }
  },
};
