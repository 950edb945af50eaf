// Where execve puts a process's stack, heap (brk) and mmap base, as the
// ranges address randomisation chooses from: the arithmetic of
// randomize_stack_top and mmap_base (mm/util.c; arch/x86/mm/mmap.c and
// arch/s390/mm/mmap.c compute the same from their own STACK_TOP), of
// randomize_page for arch_randomize_brk, and of load_elf_binary's brk, over
// the facts a loader profile gives (model/arch: ProcessLayout). No
// architecture is named here.
import type { LoaderProfile } from '../model/arch/profile.js';
import { pageDown, pageUp } from '../model/segments.js';

/** RLIMIT_STACK assumed: _STK_LIM, the default soft limit (`ulimit -s` 8192). */
export const STACK_RLIMIT = 8n << 20n;
/** stack_guard_gap: 256 pages, the default of the stack_guard_gap= boot option. */
const GUARD_GAP_PAGES = 256n;
/** mmap_base leaves at least this much below the stack top. */
const MIN_GAP = 128n << 20n;

/** The least and greatest value randomisation can give (inclusive). */
export interface AddressRange {
  readonly low: bigint;
  readonly high: bigint;
}

export interface ProcessRanges {
  /** The end of the stack's mapping, which randomize_stack_top moves down from STACK_TOP; the stack grows down from it. */
  readonly stackTop: AddressRange;
  /** mm->mmap_base: mappings the kernel places (the interpreter, libraries, mmap without an address) go below it. */
  readonly mmapBase: AddressRange;
  /** mm->start_brk: where the heap starts; it grows up. */
  readonly heapStart: AddressRange;
  /** False when the brk was moved to ELF_ET_DYN_BASE (an ET_DYN program without an interpreter); true when it follows the image, and so adds its load bias. */
  readonly heapFollowsImage: boolean;
}

/**
 * The ranges for a program that `loader` maps with `page`-byte pages, whose
 * PT_LOADs end at `imageEnd` (in its own addresses); `staticPie` is an ET_DYN
 * program without PT_INTERP, whose brk load_elf_binary moves to
 * ELF_ET_DYN_BASE. Undefined when the profile has no process facts.
 */
export function processRanges(loader: LoaderProfile, page: bigint, imageEnd: bigint, staticPie: boolean): ProcessRanges | undefined {
  const facts = loader.process;
  if (!facts) return undefined;
  const top = pageUp(facts.stackTop, page);
  const stackRandom = pageDown(facts.stackRandom, page);
  // mmap_base: below STACK_TOP by the stack limit plus the stack's randomisation and guard gap,
  // clamped to [128 MiB, 5/6 of STACK_TOP], less arch_mmap_rnd (mmap_rnd_bits pages at most).
  const maxGap = facts.stackTop / 6n * 5n;
  const wanted = STACK_RLIMIT + stackRandom + GUARD_GAP_PAGES * page;
  const gap = wanted < MIN_GAP ? MIN_GAP : wanted > maxGap ? maxGap : wanted;
  const mmapRandom = ((1n << BigInt(loader.randomBits)) - 1n) * page;
  // The brk: one page past the image (a gap since Linux 6.10), or ELF_ET_DYN_BASE; randomize_page adds less than brkRandom.
  const brk = staticPie ? pageUp(loader.dynBase, page) : pageUp(imageEnd, page) + page;
  return {
    stackTop: { low: top - stackRandom, high: top },
    mmapBase: { low: pageUp(facts.stackTop - gap - mmapRandom, page), high: pageUp(facts.stackTop - gap, page) },
    heapStart: { low: brk, high: brk + pageDown(facts.brkRandom, page) - page },
    heapFollowsImage: !staticPie,
  };
}
