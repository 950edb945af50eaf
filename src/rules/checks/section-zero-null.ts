import type { Rule } from '../rule.js';
import { PN_XNUM, SHN_XINDEX } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import type { ShdrField } from '../../model/layout.js';
import { shdrField } from '../facts.js';

export const sectionZeroNull: Rule = {
  id: 'section-zero-null',
  category: 'gabi',
  severity: 'warning',
  summary: 'Section header 0 must be the all-zero SHT_NULL entry (apart from extended numbering)',
  explanation: `Index 0 of the section header table (SHN_UNDEF) is reserved: the gABI fixes every member of
that entry at 0 (SHT_NULL), except three that carry extended numbering when a count does
not fit the ELF header: sh_size holds the number of sections when e_shnum is 0, sh_link the
name table's index when e_shstrndx is SHN_XINDEX, and sh_info the number of program headers
when e_phnum is PN_XNUM. Otherwise those are 0 too. Readers look there for the real counts
whenever the entry is not zero, so a stray value changes how many sections or segments
they see; symbols whose st_shndx is 0 are undefined, and a real section at index 0 would
be treated as "no section" by every reader.

Fix: write an all-zero entry at index 0 and move any section there to a later index; keep
sh_size, sh_link and sh_info only when the header's e_shnum, e_shstrndx or e_phnum says
they hold a count.`,
  *check(elf) {
    const header = elf.header;
    const zero = elf.sectionHeaders.at(0);
    if (!header || !zero) return;
    // Each member, its value, and whether extended numbering keeps a count there (else it must be 0).
    const members: readonly [ShdrField, bigint | number, boolean][] = [
      ['sh_name', zero.sh_name, false], ['sh_type', zero.sh_type, false],
      ['sh_flags', zero.sh_flags, false], ['sh_addr', zero.sh_addr, false], ['sh_offset', zero.sh_offset, false],
      ['sh_size', zero.sh_size, header.e_shnum === 0], ['sh_link', zero.sh_link, header.e_shstrndx === SHN_XINDEX],
      ['sh_info', zero.sh_info, header.e_phnum === PN_XNUM], ['sh_addralign', zero.sh_addralign, false], ['sh_entsize', zero.sh_entsize, false],
    ];
    for (const [field, value, extended] of members) {
      if (extended || BigInt(value) === 0n) continue;
      yield {
        field: shdrField(zero, field),
        message: `section header 0 has ${field} ${hex(value)}, but the reserved entry holds 0 there${field === 'sh_size' || field === 'sh_link' || field === 'sh_info' ? ' unless the ELF header defers a count to it' : ''}; zero it`,
        actual: value,
        expected: '0',
      };
    }
  },
};
