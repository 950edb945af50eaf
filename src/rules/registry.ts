// Every rule, in the order they run. Adding a rule means adding a module in
// checks/ and a line here; docs/rules/ and the tests pick it up from here.
import type { Rule } from './rule.js';
import type { RuleMeta } from '../model/finding.js';
import { BUILTIN_METAS } from './builtin.js';
import { identClass } from './checks/ident-class.js';
import { identData } from './checks/ident-data.js';
import { identVersion } from './checks/ident-version.js';
import { identOsabi } from './checks/ident-osabi.js';
import { identPadding } from './checks/ident-padding.js';
import { headerTruncated } from './checks/header-truncated.js';
import { headerType } from './checks/header-type.js';
import { headerMachine } from './checks/header-machine.js';
import { headerMachineClass } from './checks/header-machine-class.js';
import { machineMismatch } from './checks/machine-mismatch.js';
import { headerVersion } from './checks/header-version.js';
import { headerEhsize } from './checks/header-ehsize.js';
import { headerPhentsize } from './checks/header-phentsize.js';
import { headerShentsize } from './checks/header-shentsize.js';
import { headerShstrndx } from './checks/header-shstrndx.js';
import { phdrTableBounds } from './checks/phdr-table-bounds.js';
import { phdrCount } from './checks/phdr-count.js';
import { shdrTableBounds } from './checks/shdr-table-bounds.js';
import { sectionInFile } from './checks/section-in-file.js';
import { sectionNameInStrtab } from './checks/section-name-in-strtab.js';
import { sectionAlignInvalid } from './checks/section-align-invalid.js';
import { noLoadSegment } from './checks/no-load-segment.js';
import { loadSegmentInFile } from './checks/load-segment-in-file.js';
import { segmentFileszExceedsMemsz } from './checks/segment-filesz-exceeds-memsz.js';
import { segmentBssNotWritable } from './checks/segment-bss-not-writable.js';
import { segmentAlignInvalid } from './checks/segment-align-invalid.js';
import { segmentPageCongruence } from './checks/segment-page-congruence.js';
import { segmentAlignCongruence } from './checks/segment-align-congruence.js';
import { loadSegmentsSorted } from './checks/load-segments-sorted.js';
import { loadSegmentsOverlap } from './checks/load-segments-overlap.js';
import { segmentAddressRange } from './checks/segment-address-range.js';
import { segmentBelowMmapMinAddr } from './checks/segment-below-mmap-min-addr.js';
import { segmentOvercommit } from './checks/segment-overcommit.js';
import { piePlacement } from './checks/pie-placement.js';
import { interpCount } from './checks/interp-count.js';
import { interpOrder } from './checks/interp-order.js';
import { interpSize } from './checks/interp-size.js';
import { interpInFile } from './checks/interp-in-file.js';
import { interpNul } from './checks/interp-nul.js';
import { interpEmpty } from './checks/interp-empty.js';
import { phdrSegmentCovered } from './checks/phdr-segment-covered.js';
import { wxSegment } from './checks/wx-segment.js';
import { execStack } from './checks/exec-stack.js';
import { entryZero } from './checks/entry-zero.js';
import { entryUserSpace } from './checks/entry-user-space.js';
import { entryInLoadSegment } from './checks/entry-in-load-segment.js';
import { entryExecutable } from './checks/entry-executable.js';
import { entryFileBacked } from './checks/entry-file-backed.js';
import { parseDamage } from './checks/parse-damage.js';

export const RULES: readonly Rule[] = [
  identClass, identData, identVersion, identOsabi, identPadding,
  headerTruncated, headerType, headerMachine, headerMachineClass, machineMismatch, headerVersion, headerEhsize,
  headerPhentsize, headerShentsize, headerShstrndx,
  phdrTableBounds, phdrCount, shdrTableBounds, sectionInFile, sectionNameInStrtab, sectionAlignInvalid,
  noLoadSegment, loadSegmentInFile, segmentFileszExceedsMemsz, segmentBssNotWritable,
  segmentAlignInvalid, segmentPageCongruence, segmentAlignCongruence,
  loadSegmentsSorted, loadSegmentsOverlap, segmentAddressRange, segmentBelowMmapMinAddr, segmentOvercommit, piePlacement,
  interpCount, interpOrder, interpSize, interpInFile, interpNul, interpEmpty, phdrSegmentCovered,
  wxSegment, execStack,
  entryZero, entryUserSpace, entryInLoadSegment, entryExecutable, entryFileBacked,
  parseDamage,
];

/** Every documented id: the rules and the engine's own findings. */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES, ...BUILTIN_METAS]
  .map(({ id, category, severity, summary, explanation }) => ({ id, category, severity, summary, explanation }))
  .sort((a, b) => a.id.localeCompare(b.id));

export function findRuleMeta(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((meta) => meta.id === id);
}
