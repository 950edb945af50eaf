import type { Rule } from '../rule.js';
import { ELF64_EHDR_SIZE } from '../../model/constants.js';

export const headerEhsize: Rule = {
  id: 'header-ehsize',
  category: 'gabi',
  severity: 'warning',
  summary: 'e_ehsize must be 64 in an ELF64 file',
  explanation: `e_ehsize is the size of the ELF header itself, 64 bytes for ELF64. Linux ignores it;
readers that honour it (to find data right after the header, or to validate the file)
get a wrong layout.

Fix: set e_ehsize to 64.`,
  *check(elf) {
    const size = elf.header?.e_ehsize;
    if (size !== undefined && size !== ELF64_EHDR_SIZE) {
      yield {
        field: 'e_ehsize',
        message: `e_ehsize is ${size}, but an ELF64 header is ${ELF64_EHDR_SIZE} bytes; set it to ${ELF64_EHDR_SIZE}`,
        actual: size,
        expected: String(ELF64_EHDR_SIZE),
      };
    }
  },
};
