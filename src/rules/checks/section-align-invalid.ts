import type { Rule } from '../rule.js';
import { hex, isPowerOfTwo } from '../../model/hex.js';

export const sectionAlignInvalid: Rule = {
  id: 'section-align-invalid',
  category: 'gabi',
  severity: 'warning',
  summary: 'sh_addralign must be 0, 1 or a power of two',
  explanation: `sh_addralign is the alignment a section needs; 0 and 1 mean none, anything else must
be a power of two. Linkers merge and place input sections by this value, so a bad one
makes a relocatable object unlinkable and marks a damaged section table in any file.
Linux ignores it.

Fix: set sh_addralign to the section's real alignment (a power of two).`,
  *check(elf) {
    for (const section of elf.sectionHeaders) {
      if (section.sh_addralign > 1n && !isPowerOfTwo(section.sh_addralign)) {
        yield {
          field: `shdr[${section.index}].sh_addralign`,
          message: `section ${section.index}${section.name ? ` (${section.name})` : ''} has sh_addralign ${hex(section.sh_addralign)}, not 0, 1 or a power of two; use a power of two`,
          actual: hex(section.sh_addralign),
          expected: '0, 1 or a power of two',
        };
      }
    }
  },
};
