// The loader model: what execve on Linux does with a file, step by step in
// the order of fs/binfmt_elf.c (load_elf_binary) and fs/exec.c. The target
// kernel is an architecture profile: its ELF handlers are tried in order, each
// reading the file with its own class and the kernel's byte order, and an
// ENOEXEC before the point of no return passes the file to the next one
// (search_binary_handler). Each failure names the rules whose findings explain it.
import type { ElfFile, FileHeader, ParsedFile, ProgramHeader } from '../model/elf.js';
import { DEFAULT_ASSUMPTIONS, kernelBefore, resolveAssumptions, type LoaderAssumptions, type ResolvedAssumptions } from '../model/assumptions.js';
import { archByName, archForFile, type ArchProfile, type LoaderProfile } from '../model/arch/index.js';
import {
  ELF_MACHINE_NAMES, ELFDATA2LSB, ELFDATA2MSB, ET_DYN, ET_EXEC, NT_GNU_PROPERTY_TYPE_0, PF_R, PF_W, PF_X, PT_GNU_PROPERTY, PT_GNU_STACK, nameOr,
} from '../model/constants.js';
import { hex } from '../model/hex.js';
import { classify } from '../model/kind.js';
import {
  firstInterpreter, INTERP_MAX_SIZE, interpreterSizeValid, loadSegments, MAX_PHDR_TABLE_BYTES, maximumAlignment, pageDown, pageUp, totalMappingSize,
} from '../model/segments.js';
import { verdict, type LoaderVerdict } from '../model/loader-verdict.js';
import { ProcessImage } from './memory.js';
import { firstInstructionOutcome, type FirstInstruction } from './first-instruction.js';

/** What opening the interpreter named by PT_INTERP gives, on the system that runs the file. */
export type InterpreterStatus =
  | { readonly ok: true }
  | { readonly ok: false; readonly errno: string; readonly killed?: boolean; readonly reason: string };

export interface PredictOptions {
  readonly assumptions?: LoaderAssumptions;
  /** Checks the interpreter path; by default it is assumed to exist and be a valid dynamic linker. */
  readonly interpreter?: (path: string) => InterpreterStatus;
  /**
   * `not-applicable` (default): files that are not programs (shared libraries, debug files) are not predicted;
   * `predict`: say what execve would do with them anyway (the fuzzer executes such mutants).
   */
  readonly sharedObjects?: 'not-applicable' | 'predict';
}

const MAX_FILE_OFFSET = (1n << 63n) - 1n;
/** Where the stack pointer starts, nominally: just under the top of user space. */
const STACK_SPAN = 0x21000n;

class Stop {
  constructor(readonly result: LoaderVerdict) {}
}

function fail(kind: 'exec-error' | 'exec-killed', errno: string, because: readonly string[], reason: string): never {
  throw new Stop(verdict(kind, reason, { errno, because, ...(kind === 'exec-killed' ? { signal: 'SIGSEGV' } : {}) }));
}

type ViewWithHeader = ElfFile & { readonly header: FileHeader };

/** One ELF handler of the target kernel and the file as it reads it. */
export interface Handler {
  readonly arch: ArchProfile;
  readonly loader: LoaderProfile;
  /** False for a handler the profile has but the target kernel is assumed to lack. */
  readonly enabled: boolean;
  readonly view: ViewWithHeader;
  readonly assumptions: ResolvedAssumptions;
}

/** The handler that ends up with the file, and what it decided before the point of no return. */
export interface HandlerChoice extends Handler {
  /** Set when execve ends before the point of no return. */
  readonly outcome?: LoaderVerdict;
  /** True when the handler takes the file as its format (its e_type and e_machine checks passed). */
  readonly accepted: boolean;
}

interface Context {
  readonly elf: ViewWithHeader;
  readonly loader: LoaderProfile;
  readonly assumptions: ResolvedAssumptions;
  readonly page: bigint;
  readonly taskSize: bigint;
  /** MAX_LFS_FILESIZE of the kernel: 2^63 - 1, or 2^32 - 1 pages on a 32-bit kernel. */
  readonly maxFileSize: bigint;
  /** What the verdict turned out to depend on (shared by the placements tried). */
  readonly doubts: Set<string>;
  /** READ_IMPLIES_EXEC: readable mappings and the bss are executable too. */
  readonly readImpliesExec: boolean;
  /** How far below TASK_SIZE - 128 MiB the mmap base of a static PIE can start. */
  readonly stackSlack: bigint;
  /** The kernel's unsigned long: 64 bits, or 32 on a 32-bit kernel. */
  readonly wrap: (value: bigint) => bigint;
  readonly image: ProcessImage;
  /** The profile's fetchFault order, for the images made from this context. */
  readonly fetchOrder?: 'fault-in-first' | 'permission-first';
  mapped: bigint;
}

function machineText(machine: number): string {
  return `EM_${nameOr(ELF_MACHINE_NAMES, machine)}`;
}

/** The architecture that runs the file: the one named in the assumptions, or the file's own. */
export function targetArch(file: ElfFile, assumptions: LoaderAssumptions): ArchProfile | undefined {
  if (assumptions.machine !== undefined) return archByName(assumptions.machine);
  return file.header ? archForFile(file.ident, file.header)?.arch : undefined;
}

function handlersOf(file: ElfFile, arch: ArchProfile, base: LoaderAssumptions): Handler[] {
  const handlers: Handler[] = [];
  for (const loader of arch.loaders) {
    const view = file.viewAs({ elfClass: loader.elfClass, byteOrder: arch.byteOrder });
    if (!view.header) continue;
    const enabled = !(base.disabledLoaders ?? []).includes(loader.name);
    handlers.push({ arch, loader, enabled, view: view as ViewWithHeader, assumptions: resolveAssumptions(base, { arch, loader }, view.layout) });
  }
  return handlers;
}

/** e_type and elf_check_arch: whether the handler takes the file at all. */
function checkFormat({ arch, loader, view }: Handler): void {
  const header = view.header;
  const declaredOrder = view.ident.data === ELFDATA2MSB ? 'MSB' : view.ident.data === ELFDATA2LSB ? 'LSB' : undefined;
  const swapped = declaredOrder !== undefined && declaredOrder !== arch.byteOrder;
  if (header.e_type !== ET_EXEC && header.e_type !== ET_DYN) {
    if (swapped) fail('exec-error', 'ENOEXEC', ['machine-mismatch'], `the file is ${arch.byteOrder === 'MSB' ? 'little' : 'big'}-endian and the ${arch.name} kernel reads it ${arch.byteOrder === 'MSB' ? 'big' : 'little'}-endian (e_type reads as ${header.e_type})`);
    fail('exec-error', 'ENOEXEC', ['header-type'], `e_type ${header.e_type} is not ET_EXEC or ET_DYN`);
  }
  if (!loader.accepts(header, view.ident)) {
    fail('exec-error', 'ENOEXEC', ['machine-mismatch'], `the ${loader.name} loader of the ${arch.name} kernel does not take ${machineText(header.e_machine)} (${view.layout.elfClass}) files`);
  }
}

/**
 * The most program header bytes load_elf_phdrs reads. Before Linux 6.17 the table also had to
 * fit in ELF_MIN_ALIGN, the page size on every profile here; commit 8030790477e8 ("binfmt_elf:
 * remove the 4k limitation of program header size", v6.17) left only the 64 KiB bound.
 */
function phdrTableLimit(assumptions: ResolvedAssumptions): bigint {
  const limit = BigInt(MAX_PHDR_TABLE_BYTES);
  return kernelBefore(assumptions.kernel, 6, 17) && assumptions.pageSize < limit ? assumptions.pageSize : limit;
}

/** The program header table: entry size, count, and the read of the whole table. */
function checkTable({ view, assumptions }: Handler): void {
  const header = view.header;
  const entrySize = view.layout.phdrSize;
  if (header.e_phentsize !== entrySize) {
    fail('exec-error', 'ENOEXEC', ['header-phentsize'], `e_phentsize is ${header.e_phentsize}, not ${entrySize}`);
  }
  const tableSize = BigInt(entrySize) * BigInt(header.e_phnum);
  const limit = phdrTableLimit(assumptions);
  if (tableSize === 0n || tableSize > limit) {
    const version = assumptions.kernel && limit < BigInt(MAX_PHDR_TABLE_BYTES) ? ` (Linux ${assumptions.kernel.major}.${assumptions.kernel.minor}: at most a page of them, before 6.17)` : '';
    fail('exec-error', 'ENOEXEC', ['phdr-count'], `${header.e_phnum} program headers: the kernel reads 1 to ${limit / BigInt(entrySize)}${version}`);
  }
  if (header.e_phoff > MAX_FILE_OFFSET || header.e_phoff + tableSize > BigInt(view.size)) {
    fail('exec-error', 'ENOEXEC', ['phdr-table-bounds'], `the program header table at ${hex(header.e_phoff)} cannot be read whole from the ${view.size}-byte file`);
  }
}

function checkInterpreter({ view }: Handler, options: PredictOptions): ProgramHeader | undefined {
  const interp = firstInterpreter(view);
  if (!interp) return undefined;
  if (!interpreterSizeValid(interp)) {
    fail('exec-error', 'ENOEXEC', ['interp-size'], `PT_INTERP p_filesz ${hex(interp.p_filesz)} is outside 2..${INTERP_MAX_SIZE}`);
  }
  // kernel_read's rw_verify_area: a position, or position plus count, past the largest loff_t.
  if (interp.p_offset > MAX_FILE_OFFSET || interp.p_offset + interp.p_filesz > MAX_FILE_OFFSET) {
    fail('exec-error', 'EINVAL', ['interp-in-file'], 'PT_INTERP p_offset plus p_filesz is past the largest file offset');
  }
  if (interp.p_offset + interp.p_filesz > BigInt(view.size)) fail('exec-error', 'EIO', ['interp-in-file'], 'the interpreter path runs past the end of the file');
  const path = view.slice(Number(interp.p_offset), Number(interp.p_filesz));
  if (path[path.length - 1] !== 0) fail('exec-error', 'ENOEXEC', ['interp-nul'], 'the interpreter path does not end with NUL');
  const end = path.indexOf(0);
  // The path is a C string: an empty one names the working directory, which cannot be executed.
  if (end === 0) fail('exec-error', 'EACCES', ['interp-empty'], 'the interpreter path is empty (it starts with NUL), which names the working directory');
  const status = options.interpreter?.(Buffer.from(path.subarray(0, end)).toString('latin1')) ?? { ok: true };
  if (!status.ok) fail(status.killed ? 'exec-killed' : 'exec-error', status.errno, [], status.reason);
  return interp;
}

/** NOTE_DATA_SZ: the most of PT_GNU_PROPERTY parse_elf_properties reads. */
const PROPERTY_NOTE_MAX = 1024n;
/** An Elf_Nhdr and the name "GNU\0". */
const PROPERTY_NOTE_HEAD = 16;

/**
 * parse_elf_properties (fs/binfmt_elf.c), where the architecture selects CONFIG_ARCH_USE_GNU_PROPERTY:
 * without an interpreter, the program's last PT_GNU_PROPERTY (with one, the interpreter's, assumed
 * sound) must hold one NT_GNU_PROPERTY_TYPE_0 "GNU" note whose properties fit, are sorted, and
 * have the sizes the architecture requires. The same checks since v5.8 (commit 00e19ceec80b, "ELF:
 * Add ELF program property parsing support"), confirmed on Debian's arm64 6.1 kernel.
 */
function checkProperties({ arch, loader, view }: Handler): void {
  if (!arch.gnuProperty) return;
  const phdr = view.programHeaders.filter((each) => each.p_type === PT_GNU_PROPERTY).at(-1);
  if (!phdr) return;
  const what = `PT_GNU_PROPERTY ${phdr.index}`;
  if (phdr.p_filesz > PROPERTY_NOTE_MAX) fail('exec-error', 'ENOEXEC', [], `${what}: p_filesz ${hex(phdr.p_filesz)} is more than the ${PROPERTY_NOTE_MAX} bytes the kernel reads`);
  // kernel_read: a position past the largest loff_t fails, a read past the end is short.
  const readable = phdr.p_offset > MAX_FILE_OFFSET - phdr.p_filesz || phdr.p_offset >= BigInt(view.size) ? 0n : BigInt(view.size) - phdr.p_offset;
  const length = Number(readable < phdr.p_filesz ? readable : phdr.p_filesz);
  if (length < PROPERTY_NOTE_HEAD) fail('exec-error', 'EIO', [], `${what}: only ${length} bytes of the note can be read, fewer than its header and name`);
  const note = view.slice(Number(phdr.p_offset), length);
  const data = new DataView(note.buffer, note.byteOffset, note.byteLength);
  const little = arch.byteOrder === 'LSB';
  const [namesz, descsz, type] = [0, 4, 8].map((at) => data.getUint32(at, little)) as [number, number, number];
  const name = Buffer.from(note.subarray(12, 16)).toString('latin1');
  if (type !== NT_GNU_PROPERTY_TYPE_0 || namesz !== 4 || name !== 'GNU\0') {
    fail('exec-error', 'ENOEXEC', [], `${what} does not start with an NT_GNU_PROPERTY_TYPE_0 "GNU" note (n_type ${type}, n_namesz ${namesz})`);
  }
  if (descsz > length - PROPERTY_NOTE_HEAD) fail('exec-error', 'ENOEXEC', [], `${what}: n_descsz ${descsz} runs past the ${length} bytes read`);
  // ELF_GNU_PROPERTY_ALIGN: 8 for ELF64, 4 for a compat ELF32 loader.
  const align = view.layout.wordSize;
  const end = PROPERTY_NOTE_HEAD + descsz;
  let previous: number | undefined;
  for (let at = PROPERTY_NOTE_HEAD; at < end;) {
    const left = end - at - 8;
    if (left < 0) fail('exec-error', 'ENOEXEC', [], `${what}: ${end - at} bytes after the last property`);
    const [prType, size] = [data.getUint32(at, little), data.getUint32(at + 4, little)];
    const step = Math.ceil(size / align) * align;
    if (size > left || step > left) fail('exec-error', 'ENOEXEC', [], `${what}: property ${hex(prType)} has pr_datasz ${size}, past the end of the note`);
    if (previous !== undefined && prType <= previous) fail('exec-error', 'ENOEXEC', [], `${what}: property ${hex(prType)} is not sorted after ${hex(previous)}`);
    const required = loader.gnuPropertySizes?.find(([known]) => known === prType)?.[1];
    if (required !== undefined && size !== required) {
      fail('exec-error', 'ENOEXEC', [], `${what}: property ${hex(prType)} has pr_datasz ${size}; the ${arch.name} kernel requires ${required}`);
    }
    previous = prType;
    at += 8 + step;
  }
}

function isFormatRejection(outcome: LoaderVerdict | undefined): boolean {
  return outcome?.verdict === 'exec-error' && outcome.errno === 'ENOEXEC';
}

/**
 * Walks the target's handlers as search_binary_handler does: the first one
 * that does not answer ENOEXEC before the point of no return takes the file.
 * When all refuse it, the one the file was made for (its class and machine)
 * explains why.
 */
export function chooseHandler(file: ElfFile, base: LoaderAssumptions, options: PredictOptions = {}): HandlerChoice | undefined {
  const arch = targetArch(file, base);
  if (!arch) return undefined;
  const handlers = handlersOf(file, arch, base);
  const refusals: HandlerChoice[] = [];
  for (const handler of handlers) {
    let accepted = false;
    const outcome = attempt(() => {
      checkFormat(handler);
      accepted = true;
      checkTable(handler);
      if (!checkInterpreter(handler, options)) checkProperties(handler);
      return undefined;
    });
    const choice: HandlerChoice = { ...handler, accepted, ...(outcome ? { outcome } : {}) };
    if (!handler.enabled) {
      refusals.push(choice);
      continue;
    }
    if (!isFormatRejection(outcome)) return choice;
    refusals.push(choice);
  }
  const declaredClass = file.layout.elfClass;
  const madeFor = refusals.find((each) => each.accepted && each.view.layout.elfClass === declaredClass)
    ?? refusals.find((each) => each.accepted) ?? refusals[0];
  if (!madeFor) return undefined;
  if (!madeFor.enabled) {
    const reason = `the file needs the ${madeFor.loader.name} loader, which the target ${arch.name} kernel is assumed not to have`;
    return { ...madeFor, outcome: verdict('exec-error', reason, { errno: 'ENOEXEC', because: ['machine-mismatch'] }) };
  }
  return madeFor;
}

/**
 * Where the first PT_LOAD of an ET_DYN file goes. The kernel randomises it, so
 * this gives both ends of the range it can land in; a prediction that differs
 * between them is uncertain.
 */
interface Placement {
  /** `base` of the lowest and the highest placement the kernel can choose. */
  readonly bases: readonly bigint[];
  /** True when the first mapping is at a fixed address (MAP_FIXED_NOREPLACE), false when mmap picks it. */
  readonly fixed: boolean;
  /** Set when mmap first probes for an address (a static PIE with p_align above a page). */
  readonly probe: boolean;
}

function dynPlacement(context: Context, total: bigint, alignment: bigint, hasInterpreter: boolean): Placement {
  const { loader, taskSize, page, wrap } = context;
  const randomSpan = (1n << BigInt(loader.randomBits)) * page;
  const alignDown = (value: bigint) => (alignment === 0n ? value : wrap(value & ~(alignment - 1n)));
  if (hasInterpreter) {
    return { bases: [alignDown(loader.dynBase), alignDown(loader.dynBase + randomSpan - page)], fixed: true, probe: false };
  }
  // A static PIE lives in the mmap area, below the stack gap (at least 128 MiB) and a random offset.
  const high = pageDown(wrap(taskSize - (1n << 27n) - total), page);
  // Below that, the stack's own gap and randomisation (mmap_base in mm/util.c).
  const low = pageDown(wrap(high - randomSpan - context.stackSlack), page);
  if (alignment > page) return { bases: [alignDown(low), alignDown(high)], fixed: true, probe: true };
  return { bases: [low, high], fixed: false, probe: false };
}

/** For ET_DYN the kernel chooses the addresses, so a mapping that does not fit is a placement failure. */
function placementRule(context: Context, otherwise: string): string {
  return context.elf.header.e_type === ET_DYN ? 'pie-placement' : otherwise;
}

function checkRange(context: Context, start: bigint, length: bigint, because: string, what: string, fixed = true): void {
  const { taskSize, assumptions } = context;
  if (length > taskSize || (fixed && start > taskSize - length)) {
    fail('exec-killed', 'ENOMEM', [placementRule(context, because)], `${what} [${hex(start)}, +${hex(length)}) does not fit below ${hex(taskSize)}`);
  }
  if (fixed && start < assumptions.mmapMinAddr && !assumptions.privileged) {
    fail('exec-killed', 'EPERM', [placementRule(context, 'segment-below-mmap-min-addr')], `${what} at ${hex(start)} is below vm.mmap_min_addr ${hex(assumptions.mmapMinAddr)}`);
  }
}

/**
 * What mmap_region and vm_brk_flags check once the address is settled: RLIMIT_AS
 * (may_expand_vm), then, for memory the kernel charges (anonymous bss, private
 * writable file mappings), the overcommit policy (__vm_enough_memory: in the
 * default heuristic mode a single request larger than RAM plus swap fails).
 */
function charge(context: Context, length: bigint, accounted: boolean, what: string, because = 'segment-overcommit'): void {
  const { assumptions, page } = context;
  context.mapped += length;
  const limit = assumptions.addressSpaceLimit;
  if (limit !== undefined && context.mapped > limit) fail('exec-killed', 'ENOMEM', [], `the mappings exceed the address-space limit ${hex(limit)}`);
  if (!accounted || assumptions.overcommit === 'always') return;
  const pages = (length + page - 1n) / page;
  const { min, max } = assumptions.memory;
  if (pages > max / page) {
    fail('exec-killed', 'ENOMEM', [because], `${what} asks for ${hex(length)} bytes, more than the target's RAM and swap (${hex(max)}${min === max ? '' : ' at most'}); the overcommit heuristic refuses it`);
  }
  // Strict accounting (vm.overcommit_memory=2) depends on what else is committed: never certain.
  if (pages > min / page || (assumptions.overcommit === 'never' && pages > 0n)) context.doubts.add('how much memory the target has');
}

interface FirstMapping {
  /** The address mmap chose, when the kernel picks it. */
  readonly chosen: bigint;
  /** The size of the whole image, mapped at once for the first ET_DYN segment. */
  readonly total: bigint;
  readonly fixed: boolean;
}

/**
 * elf_load(): the file-backed part, the zeroed tail of its last page, then
 * anonymous bss. Returns the address of the first page, or where the mapping
 * landed when mmap chose it.
 */
function mapSegment(context: Context, phdr: ProgramHeader, bias: bigint, first?: FirstMapping): bigint {
  const { page, image, elf, wrap } = context;
  const fixed = first?.fixed ?? true;
  const within = phdr.p_vaddr % page;
  const requested = wrap(phdr.p_vaddr + bias);
  const read = (phdr.p_flags & PF_R) !== 0;
  const write = (phdr.p_flags & PF_W) !== 0;
  const exec = (phdr.p_flags & PF_X) !== 0 || (read && context.readImpliesExec);
  const label = `PT_LOAD ${phdr.index}`;
  let start = fixed ? pageDown(requested, page) : first!.chosen;
  if (phdr.p_filesz > 0n) {
    const size = pageUp(phdr.p_filesz + within, page);
    const length = first ? pageUp(first.total, page) : size;
    const offset = wrap(phdr.p_offset - within);
    // vm_mmap rejects an offset that wraps and one that is not page aligned, both with EINVAL.
    if (phdr.p_offset % page !== within || offset % page !== 0n) {
      fail('exec-killed', 'EINVAL', ['segment-page-congruence'], `${label}: p_offset and p_vaddr differ modulo the page size`);
    }
    if (offset + length > wrap(-1n)) fail('exec-killed', 'EINVAL', [first ? 'pie-placement' : 'load-segment-in-file'], `${label}: file offset + length wraps past the end of the address space`);
    // The file part is mapped before p_filesz is compared with p_memsz.
    const tooLarge = first ? 'pie-placement' : phdr.p_filesz > phdr.p_memsz ? 'segment-filesz-exceeds-memsz' : 'segment-address-range';
    checkRange(context, start, length, tooLarge, label, fixed);
    // file_mmap_ok (mm/mmap.c): the last page mapped must lie below MAX_LFS_FILESIZE.
    if (length > context.maxFileSize || offset / page > (context.maxFileSize - length) / page) {
      fail('exec-killed', 'EOVERFLOW', ['load-segment-in-file'], `${label}: file offset ${hex(offset)} plus ${hex(length)} bytes passes the largest file offset ${hex(context.maxFileSize)}`);
    }
    // A private writable file mapping is charged as memory (accountable_mapping); the first
    // mapping of an ET_DYN image spans the whole image, which is a placement matter.
    charge(context, length, write, label, first ? 'pie-placement' : 'segment-overcommit');
    const address = start + within;
    const zeroStart = address + phdr.p_filesz;
    const bss = phdr.p_memsz > phdr.p_filesz;
    const zeroFails = bss && write && zeroStart % page !== 0n && pageDown(phdr.p_offset + phdr.p_filesz, page) >= BigInt(elf.size);
    // padzero's failure kills the process since commit f9c0a39d9530 ("binfmt_elf: Only report
    // padzero() errors when PROT_WRITE", v6.7); before it the error was ignored, as Debian's
    // 6.1.192 (elf_load backported, that commit not) showed.
    const { kernel } = context.assumptions;
    if (zeroFails && !kernelBefore(kernel, 6, 7)) {
      const version = kernel ? ` (Linux ${kernel.major}.${kernel.minor}: a failed zeroing is fatal since 6.7)` : '';
      fail('exec-killed', 'EFAULT', ['load-segment-in-file'], `${label}: the page to zero after p_filesz lies past the end of the file${version}`);
    }
    // The first ET_DYN mapping covers the whole image, then gives back what lies past this segment.
    const mappedEnd = start + (length < size ? length : size);
    context.mapped -= start + length - mappedEnd;
    image.map({ start, end: mappedEnd, read, write, exec, fileOffset: offset, ...(bss && write && !zeroFails ? { zeroFrom: zeroStart } : {}) });
    if (bss) mapAnonymous(context, pageUp(zeroStart, page), pageUp(address + phdr.p_memsz, page), exec, label);
  } else {
    start = pageDown(requested, page);
    if (phdr.p_memsz > 0n) mapAnonymous(context, start, pageUp(start + within + phdr.p_memsz, page), exec, label);
  }
  checkBounds(context, phdr);
  return start;
}

/** vm_brk_flags(): anonymous bss pages, read-write whatever PF_R/PF_W say, executable with PF_X. */
function mapAnonymous(context: Context, start: bigint, end: bigint, exec: boolean, label: string): void {
  if (end <= start) return;
  checkRange(context, start, end - start, 'segment-address-range', `${label} bss`);
  charge(context, end - start, true, `${label} bss`);
  // VM_DATA_DEFAULT_FLAGS adds VM_EXEC to brk memory under READ_IMPLIES_EXEC.
  context.image.map({ start, end, read: true, write: true, exec: exec || context.readImpliesExec });
}

/** The checks load_elf_binary makes on every PT_LOAD after mapping it, with the unbiased p_vaddr. */
function checkBounds({ taskSize }: Context, phdr: ProgramHeader): void {
  if (phdr.p_filesz > phdr.p_memsz) fail('exec-killed', 'EINVAL', ['segment-filesz-exceeds-memsz'], `PT_LOAD ${phdr.index}: p_filesz > p_memsz`);
  if (phdr.p_vaddr >= taskSize || phdr.p_memsz > taskSize || taskSize - phdr.p_memsz < phdr.p_vaddr) {
    fail('exec-killed', 'EINVAL', ['segment-address-range'], `PT_LOAD ${phdr.index} [${hex(phdr.p_vaddr)}, +${hex(phdr.p_memsz)}) is not below ${hex(taskSize)}`);
  }
}

/** Maps every PT_LOAD with the first one placed at `base`; returns the load bias. */
function mapImage(context: Context, loads: readonly ProgramHeader[], placement: Placement | undefined, placedAt: bigint): bigint {
  let base = placedAt;
  const { page, wrap } = context;
  if (!placement) {
    for (const phdr of loads) mapSegment(context, phdr, 0n);
    return 0n;
  }
  const first = loads[0]!;
  const total = totalMappingSize(loads, page);
  if (placement.probe) {
    // The probe maps the image wherever mmap likes, to learn an address to align.
    // It asks for address 0 (elf_load(file, 0, ...)): a bias of -p_vaddr requests exactly that.
    const probe: FirstMapping = { chosen: base, total, fixed: false };
    mapSegment({ ...context, image: imageFor(context), mapped: 0n }, first, wrap(-first.p_vaddr), probe);
    // Without file contents nothing is mmapped, and the probe's answer is address 0.
    if (first.p_filesz === 0n) base = 0n;
  }
  const bias = pageDown(wrap((placement.fixed ? base : 0n) - first.p_vaddr), page);
  const start = mapSegment(context, first, bias, { chosen: base, total, fixed: placement.fixed });
  const settled = settledBias(context, first, bias, start);
  for (const phdr of loads.slice(1)) mapSegment(context, phdr, settled);
  return settled;
}

/** The load bias once the first PT_LOAD's first page is at `start`; the other PT_LOADs follow it. */
function settledBias(context: Context, first: ProgramHeader, bias: bigint, start: bigint): bigint {
  const { page, wrap } = context;
  return wrap(bias + start - pageDown(wrap(bias + first.p_vaddr), page));
}

function startVerdict(context: Context, entry: bigint, loads: readonly ProgramHeader[], bias: bigint): LoaderVerdict {
  const { image, loader, wrap } = context;
  const fetch = image.byteAt(entry, 'execute');
  const segment = loads.filter((phdr) => entry >= wrap(phdr.p_vaddr + bias) && entry < wrap(phdr.p_vaddr + bias) + phdr.p_memsz).at(-1);
  const entryRule = context.elf.header.e_type === ET_EXEC && context.elf.header.e_entry === 0n ? 'entry-zero' : loads.length === 0 ? 'no-load-segment' : 'entry-in-load-segment';
  if (fetch === 'unmapped') {
    return verdict('start-fault', `nothing is mapped at the entry point ${hex(entry)}`, { signal: 'SIGSEGV', because: [entryRule] });
  }
  if (fetch === 'denied') return verdict('start-fault', `the entry point ${hex(entry)} is not executable`, { signal: 'SIGSEGV', because: ['entry-executable'] });
  if (fetch === 'bus-error') return verdict('start-fault', `the entry point ${hex(entry)} is in a page past the end of the file`, { signal: 'SIGBUS', because: ['load-segment-in-file'] });
  if (loader.entryDecoder !== 'x86-64') {
    return { ...verdict('runs', `the entry point ${hex(entry)} is mapped and executable; elf-lint has no decoder for ${loader.name} code, so its first instruction was not analysed`), uncertain: true };
  }
  const zeroFilled = segment !== undefined && entry >= wrap(segment.p_vaddr + bias) + segment.p_filesz;
  const first = firstInstruction(context, entry);
  if (first.kind === 'faults') {
    const because = !segment ? [entryRule] : zeroFilled ? ['entry-file-backed'] : fetchIsPastFile(context, entry) ? ['load-segment-in-file'] : [];
    return verdict('start-fault', `the first instruction at ${hex(entry)} faults: ${first.reason}`, { signal: first.signal, because });
  }
  if (first.kind === 'unknown') return { ...verdict('runs', `the entry point ${hex(entry)} is mapped and executable; its first instruction was not analysed (${first.reason})`), uncertain: true };
  return verdict('runs', `the program starts at ${hex(entry)}`);
}

/** The x86-64 analysis of the instruction at `entry`, with a stack mapped below TASK_SIZE and the host facts assumed. */
function firstInstruction(context: Context, entry: bigint): FirstInstruction {
  const { image, page, loader } = context;
  const rsp = context.taskSize - STACK_SPAN + 0x1000n;
  image.map({ start: pageDown(rsp, page) - 0x20000n, end: context.taskSize - page, read: true, write: true, exec: false });
  const { disabledLoaders, cpuidFaults } = context.assumptions;
  const int80 = loader.int80GoesWith === undefined ? 'unknown' : disabledLoaders.includes(loader.int80GoesWith) ? 'faults' : 'completes';
  return firstInstructionOutcome(image, entry, rsp, { int80, cpuid: cpuidFaults ? 'faults' : 'completes' });
}

function fetchIsPastFile({ image, elf }: Context, entry: bigint): boolean {
  const mapping = image.mappingAt(entry);
  return mapping?.fileOffset !== undefined && mapping.fileOffset + (entry - mapping.start) >= BigInt(elf.size);
}

/** A fresh process image with the context's page size and fault order. */
function imageFor(context: Context): ProcessImage {
  return new ProcessImage(context.elf, context.page, context.fetchOrder);
}

/** Everything from the point of no return (begin_new_exec) on: failures kill the process. */
function contextFor(choice: HandlerChoice): Context {
  const { view: elf, loader, assumptions, arch } = choice;
  const bits = arch.loaders[0]!.elfClass === 'ELF64' ? 64 : 32;
  return {
    elf, loader, assumptions, page: assumptions.pageSize, taskSize: assumptions.taskSize,
    ...(arch.fetchFault ? { fetchOrder: arch.fetchFault.order } : {}),
    wrap: (value) => BigInt.asUintN(bits, value),
    stackSlack: bits === 64 ? 1n << 33n : assumptions.taskSize / 6n,
    maxFileSize: bits === 64 ? (1n << 63n) - 1n : ((1n << 32n) - 1n) * assumptions.pageSize,
    doubts: new Set(),
    readImpliesExec: loader.readImpliesExecWithoutGnuStack === true && !elf.programHeaders.some((phdr) => phdr.p_type === PT_GNU_STACK),
    image: new ProcessImage(elf, assumptions.pageSize, arch.fetchFault?.order), mapped: STACK_SPAN,
  };
}

/** Where the kernel puts the image: the load bias at both ends of the range it chooses from (0 for ET_EXEC). */
export interface ImagePlacement {
  readonly biases: readonly [bigint, bigint];
  /** True for an ET_DYN image, which address randomisation moves. */
  readonly randomised: boolean;
  /** READ_IMPLIES_EXEC: readable mappings and the bss are executable too. */
  readonly readImpliesExec: boolean;
  readonly pageSize: bigint;
  readonly taskSize: bigint;
}

/** The placement the loader model uses for a handler's view (for the layout map); no checks are made. */
export function imagePlacement(choice: HandlerChoice): ImagePlacement {
  const context = contextFor(choice);
  const { page, wrap, elf } = context;
  const same = { readImpliesExec: context.readImpliesExec, pageSize: page, taskSize: context.taskSize };
  const loads = loadSegments(elf);
  const first = loads[0];
  const total = totalMappingSize(loads, page);
  if (elf.header.e_type !== ET_DYN || !first || total === 0n) return { biases: [0n, 0n], randomised: false, ...same };
  const placement = dynPlacement(context, total, maximumAlignment(loads, page), firstInterpreter(elf) !== undefined);
  const biasAt = (chosen: bigint): bigint => {
    const base = placement.probe && first.p_filesz === 0n ? 0n : chosen;
    const bias = pageDown(wrap((placement.fixed ? base : 0n) - first.p_vaddr), page);
    return settledBias(context, first, bias, placement.fixed ? pageDown(wrap(first.p_vaddr + bias), page) : base);
  };
  return { biases: [biasAt(placement.bases[0]!), biasAt(placement.bases.at(-1)!)], randomised: true, ...same };
}

/**
 * One reason for the same outcome at the lowest and the highest placement: the addresses that
 * differ between the two become the range randomisation chooses from, so that no address reads
 * as fixed.
 */
function placedReason(low: string, high: string): string {
  if (low === high) return low;
  const lows = low.split(/(0x[0-9a-f]+)/);
  const highs = high.split(/(0x[0-9a-f]+)/);
  // Not the same words around the addresses: the higher placement's reason, marked.
  if (lows.length !== highs.length || lows.some((part, index) => index % 2 === 0 && part !== highs[index])) return `${high} (at the highest placement)`;
  return `${lows.map((part, index) => (index % 2 === 1 && part !== highs[index] ? `${part}-${highs[index]!}` : part)).join('')} (randomised within this range)`;
}

function load(choice: HandlerChoice, interpreted: boolean): LoaderVerdict {
  const { view: elf } = choice;
  const context = contextFor(choice);
  const result = attempt(() => {
    const loads = loadSegments(elf);
    if (elf.header.e_type !== ET_DYN || loads.length === 0) return loadAt(context, loads, interpreted, undefined, 0n);
    const total = totalMappingSize(loads, context.page);
    if (total === 0n) fail('exec-killed', 'EINVAL', ['pie-placement'], 'the PT_LOAD segments span no memory');
    const placement = dynPlacement(context, total, maximumAlignment(loads, context.page), interpreted);
    const outcomes = placement.bases.map((base) => attempt(() => loadAt({ ...context, image: imageFor(context) }, loads, interpreted, placement, base)));
    const [low, high] = outcomes as [LoaderVerdict, LoaderVerdict];
    const same = low.verdict === high.verdict && low.errno === high.errno && low.signal === high.signal;
    return same ? { ...high, reason: placedReason(low.reason, high.reason) } : { ...high, reason: `${high.reason} (depends on where address randomisation puts the image)`, uncertain: true as const };
  });
  // A mapping the target may or may not have memory for: any later outcome could have been ENOMEM.
  if (context.doubts.size === 0 || result.uncertain) return result;
  return { ...result, reason: `${result.reason} (depends on ${[...context.doubts].join(' and ')})`, uncertain: true as const };
}

function attempt<T>(run: () => T): T | LoaderVerdict {
  try {
    return run();
  } catch (stop) {
    if (stop instanceof Stop) return stop.result;
    throw stop;
  }
}

/** Everything after the point of no return, with the image placed at `base`. */
function loadAt(context: Context, loads: readonly ProgramHeader[], interpreted: boolean, placement: Placement | undefined, base: bigint): LoaderVerdict {
  const bias = mapImage(context, loads, placement, base);
  const entry = context.wrap(context.elf.header.e_entry + bias);
  // With an interpreter the kernel checks and starts the interpreter's entry; the program's own
  // entry matters when the dynamic linker jumps to it.
  if (interpreted) return programEntryVerdict(context, entry, loads, bias);
  if (entry >= context.taskSize) fail('exec-killed', 'EINVAL', ['entry-user-space'], `the entry point ${hex(entry)} is not below ${hex(context.taskSize)}`);
  return startVerdict(context, entry, loads, bias);
}

/**
 * The second stage of a program with PT_INTERP: the kernel starts the dynamic
 * linker (assumed to load, as the kernel found it), which maps nothing of the
 * program itself and finally jumps to its e_entry plus the load bias. What
 * the linker does on the way (relocations, libraries) is not modelled.
 */
function programEntryVerdict(context: Context, entry: bigint, loads: readonly ProgramHeader[], bias: bigint): LoaderVerdict {
  const { image, wrap } = context;
  const segment = loads.find((phdr) => entry >= wrap(phdr.p_vaddr + bias) && entry < wrap(phdr.p_vaddr + bias) + phdr.p_memsz);
  const entryRule = context.elf.header.e_type === ET_EXEC && context.elf.header.e_entry === 0n ? 'entry-zero' : 'entry-in-load-segment';
  const fetch = entry >= context.taskSize ? 'unmapped' : image.byteAt(entry, 'execute');
  const handoff = `the kernel starts the interpreter, which jumps to the program's entry point ${hex(entry)}`;
  if (fetch === 'unmapped') return verdict('start-fault', `${handoff}, where nothing is mapped`, { signal: 'SIGSEGV', because: [segment ? 'entry-executable' : entryRule] });
  if (fetch === 'denied') return verdict('start-fault', `${handoff}, which is not executable`, { signal: 'SIGSEGV', because: ['entry-executable'] });
  if (fetch === 'bus-error') return verdict('start-fault', `${handoff}, in a page past the end of the file`, { signal: 'SIGBUS', because: ['load-segment-in-file'] });
  if (context.loader.entryDecoder !== 'x86-64') {
    return { ...verdict('runs', `${handoff}; elf-lint has no decoder for ${context.loader.name} code, so its first instruction was not analysed`), uncertain: true };
  }
  // The registers there are the dynamic linker's, not the kernel's: an answer that rests on
  // them (a fault, or no answer) is uncertain.
  const first = firstInstruction(context, entry);
  if (first.kind === 'completes') return verdict('runs', `${handoff}; the program starts there`);
  const zeroFilled = segment !== undefined && entry >= wrap(segment.p_vaddr + bias) + segment.p_filesz;
  const because = zeroFilled ? ['entry-file-backed'] : [];
  if (first.kind === 'faults') return { ...verdict('start-fault', `${handoff}, whose first instruction probably faults: ${first.reason}`, { signal: first.signal, because }), uncertain: true };
  return { ...verdict('runs', `${handoff}; its first instruction was not analysed (${first.reason})`), uncertain: true };
}

/** Where a verdict was decided, for the JSON and for comparing with the runner's observation. */
function withStage(result: LoaderVerdict, interpreted: boolean): LoaderVerdict {
  if (result.verdict === 'not-applicable') return result;
  const stage = result.verdict === 'exec-error' || result.verdict === 'exec-killed' ? 'execve' : interpreted ? 'program' : 'entry';
  return { ...result, stage };
}

function predictElf(file: ElfFile, options: PredictOptions): LoaderVerdict {
  const base = options.assumptions ?? DEFAULT_ASSUMPTIONS;
  const kind = classify(file);
  const notExecuted = kind.kind === 'relocatable' || kind.kind === 'kernel-module' || kind.kind === 'core' || kind.kind === 'os-specific';
  if (kind.reason && (notExecuted || options.sharedObjects !== 'predict')) {
    return verdict('not-applicable', kind.reason, notExecuted ? { errno: 'ENOEXEC' } : {});
  }
  if (base.machine !== undefined && !archByName(base.machine)) return verdict('not-applicable', `no loader model for the machine ${base.machine}`);
  const choice = chooseHandler(file, base, options);
  if (!choice) {
    const machine = file.header ? machineText(file.header.e_machine) : 'unknown';
    return verdict('not-applicable', `no loader model for ${machine} (${file.layout.elfClass}, ${file.byteOrder})`);
  }
  const interpreted = firstInterpreter(choice.view) !== undefined;
  return withStage(choice.outcome ?? load(choice, interpreted), interpreted);
}

/** Predicts what execve does with a parsed file. Never throws. */
export function predictExecve(file: ParsedFile, options: PredictOptions = {}): LoaderVerdict {
  if (file.kind === 'not-elf') return verdict('not-applicable', 'not an ELF file; execve fails with ENOEXEC unless another binary format claims it', { errno: 'ENOEXEC' });
  if (!file.header) return verdict('not-applicable', 'the ELF header could not be read');
  try {
    return predictElf(file, options);
  } catch (error) {
    // A bug in the model, not a fact about the file: no prediction (uncertain), and `because`
    // names internal-error so that the engine (withLoaderFailure) reports it as one, with `reason`.
    const failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...verdict('not-applicable', `the loader model failed: ${failure}; please report this bug`, { because: ['internal-error'] }), uncertain: true };
  }
}
