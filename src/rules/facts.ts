// Small derived facts that several rules share.
import type { ElfFile, FileHeader, ProgramHeader, SectionHeader } from '../model/elf.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import type { RuleContext } from './rule.js';
import type { FieldPath, PhdrField, ShdrField } from '../model/layout.js';
import { ET_DYN, ET_EXEC, PF_X, SHF_ALLOC, SHT_NOBITS, SHT_NULL } from '../model/constants.js';
import { isSeparateDebugFile } from '../model/kind.js';
import { firstInterpreter, loadSegments, pageDown } from '../model/segments.js';
import type { Table } from '../model/table.js';

export { loadSegments, pageDown };

/** A file with its header read; the rules that need one skip everything else. */
export type ElfWithHeader = ElfFile & { readonly header: FileHeader };

/**
 * A fact that several rules read, computed once per file (per view: a
 * kernel's view of the file is another ElfFile) and forgotten with it.
 */
export function perFile<Fact>(compute: (elf: ElfFile) => Fact): (elf: ElfFile) => Fact {
  const computed = new WeakMap<ElfFile, Fact>();
  return (elf) => {
    if (computed.has(elf)) return computed.get(elf) as Fact;
    const fact = compute(elf);
    computed.set(elf, fact);
    return fact;
  };
}

/**
 * The entries of a table that a rule's column test flags, decoded for the
 * rule's own check: a rule that looks at every entry of a table of hundreds of
 * thousands tests the columns first and makes no object for a sound entry.
 * `flag(run, rows)` pushes the rows of `run` the check must see (every entry it
 * could report), in its own loop: a call per row through this shared function
 * would be a call V8 cannot inline. Bytes that cannot be read again end the
 * walk, as they end an iteration of the table.
 */
export function* flaggedEntries<Entry, Run extends { readonly first: number; readonly count: number }>(
  table: Table<Entry> & { runs(): Iterable<Run> }, flag: (run: Run, rows: number[]) => void,
): Generator<Entry> {
  const rows: number[] = [];
  for (const run of table.runs()) {
    rows.length = 0;
    flag(run, rows);
    for (const row of rows) {
      const entry = table.at(run.first + row);
      if (entry === undefined) return;
      yield entry;
    }
  }
}

/** ET_EXEC and ET_DYN are the types execve accepts. */
export function isExecutableType(elf: ElfFile): elf is ElfWithHeader {
  const type = elf.header?.e_type;
  return type === ET_EXEC || type === ET_DYN;
}

export function phdrField(phdr: ProgramHeader, field: PhdrField): FieldPath {
  return `phdr[${phdr.index}].${field}`;
}

export function memoryEnd(phdr: ProgramHeader): bigint {
  return phdr.p_vaddr + phdr.p_memsz;
}

export function containsAddress(phdr: ProgramHeader, address: bigint): boolean {
  return address >= phdr.p_vaddr && address < memoryEnd(phdr);
}

/** The last PT_LOAD whose [p_vaddr, p_vaddr + p_memsz) holds `address` (the gABI's view). */
export function segmentContaining(elf: ElfFile, address: bigint): ProgramHeader | undefined {
  return loadSegments(elf).filter((phdr) => containsAddress(phdr, address)).at(-1);
}

/**
 * The PT_LOAD whose pages the kernel leaves at `address`: mmap works in whole
 * pages and later MAP_FIXED mappings replace earlier ones, so this can be a
 * segment that does not contain the address byte-wise.
 */
export function segmentMappingPage(elf: ElfFile, address: bigint, pageSize: bigint): ProgramHeader | undefined {
  return loadSegments(elf)
    .filter((phdr) => phdr.p_memsz > 0n && address >= pageDown(phdr.p_vaddr, pageSize) && address < pageDown(memoryEnd(phdr) + pageSize - 1n, pageSize))
    .at(-1);
}

export function isExecutableSegment(phdr: ProgramHeader): boolean {
  return (phdr.p_flags & PF_X) !== 0;
}

/** True when every program header the file declares was read. */
export function programTableComplete(elf: ElfFile): boolean {
  return elf.phnum > 0 && elf.programHeaders.length === elf.phnum;
}

/**
 * Entry checks apply to ET_EXEC, and to ET_DYN files that name an entry
 * (shared libraries use 0), once the segments are known: an unreadable table
 * or a file without PT_LOAD is reported by other rules.
 */
export function hasMeaningfulEntry(elf: ElfFile): elf is ElfWithHeader {
  if (!isExecutableType(elf) || !programTableComplete(elf) || loadSegments(elf).length === 0) return false;
  // A program with an interpreter is entered at e_entry (plus the load bias) even when that is 0.
  return elf.header.e_type === ET_EXEC || elf.header.e_entry !== 0n || firstInterpreter(elf) !== undefined;
}

/**
 * The loader model's verdict when it is certain (whatever address
 * randomisation does) and names `ruleId` as its cause; undefined otherwise.
 * For the rules whose answer depends on where the kernel places an ET_DYN image.
 */
export function loaderBlames(context: RuleContext, ruleId: string): LoaderVerdict | undefined {
  const prediction = context.prediction();
  return !prediction.uncertain && prediction.because.includes(ruleId) ? prediction : undefined;
}

export function shdrField(section: SectionHeader, field: ShdrField): FieldPath {
  return `shdr[${section.index}].${field}`;
}

/** "section 5 (.data)", or "section 5" when the name cannot be read. */
export function sectionLabel(section: SectionHeader): string {
  return `section ${section.index}${section.name ? ` (${section.name})` : ''}`;
}

export function isAllocated(section: SectionHeader): boolean {
  return (section.sh_flags & SHF_ALLOC) !== 0n;
}

/** Sections that occupy sh_size bytes of the file at sh_offset. */
export function hasFileBytes(section: SectionHeader): boolean {
  return section.sh_type !== SHT_NOBITS && section.sh_type !== SHT_NULL;
}

/**
 * Files whose sections and segments describe one memory image: linked
 * executables and shared objects with PT_LOADs (ET_REL addresses are still 0),
 * except separate debug files, whose headers describe an image the file does not hold.
 */
export function hasLinkedImage(elf: ElfFile): elf is ElfWithHeader {
  return isExecutableType(elf) && loadSegments(elf).length > 0 && !isSeparateDebugFile(elf);
}

/**
 * The PT_LOAD that holds [address, address + size) in memory and, for
 * `fileSize` bytes from its start, in its file image at `offset` with the
 * segment's own offset-to-address mapping (readelf's section-to-segment test).
 */
export function loadHolding(elf: ElfFile, address: bigint, size: bigint, offset: bigint, fileSize: bigint): ProgramHeader | undefined {
  return loadSegments(elf).find((load) => address >= load.p_vaddr && address + size <= memoryEnd(load)
    && (fileSize === 0n || (offset - load.p_offset === address - load.p_vaddr && address + fileSize <= load.p_vaddr + load.p_filesz)));
}
