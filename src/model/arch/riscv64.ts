// riscv64: a 64-bit RISC-V kernel. Its elf_check_arch looks at EI_CLASS as
// well as e_machine, since EM_RISCV serves both RV32 and RV64.
// Read from Linux 6.12:
//   arch/riscv/include/asm/elf.h: ELF_CLASS ELFCLASS64 on a 64-bit kernel,
//     ELF_DATA ELFDATA2LSB, elf_check_arch (EM_RISCV and EI_CLASS equal to
//     ELF_CLASS), ELF_ET_DYN_BASE (two thirds of DEFAULT_MAP_WINDOW),
//     COMPAT_ELF_ET_DYN_BASE (two thirds of TASK_SIZE_32);
//   arch/riscv/kernel/process.c: compat_elf_check_arch (CONFIG_COMPAT only:
//     EM_RISCV, ELFCLASS32, and a CPU whose UXL field can select 32-bit U-mode);
//   arch/riscv/include/asm/pgtable.h: TASK_SIZE_64 (half the span of the top
//     page table level: 256 GiB with Sv39, 128 TiB with Sv48, 64 PiB with
//     Sv57), MMAP_VA_BITS (at most Sv48's), TASK_SIZE_32 (2 GiB less a page);
//   arch/riscv/include/asm/processor.h: DEFAULT_MAP_WINDOW
//     (1 << (MMAP_VA_BITS - 1), equal to TASK_SIZE_64 under Sv39);
//   arch/riscv/Kconfig: ARCH_MMAP_RND_BITS_MIN 18 (64-bit),
//     ARCH_MMAP_RND_COMPAT_BITS_MIN 8, COMPAT (default y on 64-bit), no
//     ARCH_USE_GNU_PROPERTY in 6.12 (PT_GNU_PROPERTY is not read);
//   arch/riscv/mm/fault.c: access_error (an instruction page fault needs
//     VM_EXEC in the VMA before handle_mm_fault runs).
//
// The rv32 compat loader exists only with CONFIG_COMPAT, which Debian's
// riscv64 kernel leaves unset (and which also needs hardware support), so it
// is not among the loaders; RISCV64_COMPAT_RV32 describes it for a kernel
// built with it.
import { ELFCLASS32, ELFCLASS64, EM_RISCV } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';

/**
 * R_RISCV_*, the same for RV32 and RV64: 0 to 12 (the dynamic ones, up to
 * R_RISCV_TLSDESC), 16 to 65 (up to R_RISCV_TLSDESC_CALL), and 191 to 255
 * (R_RISCV_VENDOR and the nonstandard range vendors use).
 */
const RISCV_RELOCATIONS: RelocationTypes = {
  machine: EM_RISCV,
  known: [[0, 12], [16, 65], [191, 255]],
  source: 'binutils include/elf/riscv.h, the RISC-V ELF psABI (R_RISCV_*)',
};

/** The RISC-V psABI defines no processor-specific section flag. */
const RISCV_SECTION_FLAGS: ProcessorSectionFlags = { machine: EM_RISCV, known: [], source: 'binutils include/elf/riscv.h, the RISC-V ELF psABI (no SHF_ flags)' };

/** RV64: struct elf_prstatus with 32 8-byte registers (376), elf_prpsinfo (136), __riscv_d_ext_state (33 8-byte words, 264). */
const RISCV64_CORE_NOTES: CoreNoteSizes = {
  machine: EM_RISCV,
  elfClass: 'ELF64',
  prstatus: [376],
  prpsinfo: [136],
  fpregset: [264],
  source: 'include/uapi/linux/elfcore.h, arch/riscv/include/uapi/asm/elf.h (ELF_NGREG, ELF_NFPREG), arch/riscv/kernel/ptrace.c',
};

/** TASK_SIZE_64 under Sv39, the paging mode every RV64 Linux system supports (the kernel uses the largest the CPU offers). */
const TASK_SIZE_64 = 1n << 38n;
/** TASK_SIZE_32 of a compat task: 2 GiB minus a page. */
const TASK_SIZE_32 = 0x80000000n - 4096n;

const native: LoaderProfile = {
  name: 'riscv64',
  elfClass: 'ELF64',
  accepts: (header, ident) => header.e_machine === EM_RISCV && ident.fileClass === ELFCLASS64,
  machines: [EM_RISCV],
  taskSize: TASK_SIZE_64,
  // ELF_ET_DYN_BASE: DEFAULT_MAP_WINDOW / 3 * 2 under Sv39, page aligned
  // (0x555555555000 under Sv48 or Sv57, whose mmap window is 47 bits).
  dynBase: 0x2aaaaaa000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian: 18, the Kconfig minimum).
  randomBits: 18,
  // STACK_TOP is DEFAULT_MAP_WINDOW (TASK_SIZE_64 under Sv39); STACK_RND_MASK
  // 0x3ffff >> (PAGE_SHIFT - 12) pages (1 GiB); mm/util.c's mmap_base and
  // arch_randomize_brk (1 GiB for 64-bit tasks).
  process: {
    stackTop: TASK_SIZE_64, stackRandom: 0x3ffff000n, brkRandom: 0x40000000n,
    source: 'arch/riscv/include/asm/processor.h (STACK_TOP), arch/riscv/include/asm/elf.h (STACK_RND_MASK), mm/util.c (mmap_base, arch_randomize_brk)',
  },
  source: 'arch/riscv/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE)',
};

/** The rv32 compat loader of a riscv64 kernel with CONFIG_COMPAT=y, on a CPU that supports 32-bit U-mode. */
export const RISCV64_COMPAT_RV32: LoaderProfile = {
  name: 'rv32',
  elfClass: 'ELF32',
  accepts: (header, ident) => header.e_machine === EM_RISCV && ident.fileClass === ELFCLASS32,
  machines: [EM_RISCV],
  taskSize: TASK_SIZE_32,
  // COMPAT_ELF_ET_DYN_BASE: TASK_SIZE_32 / 3 * 2, page aligned.
  dynBase: 0x55554000n,
  // CONFIG_ARCH_MMAP_RND_COMPAT_BITS (Kconfig minimum 8).
  randomBits: 8,
  source: 'arch/riscv/kernel/process.c (compat_elf_check_arch), arch/riscv/include/asm/elf.h (COMPAT_ELF_ET_DYN_BASE)',
};

export const RISCV64: ArchProfile = {
  name: 'riscv64',
  aliases: ['rv64'],
  byteOrder: 'LSB',
  loaders: [native],
  pageSizes: [4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  fetchFault: { order: 'permission-first', source: 'arch/riscv/mm/fault.c (access_error: EXC_INST_PAGE_FAULT needs VM_EXEC)' },
  assumes:
    'Debian riscv64 kernel configuration on an Sv39 CPU (256 GiB user space): no CONFIG_COMPAT, so no rv32 loader; ' +
    'ARCH_MMAP_RND_BITS=18, mmap_min_addr 4096',
  source: 'arch/riscv/include/asm/elf.h, arch/riscv/include/asm/pgtable.h, arch/riscv/include/asm/processor.h, arch/riscv/Kconfig',
  relocationTypes: [RISCV_RELOCATIONS],
  sectionFlags: [RISCV_SECTION_FLAGS],
  coreNotes: [RISCV64_CORE_NOTES],
};
