import type { Rule } from '../rule.js';
import { VER_FLG_BASE, VER_FLG_WEAK } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { sectionLabel } from '../facts.js';
import { nameHash, verdefList, verneedList, versionSections } from '../symbol-facts.js';

export const versionHash: Rule = {
  id: 'version-hash',
  category: 'gabi',
  severity: 'error',
  summary: 'vd_hash and vna_hash must be the ELF hash of the version name',
  explanation: `Every version definition (.gnu.version_d, vd_hash) and every needed version
(.gnu.version_r, vna_hash) carries the System V ELF hash of its name, and the dynamic
linker compares hashes before names: glibc looks a needed version up in the library's
definitions by vna_hash == vd_hash first. A wrong hash on either side makes the lookup
fail, and the program does not start: "version 'GLIBC_2.34' not found (required by ...)"
(a need marked VER_FLG_WEAK is not fatal: ld.so then binds without the version). The base version (VER_FLG_BASE,
named after the soname) is never looked up; version-definitions checks its hash.

Fix: relink; a tool that renames versions must recompute the hashes (the gABI's elf_hash
of the name).`,
  *check(elf) {
    const sections = versionSections(elf);
    if (sections.verdef) {
      for (const entry of verdefList(elf, sections).entries) {
        const name = entry.names[0]?.name;
        const hash = name === undefined ? undefined : nameHash(name);
        if ((entry.vd_flags & VER_FLG_BASE) !== 0 || hash === undefined || hash === entry.vd_hash) continue;
        yield {
          field: `sec[${sections.verdef.index}].verdef[${entry.index}].vd_hash`,
          message: `version definition ${entry.index} (${name}) of ${sectionLabel(sections.verdef)} has vd_hash ${hex(entry.vd_hash)}, not the ELF hash of its name, ${hex(hash)}: programs that need ${name} fail to start; relink`,
          actual: hex(entry.vd_hash),
          expected: hex(hash),
        };
      }
    }
    if (sections.verneed) {
      for (const need of verneedList(elf, sections).entries) {
        for (const [position, aux] of need.aux.entries()) {
          const hash = aux.name === undefined ? undefined : nameHash(aux.name);
          if (hash === undefined || hash === aux.vna_hash) continue;
          yield {
            field: `sec[${sections.verneed.index}].verneed[${need.index}].aux[${position}].vna_hash`,
            message: `needed version ${aux.name}${need.file ? ` of ${need.file}` : ''} in ${sectionLabel(sections.verneed)} has vna_hash ${hex(aux.vna_hash)}, not the ELF hash of its name, ${hex(hash)}: the dynamic linker will not find the version${(aux.vna_flags & VER_FLG_WEAK) !== 0 ? ' (a weak need: it goes on without it)' : ' and the program fails to start'}; relink`,
            actual: hex(aux.vna_hash),
            expected: hex(hash),
          };
        }
      }
    }
  },
};
