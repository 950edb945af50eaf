import type { Rule, Report } from '../rule.js';
import type { ElfFile, ProgramHeader } from '../../model/elf.js';
import type { Note } from '../../model/contents.js';
import { ET_CORE, NT_AUXV, NT_FILE, NT_PRPSINFO, NT_PRSTATUS, PT_NOTE } from '../../model/constants.js';
import { coreNoteSizesFor, type CoreNoteSizes } from '../../model/arch/index.js';
import { loadSegments, memoryEnd } from '../facts.js';
import { noteContainers, noteField, noteLabel, noteSegments, readWord, type NoteContainer } from '../notes.js';

interface Located {
  readonly container: NoteContainer;
  readonly note: Note;
}

/** True when the PT_LOADs together cover [start, end) in memory. */
function covered(loads: readonly ProgramHeader[], start: bigint, end: bigint): boolean {
  let at = start;
  for (let progress = true; at < end && progress;) {
    progress = false;
    for (const load of loads) {
      if (at >= load.p_vaddr && at < memoryEnd(load)) {
        at = memoryEnd(load);
        progress = true;
      }
    }
  }
  return at >= end;
}

/** NT_FILE: count and page size, count (start, end, file offset in pages) words, then count NUL-terminated paths. */
/** `loads` undefined: the dump may leave mappings out, so the ranges are not matched with segments. */
function fileNoteProblem(elf: ElfFile, desc: Uint8Array, loads: readonly ProgramHeader[] | undefined): string | undefined {
  const word = elf.layout.wordSize;
  if (desc.length < 2 * word) return `its ${desc.length} bytes are too few for the count and the page size`;
  const count = readWord(elf, desc, 0);
  const pageSize = readWord(elf, desc, word);
  const namesAt = BigInt(2 * word) + count * BigInt(3 * word);
  if (namesAt > BigInt(desc.length)) return `its count ${count} needs ${namesAt} bytes of ranges, more than its ${desc.length} bytes`;
  if (pageSize === 0n || (pageSize & (pageSize - 1n)) !== 0n) return `its page size ${pageSize} is not a power of two`;
  const names = desc.subarray(Number(namesAt));
  const nuls = names.reduce((total, byte) => total + (byte === 0 ? 1 : 0), 0);
  if (BigInt(nuls) < count || (names.length > 0 && names[names.length - 1] !== 0)) return `it lists ${count} ranges but not ${count} NUL-terminated paths after them`;
  for (let index = 0; BigInt(index) < count; index += 1) {
    const at = 2 * word + index * 3 * word;
    const start = readWord(elf, desc, at);
    const end = readWord(elf, desc, at + word);
    if (end < start) return `range ${index} ends (0x${end.toString(16)}) before it starts (0x${start.toString(16)})`;
    if (loads !== undefined && !covered(loads, start, end)) return `range ${index} [0x${start.toString(16)}, 0x${end.toString(16)}) is not inside the PT_LOAD segments`;
  }
  return undefined;
}

/** NT_AUXV: (a_type, a_val) word pairs ending with AT_NULL. */
function auxvProblem(elf: ElfFile, desc: Uint8Array): string | undefined {
  const pair = 2 * elf.layout.wordSize;
  if (desc.length === 0 || desc.length % pair !== 0) return `its ${desc.length} bytes are not a whole number of ${pair}-byte (a_type, a_val) pairs`;
  return readWord(elf, desc, desc.length - pair) === 0n ? undefined : 'its last entry is not AT_NULL';
}

/** NT_PRFPREG (the gABI's NT_FPREGSET): the floating-point registers of a thread. */
const NT_PRFPREG = 2;

/** The notes whose descriptor is one structure of a size the architecture fixes, with that structure. */
const SIZED_NOTES: readonly { readonly type: number; readonly name: string; readonly struct: string; readonly sizes: (sizes: CoreNoteSizes) => readonly number[] | undefined }[] = [
  { type: NT_PRSTATUS, name: 'NT_PRSTATUS', struct: 'struct elf_prstatus', sizes: (sizes) => sizes.prstatus },
  { type: NT_PRPSINFO, name: 'NT_PRPSINFO', struct: 'struct elf_prpsinfo', sizes: (sizes) => sizes.prpsinfo },
  { type: NT_PRFPREG, name: 'NT_PRFPREG', struct: 'the floating-point register set', sizes: (sizes) => sizes.fpregset },
];

/** Notes whose descriptor size is not the one the kernel writes for this machine and class (from the architecture profile). */
function* sizeReports(elf: ElfFile, found: readonly Located[]): Generator<Report> {
  const machine = elf.header?.e_machine;
  const sizes = machine === undefined ? undefined : coreNoteSizesFor(machine, elf.container.elfClass);
  if (!sizes) return;
  for (const { container, note } of found) {
    const kind = SIZED_NOTES.find((each) => each.type === note.n_type);
    const expected = kind && kind.sizes(sizes);
    // A note cut short is note-bounds' finding.
    if (!kind || !expected || note.problem !== undefined || expected.includes(note.n_descsz)) continue;
    const wanted = expected.join(' or ');
    yield {
      field: noteField(container, note, 'n_descsz'),
      message: `${noteLabel(container, note)}, an ${kind.name}, has ${note.n_descsz} bytes, but ${kind.struct} is ${wanted} bytes for this machine and class, so debuggers misread it; take the dump again (or write the note with the kernel's structure)`,
      actual: note.n_descsz,
      expected: `${wanted} (${sizes.source})`,
    };
  }
}

function* wellFormed(found: readonly Located[], type: number, what: string, problem: (desc: Uint8Array) => string | undefined): Generator<Report> {
  const ofType = found.filter(({ note }) => note.n_type === type);
  for (const [index, { container, note }] of ofType.entries()) {
    const fault = index > 0 ? `is a second ${what}; a core dump has one` : problem(note.desc);
    if (fault === undefined) continue;
    yield {
      field: noteField(container, note, index > 0 ? 'n_type' : 'desc'),
      message: `${noteLabel(container, note)}, the ${what}: ${fault}; debuggers misread the dump, so regenerate it`,
      actual: note.n_descsz,
      expected: `a well-formed ${what}`,
    };
  }
}

export const coreNotes: Rule = {
  id: 'core-notes',
  category: 'gabi',
  severity: 'warning',
  summary: 'A core dump has a PT_NOTE with NT_PRSTATUS and well-formed process notes of its machine\'s sizes',
  explanation: `A core dump (ET_CORE) describes the process in the notes of its PT_NOTE segment (owner "CORE",
plus "LINUX" register sets): one NT_PRSTATUS per thread (the signal and general registers),
one NT_PRPSINFO (the command and state), one NT_AUXV (the auxiliary vector: word pairs ending
with AT_NULL) and one NT_FILE (the mapped files: a count, the page size, then count triples
of start, end and file offset, then count NUL-terminated paths; in a kernel dump every range
lies in the dump's PT_LOAD segments, as the kernel writes one for each mapping; gdb's
generate-core-file, whose dumps have section headers, leaves unmodified read-only mappings out,
so there the ranges are not matched with segments). gdb, lldb, eu-stack and systemd-coredump read the threads, the
libraries and the build ids through these notes: without NT_PRSTATUS there is no thread to
show, and a malformed NT_FILE or NT_AUXV loses the shared libraries.

NT_PRSTATUS, NT_PRPSINFO and NT_PRFPREG (NT_FPREGSET) each hold one kernel structure
whose size the architecture fixes: struct elf_prstatus (its register set is ELF_NGREG
registers), struct elf_prpsinfo and the floating-point register set. elf-lint's
architecture profiles list those sizes per machine and class, from the kernel headers
(336, 136 and 512 bytes on x86-64; 144, 124 and 108 on i386; 296 for an x32 NT_PRSTATUS;
392, 136 and 528 on AArch64; MIPS ELF32 dumps may be o32 (256) or n32 (440)); a note of
another size was written for another machine or by a broken tool, and readers that
check the size (gdb, bfd) drop the thread's registers. Machines no profile describes are
not checked.

Fix: the dump was damaged or written by a broken tool; take it again (the kernel's, or gdb's
generate-core-file).`,
  *check(elf) {
    if (elf.header?.e_type !== ET_CORE) return;
    if (!elf.programHeaders.some((phdr) => phdr.p_type === PT_NOTE)) {
      yield { field: 'e_phnum', message: 'this core dump has no PT_NOTE segment, so it records no thread, registers or mapped files; take the dump again', actual: elf.phnum, expected: 'a PT_NOTE segment' };
      return;
    }
    // Notes lost past the end of a cut-short dump are core-truncated's finding.
    if (noteSegments(elf).length < elf.programHeaders.filter((phdr) => phdr.p_type === PT_NOTE && phdr.p_filesz > 0n).length) return;
    const found: Located[] = noteContainers(elf).flatMap((container) => container.notes.filter((note) => note.name === 'CORE').map((note) => ({ container, note })));
    if (!found.some(({ note }) => note.n_type === NT_PRSTATUS)) {
      const phdr = elf.programHeaders.find((header) => header.p_type === PT_NOTE)!;
      yield { field: `phdr[${phdr.index}].p_type`, message: 'this core dump has no NT_PRSTATUS note, so it records no thread and no registers; take the dump again', actual: 'no NT_PRSTATUS', expected: 'at least one NT_PRSTATUS (owner CORE)' };
    }
    // The kernel writes a PT_LOAD for every mapping (p_filesz 0 for what it skips); gdb's
    // generate-core-file (a bfd core, with section headers) leaves unmodified read-only mappings out.
    const loads = elf.sectionHeaders.length === 0 ? loadSegments(elf) : undefined;
    yield* sizeReports(elf, found);
    yield* wellFormed(found, NT_PRPSINFO, 'NT_PRPSINFO', () => undefined);
    yield* wellFormed(found, NT_AUXV, 'NT_AUXV', (desc) => auxvProblem(elf, desc));
    yield* wellFormed(found, NT_FILE, 'NT_FILE', (desc) => fileNoteProblem(elf, desc, loads));
  },
};
