// Every rule, in the order they run. Adding a rule means adding a module in
// checks/ and a line here; docs/rules/ and the tests pick it up from here.
import type { Rule } from './rule.js';
import { compareIds, type RuleMeta } from '../model/finding.js';
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
import { sectionZeroNull } from './checks/section-zero-null.js';
import { sectionMisaligned } from './checks/section-misaligned.js';
import { sectionsOverlap } from './checks/sections-overlap.js';
import { strtabTerminated } from './checks/strtab-terminated.js';
import { sectionLink } from './checks/section-link.js';
import { sectionEntsize } from './checks/section-entsize.js';
import { sectionSpecialType } from './checks/section-special-type.js';
import { sectionOutsideSegment } from './checks/section-outside-segment.js';
import { segmentOutsideLoad } from './checks/segment-outside-load.js';
import { segmentSectionMismatch } from './checks/segment-section-mismatch.js';
import { gnuPropertyInNote } from './checks/gnu-property-in-note.js';
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
import { sectionFlags } from './checks/section-flags.js';
import { symbolName } from './checks/symbol-name.js';
import { symbolSection } from './checks/symbol-section.js';
import { symbolValueInSection } from './checks/symbol-value-in-section.js';
import { symbolOrder } from './checks/symbol-order.js';
import { symbolInfo } from './checks/symbol-info.js';
import { dynsymDynamicMatch } from './checks/dynsym-dynamic-match.js';
import { versymCount } from './checks/versym-count.js';
import { versionIndexRule } from './checks/version-index.js';
import { versionDefinitions } from './checks/version-definitions.js';
import { versionNeeds } from './checks/version-needs.js';
import { versionHash } from './checks/version-hash.js';
import { hardeningPie } from './checks/hardening-pie.js';
import { hardeningRelro } from './checks/hardening-relro.js';
import { hardeningBindNow } from './checks/hardening-bind-now.js';
import { hardeningNx } from './checks/hardening-nx.js';
import { hardeningCanary } from './checks/hardening-canary.js';
import { hardeningFortify } from './checks/hardening-fortify.js';
import { hardeningTextrel } from './checks/hardening-textrel.js';
import { hardeningRpath } from './checks/hardening-rpath.js';
import { hardeningRunpath } from './checks/hardening-runpath.js';
import { hardeningCet } from './checks/hardening-cet.js';
import { hardeningBti } from './checks/hardening-bti.js';
import { dynamicNull } from './checks/dynamic-null.js';
import { dynamicAddress } from './checks/dynamic-address.js';
import { dynamicSize } from './checks/dynamic-size.js';
import { dynamicRequired } from './checks/dynamic-required.js';
import { dynamicStringRule } from './checks/dynamic-string.js';
import { dynamicFlags } from './checks/dynamic-flags.js';
import { dynamicDuplicate } from './checks/dynamic-duplicate.js';
import { interpNeeded } from './checks/interp-needed.js';
import { hashTable } from './checks/hash-table.js';
import { gnuHashTable } from './checks/gnu-hash-table.js';
import { relocSymbol } from './checks/reloc-symbol.js';
import { relocOffset } from './checks/reloc-offset.js';
import { relocType } from './checks/reloc-type.js';
import { relrTable } from './checks/relr-table.js';
import { noteBounds } from './checks/note-bounds.js';
import { noteAlignment } from './checks/note-alignment.js';
import { noteGnuBuildId } from './checks/note-gnu-build-id.js';
import { noteGnuDescriptor } from './checks/note-gnu-descriptor.js';
import { noteGnuProperty } from './checks/note-gnu-property.js';
import { noteUnknownType } from './checks/note-unknown-type.js';
import { groupSection } from './checks/group-section.js';
import { compressedSection } from './checks/compressed-section.js';
import { relocatableStructure } from './checks/relocatable-structure.js';
import { coreNotes } from './checks/core-notes.js';
import { coreTruncated } from './checks/core-truncated.js';

export const RULES: readonly Rule[] = [
  identClass, identData, identVersion, identOsabi, identPadding,
  headerTruncated, headerType, headerMachine, headerMachineClass, machineMismatch, headerVersion, headerEhsize,
  headerPhentsize, headerShentsize, headerShstrndx,
  phdrTableBounds, phdrCount, shdrTableBounds, sectionInFile, sectionNameInStrtab, sectionAlignInvalid,
  sectionZeroNull, sectionMisaligned, sectionsOverlap, strtabTerminated, sectionLink, sectionEntsize, sectionSpecialType, sectionFlags,
  sectionOutsideSegment, segmentOutsideLoad, segmentSectionMismatch, gnuPropertyInNote,
  noLoadSegment, loadSegmentInFile, segmentFileszExceedsMemsz, segmentBssNotWritable,
  segmentAlignInvalid, segmentPageCongruence, segmentAlignCongruence,
  loadSegmentsSorted, loadSegmentsOverlap, segmentAddressRange, segmentBelowMmapMinAddr, segmentOvercommit, piePlacement,
  interpCount, interpOrder, interpSize, interpInFile, interpNul, interpEmpty, phdrSegmentCovered,
  wxSegment, execStack,
  dynamicNull, dynamicAddress, dynamicSize, dynamicRequired, dynamicStringRule, dynamicFlags, dynamicDuplicate, interpNeeded,
  hashTable, gnuHashTable, relocSymbol, relocOffset, relocType, relrTable,
  hardeningPie, hardeningRelro, hardeningBindNow, hardeningNx, hardeningCanary, hardeningFortify,
  hardeningTextrel, hardeningRpath, hardeningRunpath, hardeningCet, hardeningBti,
  entryZero, entryUserSpace, entryInLoadSegment, entryExecutable, entryFileBacked,
  symbolName, symbolSection, symbolValueInSection, symbolOrder, symbolInfo, dynsymDynamicMatch,
  versymCount, versionIndexRule, versionDefinitions, versionNeeds, versionHash,
  noteBounds, noteAlignment, noteGnuBuildId, noteGnuDescriptor, noteGnuProperty, noteUnknownType,
  groupSection, compressedSection, relocatableStructure, coreNotes, coreTruncated,
  parseDamage,
];

/** What runs when nothing says otherwise: every rule but the opt-in ones (the `recommended` profile). */
export const RECOMMENDED_RULES: readonly Rule[] = RULES.filter((rule) => rule.optIn !== true);

/** Every documented id: the rules and the engine's own findings. */
export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES, ...BUILTIN_METAS]
  .map(({ id, category, severity, summary, explanation, optIn }) => ({ id, category, severity, summary, explanation, ...(optIn ? { optIn } : {}) }))
  .sort((a, b) => compareIds(a.id, b.id));

export function findRuleMeta(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((meta) => meta.id === id);
}
