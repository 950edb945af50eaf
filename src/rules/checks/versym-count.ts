import type { Rule } from '../rule.js';
import { SHT_DYNSYM } from '../../model/constants.js';
import { sectionLabel, shdrField } from '../facts.js';
import { declaredEntries, versionSections } from '../symbol-facts.js';

export const versymCount: Rule = {
  id: 'versym-count',
  category: 'gabi',
  severity: 'warning',
  summary: 'The version symbol table (.gnu.version) must have one entry per dynamic symbol',
  explanation: `.gnu.version (SHT_GNU_versym) is an array of 16-bit version indexes parallel to the
dynamic symbol table its sh_link names: entry i is the version of .dynsym symbol i, so
both have the same number of entries (sh_size / 2 and sh_size / sh_entsize). The dynamic
linker indexes the array with symbol numbers (through DT_VERSYM): a shorter array makes
it read the versions of the last symbols from whatever follows, a longer one means the
tables were not written together. readelf and objdump print wrong versions either way.

Fix: relink; a tool that adds or removes dynamic symbols must resize .gnu.version too.`,
  *check(elf) {
    const { versym } = versionSections(elf);
    if (!versym) return;
    const dynsym = elf.sectionHeaders.at(versym.sh_link);
    // A link to anything but .dynsym is section-link's finding.
    if (!dynsym || dynsym.sh_type !== SHT_DYNSYM) return;
    const symbols = declaredEntries(dynsym, elf.layout.contents.sym.size);
    const versions = declaredEntries(versym, 2);
    if (symbols === versions && versym.sh_size % 2n === 0n) return;
    yield {
      field: shdrField(versym, 'sh_size'),
      message: `${sectionLabel(versym)} holds ${versions} version entries (sh_size ${versym.sh_size}) for the ${symbols} symbols of ${sectionLabel(dynsym)}; it must have exactly one 2-byte entry per dynamic symbol: relink`,
      actual: String(versym.sh_size),
      expected: String(symbols * 2n),
    };
  },
};
