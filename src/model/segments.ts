// Facts about segments that the rules and the loader model both use.
import type { ElfFile, ProgramHeader } from './elf.js';
import type { ClassLayout } from './layout.js';
import { PT_INTERP, PT_LOAD } from './constants.js';

/** PATH_MAX: the kernel's upper bound for the PT_INTERP p_filesz. */
export const INTERP_MAX_SIZE = 4096;

/** The kernel reads at most 64 KiB of program headers (load_elf_phdrs, Linux 6.17 and later). */
export const MAX_PHDR_TABLE_BYTES = 65536;

/** The most program headers the kernel reads: 1170 in ELF64, 2048 in ELF32. */
export function maxProgramHeaders(layout: ClassLayout): number {
  return Math.floor(MAX_PHDR_TABLE_BYTES / layout.phdrSize);
}

export function loadSegments(elf: ElfFile): ProgramHeader[] {
  return elf.programHeaders.filter((phdr) => phdr.p_type === PT_LOAD);
}

/** Linux looks only at the first PT_INTERP. */
export function firstInterpreter(elf: ElfFile): ProgramHeader | undefined {
  return elf.programHeaders.find((phdr) => phdr.p_type === PT_INTERP);
}

export function interpreterSizeValid(phdr: ProgramHeader): boolean {
  return phdr.p_filesz >= 2n && phdr.p_filesz <= BigInt(INTERP_MAX_SIZE);
}

export function pageDown(address: bigint, pageSize: bigint): bigint {
  return address - (address % pageSize);
}

export function pageUp(address: bigint, pageSize: bigint): bigint {
  return pageDown(address + pageSize - 1n, pageSize);
}

const wrap64 = (value: bigint) => BigInt.asUintN(64, value);

/** total_mapping_size(): from the lowest PT_LOAD page to the highest end, in 64-bit arithmetic. */
export function totalMappingSize(loads: readonly ProgramHeader[], pageSize: bigint): bigint {
  let low = (1n << 64n) - 1n;
  let high = 0n;
  for (const phdr of loads) {
    const start = pageDown(phdr.p_vaddr, pageSize);
    const end = wrap64(phdr.p_vaddr + phdr.p_memsz);
    if (start < low) low = start;
    if (end > high) high = end;
  }
  return wrap64(high - low);
}

/** maximum_alignment(): the largest power-of-two p_align of the PT_LOADs, rounded up to a page. */
export function maximumAlignment(loads: readonly ProgramHeader[], pageSize: bigint): bigint {
  let largest = 0n;
  for (const phdr of loads) {
    const align = phdr.p_align;
    if (align > largest && (align & (align - 1n)) === 0n) largest = align;
  }
  return wrap64(pageUp(largest, pageSize));
}

/**
 * The file offset of the `length` bytes at `address`, through the first
 * PT_LOAD whose file image holds them all (readelf's offset_from_vma), so
 * that a rule can read a table a DT_* entry names by address. Undefined when
 * no PT_LOAD maps them from bytes of the file (bss, gaps, past the end).
 */
export function offsetOfAddress(elf: ElfFile, address: bigint, length = 1n): number | undefined {
  for (const load of loadSegments(elf)) {
    if (address < load.p_vaddr || address + length > load.p_vaddr + load.p_filesz) continue;
    const offset = load.p_offset + (address - load.p_vaddr);
    if (offset + length <= BigInt(elf.size)) return Number(offset);
  }
  return undefined;
}
