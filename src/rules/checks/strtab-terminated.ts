import type { Rule } from '../rule.js';
import { SHF_COMPRESSED, SHT_STRTAB } from '../../model/constants.js';
import { sectionLabel, shdrField } from '../facts.js';

export const strtabTerminated: Rule = {
  id: 'strtab-terminated',
  category: 'gabi',
  severity: 'warning',
  summary: 'A string table must start and end with a NUL byte',
  explanation: `An SHT_STRTAB section (.shstrtab, .strtab, .dynstr) holds NUL-terminated strings, and the gABI
requires its first byte to be NUL (index 0 is the empty name) and its last byte to be NUL
(the last string is terminated inside the section). A table that does not end in NUL
makes the last name run into whatever follows the section: readers that trust the table
read past its end, and careful readers (readelf) print "<corrupt>". A first byte other
than NUL gives every unnamed section or symbol (sh_name 0, st_name 0) a name.

Fix: rebuild the string table (the linker, objcopy or strip writes a valid one), or
correct sh_offset/sh_size so that the section covers the table exactly.`,
  *check(elf) {
    const size = BigInt(elf.size);
    for (const section of elf.sectionHeaders) {
      // Compressed bytes are not the strings; a section past the end of the file is section-in-file's finding.
      if (section.sh_type !== SHT_STRTAB || section.sh_size === 0n || (section.sh_flags & SHF_COMPRESSED) !== 0n) continue;
      if (section.sh_offset + section.sh_size > size) continue;
      const first = elf.slice(Number(section.sh_offset), 1)[0];
      const last = elf.slice(Number(section.sh_offset + section.sh_size - 1n), 1)[0];
      const bad = [first !== 0 ? 'first' : undefined, last !== 0 ? 'last' : undefined].filter((which) => which !== undefined);
      if (bad.length > 0) {
        yield {
          field: shdrField(section, 'sh_size'),
          message: `string table ${sectionLabel(section)} has a ${bad.join(' and a ')} byte that is not NUL; rebuild the table or fix sh_offset/sh_size`,
          actual: `first 0x${(first ?? 0).toString(16)}, last 0x${(last ?? 0).toString(16)}`,
          expected: 'first and last bytes 0',
        };
      }
    }
  },
};
