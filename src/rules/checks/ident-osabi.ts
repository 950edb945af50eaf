import type { Rule } from '../rule.js';
import { ELF_OSABI_NAMES } from '../../model/constants.js';

export const identOsabi: Rule = {
  id: 'ident-osabi',
  category: 'portability',
  severity: 'warning',
  summary: 'EI_OSABI should be a registered OS/ABI value',
  explanation: `e_ident[EI_OSABI] names the OS- or ABI-specific extensions the file uses. 0
(ELFOSABI_NONE, "System V") and 3 (ELFOSABI_GNU/LINUX) are the usual values on Linux;
other registered values name other systems.

Linux ignores the byte, but other systems' loaders and tools such as FreeBSD's brandelf
use it to decide which ABI to run the program under, so an unregistered value makes the
file unportable.

Fix: set EI_OSABI to 0 unless the file really uses another ABI's extensions.`,
  *check(elf) {
    const value = elf.ident.osAbi;
    if (!ELF_OSABI_NAMES.has(value)) {
      yield {
        field: 'e_ident[EI_OSABI]',
        message: `EI_OSABI is ${value}, which no OS/ABI registers; use 0 (System V) or the value of the ABI the file targets`,
        actual: value,
        expected: '0',
      };
    }
  },
};
