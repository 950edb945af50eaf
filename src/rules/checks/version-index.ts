import type { Rule } from '../rule.js';
import { VER_NDX_GLOBAL } from '../../model/constants.js';
import { sectionLabel } from '../facts.js';
import { verdefList, verneedList, versionIndex, versionSections } from '../symbol-facts.js';

export const versionIndexRule: Rule = {
  id: 'version-index',
  category: 'gabi',
  severity: 'warning',
  summary: 'Every .gnu.version entry must name a version the file defines or needs',
  explanation: `Each entry of .gnu.version (SHT_GNU_versym) is the version index of the dynamic symbol
with the same number: 0 (VER_NDX_LOCAL, a local symbol), 1 (VER_NDX_GLOBAL, the unversioned
global base), or an index that a version definition gives itself (vd_ndx in
.gnu.version_d) or a needed version is given (vna_other in .gnu.version_r). The top bit
(0x8000) marks a hidden version (a non-default symbol@VERSION) and is not part of the
index. Any other index names no version: the dynamic linker's version table has no entry
for it, so the symbol binds to the wrong definition or fails to bind with a version
error, and readelf, objdump and nm print garbage versions.

(A version section whose list cannot be walked is version-definitions' or
version-needs' finding, and this rule then says nothing.)

Fix: relink; a tool that edits the version sections must renumber .gnu.version with them.`,
  *check(elf) {
    const sections = versionSections(elf);
    if (!sections.versym) return;
    const definitions = verdefList(elf, sections);
    const needs = verneedList(elf, sections);
    if (definitions.problem !== undefined || needs.problem !== undefined) return;
    const defined = new Set<number>([
      ...definitions.entries.map((entry) => entry.vd_ndx),
      ...needs.entries.flatMap((need) => need.aux.map((aux) => aux.vna_other)),
    ]);
    const known = [...defined].sort((a, b) => a - b);
    const versym = elf.contents.versym(sections.versym.index);
    for (let symbol = 0; symbol < versym.length; symbol += 1) {
      const value = versym[symbol]!;
      const index = versionIndex(value);
      if (index <= VER_NDX_GLOBAL || defined.has(index)) continue;
      yield {
        field: `sec[${sections.versym.index}].versym[${symbol}]`,
        message: `${sectionLabel(sections.versym)} gives symbol ${symbol} version index ${index}, which no version definition (vd_ndx) or needed version (vna_other) has; relink or fix the version sections`,
        actual: value,
        expected: `0, 1${known.length > 0 ? `, ${known.join(', ')}` : ''} (with or without the hidden bit 0x8000)`,
      };
    }
  },
};
