import type { Rule } from '../rule.js';
import { SHT_NOBITS, SHT_NULL } from '../../model/constants.js';
import { hex } from '../../model/hex.js';

export const sectionInFile: Rule = {
  id: 'section-in-file',
  category: 'gabi',
  severity: 'warning',
  summary: 'Every section with file contents must lie inside the file',
  explanation: `A section other than SHT_NOBITS (.bss and friends) and SHT_NULL occupies sh_size bytes at
file offset sh_offset. A section that runs past the end of the file means the file was
truncated or the section header is wrong; linkers and debuggers fail on it. Linux does not
read sections, so the loader verdict is unaffected.

Fix: restore the truncated file, or correct sh_offset/sh_size.`,
  *check(elf) {
    const size = BigInt(elf.size);
    for (const section of elf.sectionHeaders) {
      if (section.sh_type === SHT_NOBITS || section.sh_type === SHT_NULL) continue;
      const end = section.sh_offset + section.sh_size;
      if (end > size) {
        yield {
          field: `shdr[${section.index}].sh_offset`,
          message: `section ${section.index}${section.name ? ` (${section.name})` : ''} [${hex(section.sh_offset)}, ${hex(end)}) runs past the end of the ${elf.size}-byte file; restore the file or fix sh_offset/sh_size`,
          actual: hex(end),
          expected: `<= ${hex(size)}`,
        };
      }
    }
  },
};
