// Every architecture profile elf-lint knows, and how a file or a name finds one.
import type { FileHeader, Identification } from '../elf.js';
import { ELFCLASS32, ELFDATA2MSB } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';
import type { ElfClass } from '../layout.js';
import { X86_64 } from './x86_64.js';
import { I386 } from './i386.js';
import { AARCH64 } from './aarch64.js';
import { ARM } from './arm.js';
import { RISCV64 } from './riscv64.js';
import { PPC64, PPC64LE } from './ppc64.js';
import { S390X } from './s390x.js';
import { MIPS, MIPS64, MIPS64EL, MIPSEL } from './mips.js';
import { LOONGARCH64 } from './loongarch64.js';

export type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';

export const ARCH_PROFILES: readonly ArchProfile[] = [
  X86_64, I386, AARCH64, ARM, RISCV64, PPC64LE, PPC64, S390X, MIPS64EL, MIPS64, MIPSEL, MIPS, LOONGARCH64,
];

// Every profile's tables in one list each, made once: the rules look them up for every file.
const RELOCATION_TYPES = ARCH_PROFILES.flatMap((arch) => arch.relocationTypes ?? []);
const SECTION_FLAGS = ARCH_PROFILES.flatMap((arch) => arch.sectionFlags ?? []);
const CORE_NOTES = ARCH_PROFILES.flatMap((arch) => arch.coreNotes ?? []);

export function archByName(name: string): ArchProfile | undefined {
  const wanted = name.toLowerCase();
  return ARCH_PROFILES.find((arch) => arch.name === wanted || arch.aliases.includes(wanted));
}

/** The profile whose native loader runs `machine`, for `--machine 62` style numbers. */
export function archByMachine(machine: number): ArchProfile | undefined {
  return ARCH_PROFILES.find((arch) => arch.loaders[0]!.machines.includes(machine));
}

/**
 * The architecture a file is built for: a kernel with a loader that takes the
 * file as it declares itself (class and byte order from e_ident). A native
 * loader wins over a compat one, so an i386 file is an i386 program and an
 * x32 file (ELFCLASS32, EM_X86_64) an x86-64 kernel's compat program.
 */
export function archForFile(ident: Identification, header: FileHeader): { arch: ArchProfile; loader: LoaderProfile } | undefined {
  const elfClass = ident.fileClass === ELFCLASS32 ? 'ELF32' : 'ELF64';
  const byteOrder = ident.data === ELFDATA2MSB ? 'MSB' : 'LSB';
  const candidates = ARCH_PROFILES.filter((arch) => arch.byteOrder === byteOrder);
  for (const native of [true, false]) {
    for (const arch of candidates) {
      const loaders = native ? arch.loaders.slice(0, 1) : arch.loaders.slice(1);
      const loader = loaders.find((each) => each.elfClass === elfClass && each.accepts(header, ident));
      if (loader) return { arch, loader };
    }
  }
  return undefined;
}

/** The relocation types a profile knows for `machine` in files of `elfClass`; undefined when no profile lists them. */
export function relocationTypesFor(machine: number, elfClass: ElfClass): RelocationTypes | undefined {
  return RELOCATION_TYPES.find((types) => types.machine === machine && (types.elfClass === undefined || types.elfClass === elfClass));
}

/** The processor-specific section flags a profile knows for `machine`; undefined when no profile lists them. */
export function processorSectionFlagsFor(machine: number): ProcessorSectionFlags | undefined {
  return SECTION_FLAGS.find((flags) => flags.machine === machine);
}

/** The core note sizes a profile knows for `machine` in files of `elfClass`; undefined when no profile lists them. */
export function coreNoteSizesFor(machine: number, elfClass: ElfClass): CoreNoteSizes | undefined {
  return CORE_NOTES.find((sizes) => sizes.machine === machine && sizes.elfClass === elfClass);
}
