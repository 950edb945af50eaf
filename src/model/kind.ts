// What kind of file this is, from the loader's point of view: a program that
// execve runs, or one of the ELF files that are never executed (objects,
// core dumps, shared libraries, separate debug information, kernel modules).
import type { ElfFile } from './elf.js';
import {
  DF_1_PIE, DT_FLAGS_1, DT_SONAME, ET_CORE, ET_LOOS, ET_DYN, ET_EXEC, ET_REL, PT_DYNAMIC, PT_INTERP,
  SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS, SHT_NOTE, SHT_NULL,
} from './constants.js';
import { hasDynamicFlag, hasDynamicTag } from './dynamic.js';

export type FileKind =
  | 'executable' | 'pie' | 'static-pie' | 'runnable-library'
  | 'relocatable' | 'kernel-module' | 'core' | 'os-specific' | 'shared-library' | 'debug-info' | 'other';

export interface Classification {
  readonly kind: FileKind;
  /** True for the kinds execve is meant to run. */
  readonly program: boolean;
  /** For files that are not programs: why, in one sentence. */
  readonly reason?: string;
}

/**
 * objcopy --only-keep-debug keeps the headers but turns every allocated
 * section except notes into SHT_NOBITS: the code is not in the file.
 */
export function isSeparateDebugFile(elf: ElfFile): boolean {
  let code = false;
  // Stops at the first allocated section with bytes: a linked file's first few sections decide it.
  for (const shdr of elf.sectionHeaders) {
    if ((shdr.sh_flags & SHF_ALLOC) === 0n || shdr.sh_type === SHT_NULL) continue;
    if (shdr.sh_type !== SHT_NOBITS && shdr.sh_type !== SHT_NOTE) return false;
    if ((shdr.sh_flags & SHF_EXECINSTR) !== 0n && shdr.sh_size > 0n) code = true;
  }
  return code;
}

function isKernelModule(elf: ElfFile): boolean {
  return elf.sectionHeaders.some((shdr) => shdr.name === '.modinfo' || shdr.name === '.gnu.linkonce.this_module');
}

/** Classifies a file as it declares itself. */
export function classify(elf: ElfFile): Classification {
  const header = elf.header;
  if (!header) return { kind: 'other', program: false, reason: 'the ELF header could not be read' };
  const type = header.e_type;
  if (type === ET_REL) {
    return isKernelModule(elf)
      ? { kind: 'kernel-module', program: false, reason: 'a Linux kernel module: loaded by init_module/finit_module, not by execve' }
      : { kind: 'relocatable', program: false, reason: 'a relocatable object (ET_REL): the linker reads it, execve does not' };
  }
  if (type === ET_CORE) return { kind: 'core', program: false, reason: 'a core dump (ET_CORE): a record of a process, never executed' };
  if (type >= ET_LOOS) return { kind: 'os-specific', program: false, reason: `e_type 0x${type.toString(16)} is an OS- or processor-specific type, not an executable` };
  if (type !== ET_EXEC && type !== ET_DYN) return { kind: 'other', program: true };
  if (isSeparateDebugFile(elf)) {
    return { kind: 'debug-info', program: false, reason: 'separate debug information: its code sections are SHT_NOBITS, the code is in the stripped file' };
  }
  if (type === ET_EXEC) return { kind: 'executable', program: true };
  const hasInterpreter = elf.programHeaders.some((phdr) => phdr.p_type === PT_INTERP);
  const pieFlag = hasDynamicFlag(elf, DT_FLAGS_1, DF_1_PIE);
  // A library with an interpreter (libc.so.6, ld.so's own tests) can be run as a program too.
  if (hasInterpreter) return { kind: pieFlag || !hasDynamicTag(elf, DT_SONAME) ? 'pie' : 'runnable-library', program: true };
  if (pieFlag) return { kind: 'static-pie', program: true };
  const dynamic = elf.programHeaders.some((phdr) => phdr.p_type === PT_DYNAMIC);
  if (!dynamic && header.e_entry !== 0n) return { kind: 'static-pie', program: true };
  return {
    kind: 'shared-library', program: false,
    reason: 'a shared library (ET_DYN without PT_INTERP or DF_1_PIE): the dynamic linker loads it into programs',
  };
}
