import type { Rule, Report } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { VersionDefinition } from '../../model/contents.js';
import { VER_DEF_CURRENT, VER_FLG_BASE, VER_FLG_INFO, VER_FLG_WEAK, VER_NDX_LOCAL } from '../../model/constants.js';
import { hex } from '../../model/hex.js';
import { sectionLabel } from '../facts.js';
import { chainCountProblem, linkedString, nameHash, unreadableName, verdefList, versionListReport, versionSections } from '../symbol-facts.js';

const KNOWN_FLAGS = VER_FLG_BASE | VER_FLG_WEAK | VER_FLG_INFO;

function* entryReports(elf: ElfFile, section: SectionHeader, entry: VersionDefinition, seen: Set<number>): Generator<Report> {
  const at = `sec[${section.index}].verdef[${entry.index}]` as const;
  const label = `version definition ${entry.index} of ${sectionLabel(section)}`;
  if (entry.vd_version !== VER_DEF_CURRENT) {
    yield { field: `${at}.vd_version`, message: `${label} has vd_version ${entry.vd_version}; the only revision is 1 (VER_DEF_CURRENT), and the dynamic linker refuses others: relink`, actual: entry.vd_version, expected: '1' };
  }
  if ((entry.vd_flags & ~KNOWN_FLAGS) !== 0) {
    yield { field: `${at}.vd_flags`, message: `${label} has vd_flags ${hex(entry.vd_flags)}, with bits other than VER_FLG_BASE, VER_FLG_WEAK and VER_FLG_INFO; relink`, actual: entry.vd_flags, expected: 'a combination of 0x1, 0x2 and 0x4' };
  }
  if (entry.vd_ndx === VER_NDX_LOCAL || seen.has(entry.vd_ndx)) {
    yield {
      field: `${at}.vd_ndx`,
      message: `${label} has vd_ndx ${entry.vd_ndx}, ${entry.vd_ndx === VER_NDX_LOCAL ? 'the index reserved for local symbols' : 'the index of an earlier definition'}; each definition needs its own index from 1 (the base version) up: relink`,
      actual: entry.vd_ndx,
      expected: 'a unique index of 1 or more',
    };
  }
  seen.add(entry.vd_ndx);
  const chain = chainCountProblem(entry.vd_cnt, entry.names.length, entry.names.at(-1)?.vda_next);
  if (entry.vd_cnt === 0 || chain !== undefined) {
    yield {
      field: `${at}.vd_cnt`,
      message: entry.vd_cnt === 0
        ? `${label} has vd_cnt 0, so it has no name; a definition has its name and then its parents: relink`
        : `${label} has vd_cnt ${entry.vd_cnt}, but its chain of names (vd_aux, vda_next) ${chain}; relink`,
      actual: entry.vd_cnt,
    };
  }
  for (const [position, name] of entry.names.entries()) {
    const problem = unreadableName(linkedString(elf, section, name.vda_name));
    if (problem !== undefined) {
      yield { field: `${at}.aux[${position}].vda_name`, message: `${position === 0 ? 'the name' : `parent ${position}`} of ${label} (vda_name ${name.vda_name}) ${problem}; relink`, actual: name.vda_name };
    }
  }
  // The base version's hash is never looked up (version-hash checks the others, which binding depends on).
  const own = entry.names[0]?.name;
  const hash = own === undefined ? undefined : nameHash(own);
  if ((entry.vd_flags & VER_FLG_BASE) !== 0 && hash !== undefined && hash !== entry.vd_hash) {
    yield { field: `${at}.vd_hash`, message: `${label} (the base version ${own}) has vd_hash ${hex(entry.vd_hash)}, not the ELF hash of its name, ${hex(hash)}; relink`, actual: hex(entry.vd_hash), expected: hex(hash) };
  }
}

export const versionDefinitions: Rule = {
  id: 'version-definitions',
  category: 'gabi',
  severity: 'warning',
  summary: 'The version definitions (.gnu.version_d) must be a well-formed list',
  explanation: `.gnu.version_d (SHT_GNU_verdef) lists the versions a shared object defines: a chain of
Elf_Verdef entries (each vd_next bytes after the one before, 0 ending it), each with
vd_version 1, flags among VER_FLG_BASE (the first entry, named after the file's soname),
VER_FLG_WEAK and VER_FLG_INFO, its own version index vd_ndx (1 for the base, then 2, 3,
...: the indexes .gnu.version uses), and a chain of vd_cnt Elf_Verdaux names (vd_aux, then
vda_next; the first is the version's name, the others its parents) in the string table
sh_link names. vd_hash is the ELF hash of the name (version-hash checks it for the versions
programs bind to; this rule for the base version) and sh_info is the number of definitions
(GNU's convention, which readelf uses to count them).

The dynamic linker walks this chain to find the version a program asks for; a chain that
leaves the section, loops, or has wrong counts makes it (and readelf, objdump, ld)
misread the versions or read past the section.

Fix: relink (the version script defines these), or rebuild the section with the tool
that edited it.`,
  *check(elf) {
    const sections = versionSections(elf);
    const section = sections.verdef;
    if (!section) return;
    const list = verdefList(elf, sections);
    const seen = new Set<number>();
    for (const entry of list.entries) yield* entryReports(elf, section, entry, seen);
    const report = versionListReport(section, list, 'verdef', (entry) => entry.vd_next);
    if (report) yield report;
  },
};
