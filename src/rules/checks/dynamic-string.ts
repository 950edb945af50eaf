import type { Rule } from '../rule.js';
import { DT_STRSZ, DT_STRTAB } from '../../model/constants.js';
import { dynamicString, dynamicValue } from '../../model/dynamic.js';
import { dynamicTag } from '../../model/dynamic-tags.js';
import { hex } from '../../model/hex.js';
import { offsetOfAddress } from '../../model/segments.js';
import { dynField, linkedDynamic } from '../dynamic-facts.js';

export const dynamicStringRule: Rule = {
  id: 'dynamic-string',
  category: 'gabi',
  severity: 'warning',
  summary: 'DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH must name NUL-terminated strings inside DT_STRSZ',
  explanation: `DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_AUXILIARY and DT_FILTER hold offsets into the
dynamic string table (DT_STRTAB, DT_STRSZ bytes). The dynamic linker adds the offset to the
table's address without a bound check and reads up to a NUL: an offset at or past DT_STRSZ,
or a string whose NUL lies past the table, makes it look for a library, a search path or a
soname spelled by unrelated bytes, and the program fails to start with "cannot open shared
object file" naming garbage, or searches directories nobody chose.

The check reads the table through the PT_LOADs, as the dynamic linker does; a table that is
not in the file is dynamic-address's finding. Relocatable objects, core dumps and separate
debug files are not checked.

Fix: relink; when you edit these entries by hand (patchelf does it right), point them at a
string inside the dynamic string table.`,
  *check(elf) {
    // A separate debug file's PT_DYNAMIC points at bytes it does not hold: read nothing before this.
    const dynamic = linkedDynamic(elf);
    if (!dynamic) return;
    const table = dynamicValue(elf, DT_STRTAB);
    const size = dynamicValue(elf, DT_STRSZ);
    if (table === undefined || size === undefined || size === 0n) return;
    if (offsetOfAddress(elf, table, size) === undefined) return;
    for (const entry of dynamic.entries) {
      const info = dynamicTag(entry.d_tag);
      if (!info?.string || dynamicString(elf, entry.d_val) !== undefined) continue;
      yield {
        field: dynField(entry, 'd_val'),
        message: entry.d_val >= size
          ? `${info.name} is offset ${hex(entry.d_val)}, past the ${hex(size)} bytes of the dynamic string table (DT_STRSZ); point it at its string in the table`
          : `${info.name} at offset ${hex(entry.d_val)} runs to the end of the dynamic string table without a NUL; terminate the string inside DT_STRSZ`,
        actual: hex(entry.d_val),
        expected: `an offset below ${hex(size)} with a NUL after it`,
      };
    }
  },
};
