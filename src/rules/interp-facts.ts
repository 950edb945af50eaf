import type { ElfFile, ProgramHeader } from '../model/elf.js';
import { PT_INTERP } from '../model/constants.js';

/** PATH_MAX: the kernel's upper bound for the PT_INTERP p_filesz. */
export const INTERP_MAX_SIZE = 4096;

/** Linux looks only at the first PT_INTERP. */
export function firstInterpreter(elf: ElfFile): ProgramHeader | undefined {
  return elf.programHeaders.find((phdr) => phdr.p_type === PT_INTERP);
}

export function interpreterSizeValid(phdr: ProgramHeader): boolean {
  return phdr.p_filesz >= 2n && phdr.p_filesz <= BigInt(INTERP_MAX_SIZE);
}
