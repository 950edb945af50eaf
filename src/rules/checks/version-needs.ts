import type { Rule, Report } from '../rule.js';
import type { ElfFile, SectionHeader } from '../../model/elf.js';
import type { VersionNeed } from '../../model/contents.js';
import { DT_NEEDED, VER_FLG_INFO, VER_FLG_WEAK, VER_NDX_GLOBAL, VER_NEED_CURRENT } from '../../model/constants.js';
import { dynamicEntries, dynamicString } from '../../model/dynamic.js';
import { hex } from '../../model/hex.js';
import { sectionLabel } from '../facts.js';
import { chainCountProblem, linkedString, unreadableName, verdefList, verneedList, versionListReport, versionSections } from '../symbol-facts.js';

const KNOWN_FLAGS = VER_FLG_WEAK | VER_FLG_INFO;

/** The DT_NEEDED names of the file's dynamic table, when every one of them can be read. */
function neededNames(elf: ElfFile): ReadonlySet<string> | undefined {
  const names = dynamicEntries(elf, DT_NEEDED).map((entry) => dynamicString(elf, entry.d_val));
  return names.every((name): name is string => name !== undefined) ? new Set(names) : undefined;
}

function* entryReports(elf: ElfFile, section: SectionHeader, need: VersionNeed, taken: Set<number>, needed: ReadonlySet<string> | undefined): Generator<Report> {
  const at = `sec[${section.index}].verneed[${need.index}]` as const;
  const label = `version need ${need.index} of ${sectionLabel(section)}${need.file ? ` (${need.file})` : ''}`;
  if (need.vn_version !== VER_NEED_CURRENT) {
    yield { field: `${at}.vn_version`, message: `${label} has vn_version ${need.vn_version}; the only revision is 1 (VER_NEED_CURRENT), and the dynamic linker refuses to load the file with any other: relink`, actual: need.vn_version, expected: '1' };
  }
  const file = unreadableName(linkedString(elf, section, need.vn_file));
  if (file !== undefined) yield { field: `${at}.vn_file`, message: `the file name of ${label} (vn_file ${need.vn_file}) ${file}; relink`, actual: need.vn_file };
  else if (needed && need.file !== undefined && !needed.has(need.file)) {
    yield {
      field: `${at}.vn_file`,
      message: `${label} names ${need.file}, which is not among the DT_NEEDED libraries of the dynamic table; the dynamic linker checks needed versions only against the libraries it loads: add the library or drop its versions (relink)`,
      actual: need.file,
      expected: [...needed].join(', ') || 'a DT_NEEDED name',
    };
  }
  const chain = chainCountProblem(need.vn_cnt, need.aux.length, need.aux.at(-1)?.vna_next);
  if (chain !== undefined) {
    yield { field: `${at}.vn_cnt`, message: `${label} has vn_cnt ${need.vn_cnt}, but its chain of needed versions (vn_aux, vna_next) ${chain}; relink`, actual: need.vn_cnt };
  }
  for (const [position, aux] of need.aux.entries()) {
    const where = `${at}.aux[${position}]` as const;
    const what = `needed version ${position}${aux.name ? ` (${aux.name})` : ''} of ${label}`;
    const name = unreadableName(linkedString(elf, section, aux.vna_name));
    if (name !== undefined) yield { field: `${where}.vna_name`, message: `the name of ${what} (vna_name ${aux.vna_name}) ${name}; relink`, actual: aux.vna_name };
    if ((aux.vna_flags & ~KNOWN_FLAGS) !== 0) {
      yield { field: `${where}.vna_flags`, message: `${what} has vna_flags ${hex(aux.vna_flags)}, with bits other than VER_FLG_WEAK and VER_FLG_INFO; relink`, actual: aux.vna_flags, expected: 'a combination of 0x2 and 0x4' };
    }
    const index = aux.vna_other;
    if (index <= VER_NDX_GLOBAL || taken.has(index)) {
      yield {
        field: `${where}.vna_other`,
        message: `${what} has vna_other ${index}, ${index <= VER_NDX_GLOBAL ? 'a reserved index (0 local, 1 global)' : 'an index another definition or needed version already has'}; each needed version needs its own index of 2 or more, the one .gnu.version uses for its symbols: relink`,
        actual: index,
        expected: 'a unique index of 2 or more',
      };
    }
    taken.add(index);
  }
}

export const versionNeeds: Rule = {
  id: 'version-needs',
  category: 'gabi',
  severity: 'warning',
  summary: 'The version needs (.gnu.version_r) must be a well-formed list',
  explanation: `.gnu.version_r (SHT_GNU_verneed) lists, per shared object the file depends on, the
versions it needs: a chain of Elf_Verneed entries (vn_next, 0 ending it), each with
vn_version 1, the file name vn_file (one of the DT_NEEDED names of the dynamic table) and a chain of vn_cnt Elf_Vernaux
entries (vn_aux, then vna_next), each a needed version: its name vna_name, its ELF hash
vna_hash (version-hash checks it), flags (VER_FLG_WEAK, VER_FLG_INFO) and vna_other, the
version index .gnu.version uses for the symbols bound to that version: 2 or more, and
different from every other needed version's and every version definition's vd_ndx.
sh_info is the number of Elf_Verneed entries (GNU's convention, which readelf uses).

The dynamic linker walks this chain at startup and checks every needed version against
the libraries: a vn_version other than 1 stops the program ("unsupported version of
Verneed record"), and broken chains, names or indexes make it (and readelf, objdump, ld)
check the wrong versions or read past the section.

Fix: relink, or rebuild the section with the tool that edited it.`,
  *check(elf) {
    const sections = versionSections(elf);
    const section = sections.verneed;
    if (!section) return;
    const list = verneedList(elf, sections);
    const taken = new Set<number>(verdefList(elf, sections).entries.map((entry) => entry.vd_ndx));
    // Without a dynamic table (a debug file, a damaged one) there is nothing to compare the file names with.
    const needed = elf.dynamic ? neededNames(elf) : undefined;
    for (const need of list.entries) yield* entryReports(elf, section, need, taken, needed);
    const report = versionListReport(section, list, 'verneed', (need) => need.vn_next);
    if (report) yield report;
  },
};
