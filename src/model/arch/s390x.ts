// s390x: a 64-bit s390 kernel (big-endian). The native loader takes ELF64
// files; with CONFIG_COMPAT a second loader takes 31-bit s390 programs
// (ELF32). Both accept EM_S390 and the pre-assignment value 0xA390.
// Read from Linux 6.12:
//   arch/s390/include/asm/elf.h: ELF_CLASS ELFCLASS64, ELF_DATA ELFDATA2MSB;
//     elf_check_arch and compat_elf_check_arch are the same test, e_machine
//     EM_S390 or EM_S390_OLD and EI_CLASS equal to ELF_CLASS; the compat
//     loader redefines ELF_CLASS as ELFCLASS32 (fs/compat_binfmt_elf.c), so
//     there the test asks for ELFCLASS32. ELF_ET_DYN_BASE is two thirds of
//     STACK_TOP, rounded down to 4 GiB for 64-bit tasks;
//   include/uapi/linux/elf-em.h: EM_S390_OLD 0xA390;
//   arch/s390/include/asm/processor.h: TASK_SIZE (TASK_SIZE_MAX, the whole
//     space less a page, for 64-bit tasks: the page tables grow on demand from
//     the initial 4 TiB; 2 GiB, _REGION3_SIZE, for 31-bit ones), STACK_TOP
//     (below _REGION2_SIZE or _REGION3_SIZE, less the vDSO and a page);
//   arch/s390/include/asm/pgtable.h: _REGION2_SIZE 1 << 42, _REGION3_SIZE 1 << 31;
//   arch/s390/kernel/vdso.c, arch/s390/include/asm/vdso.h: vdso_size (text
//     pages plus two vvar pages);
//   arch/s390/mm/mmap.c: arch_mmap_rnd (random pages masked with
//     MMAP_RND_MASK from elf.h: 0x3ff80 for 64-bit tasks, 0x7ff for 31-bit);
//   arch/s390/mm/mmap.c: check_asce_limit upgrades the page tables for
//     fixed mappings above the current limit.
// s390 does not use ARCH_MMAP_RND_BITS; the masks are fixed.
import { ELFCLASS32, ELFCLASS64, EM_S390, EM_S390_OLD } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags } from './profile.js';

const isS390 = (machine: number): boolean => machine === EM_S390 || machine === EM_S390_OLD;

const native: LoaderProfile = {
  name: 's390x',
  elfClass: 'ELF64',
  accepts: (header, ident) => isS390(header.e_machine) && ident.fileClass === ELFCLASS64,
  machines: [EM_S390, EM_S390_OLD],
  // TASK_SIZE_MAX: -PAGE_SIZE.
  taskSize: 0xfffffffffffff000n,
  // ELF_ET_DYN_BASE: STACK_TOP (just under 4 TiB) / 3 * 2, rounded down to 4 GiB.
  dynBase: 0x2aa00000000n,
  // MMAP_RND_MASK 0x3ff80: up to 2^18 pages (1 GiB), in steps of 128 pages.
  randomBits: 18,
  source: 'arch/s390/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE), arch/s390/include/asm/processor.h',
};

const s390: LoaderProfile = {
  name: 's390',
  elfClass: 'ELF32',
  accepts: (header, ident) => isS390(header.e_machine) && ident.fileClass === ELFCLASS32,
  machines: [EM_S390, EM_S390_OLD],
  // _REGION3_SIZE: 2 GiB.
  taskSize: 0x80000000n,
  // ELF_ET_DYN_BASE: STACK_TOP (2 GiB less a one-page vDSO, two vvar pages
  // and a guard page) / 3 * 2, page aligned.
  dynBase: 0x55552000n,
  // MMAP_RND_MASK 0x7ff.
  randomBits: 11,
  source: 'arch/s390/include/asm/elf.h (compat_elf_check_arch, ELF_ET_DYN_BASE), fs/compat_binfmt_elf.c',
};

/** s390 defines no processor-specific section flag. */
const S390_SECTION_FLAGS: ProcessorSectionFlags = { machine: EM_S390, known: [], source: 'binutils include/elf/s390.h (no SHF_ flags)' };

/**
 * s390x: struct elf_prstatus around s390_regs (336), elf_prpsinfo (136),
 * s390_fp_regs (136). 31-bit: compat_elf_prstatus around the 8-byte aligned
 * s390_compat_regs (224), 16-bit uids (124), the same s390_fp_regs (136).
 */
const S390_CORE_NOTES: readonly CoreNoteSizes[] = [
  { machine: EM_S390, elfClass: 'ELF64', prstatus: [336], prpsinfo: [136], fpregset: [136], source: 'include/uapi/linux/elfcore.h, arch/s390/include/uapi/asm/ptrace.h (s390_regs, s390_fp_regs)' },
  { machine: EM_S390, elfClass: 'ELF32', prstatus: [224], prpsinfo: [124], fpregset: [136], source: 'include/linux/elfcore-compat.h, arch/s390/include/asm/compat.h, arch/s390/kernel/compat_ptrace.h (s390_compat_regs)' },
];

export const S390X: ArchProfile = {
  name: 's390x',
  aliases: ['systemz'],
  byteOrder: 'MSB',
  loaders: [native, s390],
  pageSizes: [4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  assumes: 'Debian s390x kernel configuration: CONFIG_COMPAT=y (31-bit programs load), 4 KiB pages, mmap_min_addr 4096',
  source: 'arch/s390/include/asm/elf.h, arch/s390/include/asm/processor.h, arch/s390/mm/mmap.c',
  sectionFlags: [S390_SECTION_FLAGS],
  coreNotes: S390_CORE_NOTES,
};
