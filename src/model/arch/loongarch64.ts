// loongarch64: a 64-bit LoongArch kernel (little-endian). One loader; the
// architecture has no CONFIG_COMPAT, so no ELF32 loader.
// Read from Linux 6.12:
//   arch/loongarch/include/asm/elf.h: ELF_CLASS ELFCLASS64 on a 64-bit
//     kernel, ELF_DATA ELFDATA2LSB, ELF_ARCH EM_LOONGARCH; elf_check_arch is
//     elf64_check_arch (EM_LOONGARCH and ELFCLASS64; the e_flags ABI bits,
//     EF_LOONGARCH_ABI_*, are not looked at); ELF_ET_DYN_BASE is two thirds
//     of TASK_SIZE;
//   arch/loongarch/include/asm/processor.h: TASK_SIZE64, 1 << the smaller of
//     the CPU's virtual address bits (CPUCFG1) and VA_BITS;
//   arch/loongarch/include/asm/pgtable.h: VA_BITS from the page table
//     layout (47 with 16 KiB pages and 3 levels);
//   arch/loongarch/Kconfig: page table layout (16 KiB pages with 3 levels by
//     default on 64-bit; 4 KiB and 64 KiB layouts exist), ARCH_MMAP_RND_BITS_MIN 12.
import { ELFCLASS64, EM_LOONGARCH } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags } from './profile.js';

/** TASK_SIZE64 with 16 KiB pages and 3 levels on a 3A5000/3A6000-class CPU: 128 TiB. */
const TASK_SIZE64 = 1n << 47n;

const native: LoaderProfile = {
  name: 'loongarch64',
  elfClass: 'ELF64',
  accepts: (header, ident) => header.e_machine === EM_LOONGARCH && ident.fileClass === ELFCLASS64,
  machines: [EM_LOONGARCH],
  taskSize: TASK_SIZE64,
  // ELF_ET_DYN_BASE: TASK_SIZE / 3 * 2, aligned down to a 16 KiB page.
  dynBase: 0x555555554000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian loong64: 12, the Kconfig minimum).
  randomBits: 12,
  source: 'arch/loongarch/include/asm/elf.h (elf64_check_arch, ELF_ET_DYN_BASE), arch/loongarch/include/asm/processor.h',
};

/** LoongArch defines no processor-specific section flag. */
const LOONGARCH_SECTION_FLAGS: ProcessorSectionFlags = { machine: EM_LOONGARCH, known: [], source: 'binutils include/elf/loongarch.h (no SHF_ flags)' };

/** struct elf_prstatus with 45 8-byte registers (480), elf_prpsinfo (136), 34 8-byte floating-point words (272). */
const LOONGARCH64_CORE_NOTES: CoreNoteSizes = {
  machine: EM_LOONGARCH,
  elfClass: 'ELF64',
  prstatus: [480],
  prpsinfo: [136],
  fpregset: [272],
  source: 'include/uapi/linux/elfcore.h, arch/loongarch/include/asm/elf.h (ELF_NGREG 45, ELF_NFPREG 34), arch/loongarch/kernel/ptrace.c',
};

export const LOONGARCH64: ArchProfile = {
  name: 'loongarch64',
  aliases: ['loong64', 'loongarch'],
  byteOrder: 'LSB',
  loaders: [native],
  pageSizes: [16384n, 4096n, 65536n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  assumes:
    'Debian loong64 kernel configuration: 16 KiB pages with 3-level page tables (47-bit user space on a CPU with ' +
    'at least 47 virtual address bits), ARCH_MMAP_RND_BITS=12, mmap_min_addr 4096',
  source: 'arch/loongarch/include/asm/elf.h, arch/loongarch/include/asm/processor.h, arch/loongarch/include/asm/pgtable.h, arch/loongarch/Kconfig',
  sectionFlags: [LOONGARCH_SECTION_FLAGS],
  coreNotes: [LOONGARCH64_CORE_NOTES],
};
