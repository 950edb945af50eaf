// arm64: the native AArch64 loader and the AArch32 compat loader (kernels
// built with CONFIG_COMPAT, on CPUs that implement AArch32 at EL0).
// Read from Linux 6.12:
//   arch/arm64/include/asm/elf.h: elf_check_arch (EM_AARCH64 only, no EI_CLASS
//     check), ELF_ET_DYN_BASE (two thirds of DEFAULT_MAP_WINDOW_64 unless
//     CONFIG_ARM64_FORCE_52BIT), COMPAT_ELF_ET_DYN_BASE (0x400000, the same
//     as 32-bit ARM's), EF_ARM_EABI_MASK;
//   arch/arm64/kernel/process.c: compat_elf_check_arch (AArch32 at EL0
//     supported, EM_ARM, a nonzero EABI version; on asymmetric systems a
//     deadline task is also refused);
//   arch/arm64/include/asm/processor.h: TASK_SIZE_64 (1 << vabits_actual),
//     DEFAULT_MAP_WINDOW_64 (1 << VA_BITS_MIN), TASK_SIZE_32 (4 GiB less a
//     page unless 64 KiB pages with the kuser helpers);
//   arch/arm64/include/asm/memory.h: VA_BITS_MIN (48 with 4 KiB pages and
//     VA_BITS 52);
//   arch/arm64/Kconfig: ARCH_MMAP_RND_BITS_MIN (18 for 4 KiB pages, 16 for
//     16 KiB, 14 for 64 KiB), ARCH_MMAP_RND_COMPAT_BITS_MIN (11, 9, 7),
//     select ARCH_USE_GNU_PROPERTY (since v5.8, the BTI support);
//   arch/arm64/include/asm/elf.h: arch_parse_elf_property (native
//     GNU_PROPERTY_AARCH64_FEATURE_1_AND must be 4 bytes; AArch32 has none);
//   arch/arm64/mm/fault.c: do_page_fault (an EL0 instruction abort needs
//     VM_EXEC in the VMA before handle_mm_fault runs).
import { EF_ARM_EABI_MASK, EM_AARCH64, EM_ARM, GNU_PROPERTY_AARCH64_FEATURE_1_AND } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';
import { ARM_CORE_NOTES, ARM_RELOCATIONS, ARM_SECTION_FLAGS } from './arm.js';

/**
 * R_AARCH64_* of the LP64 ABI: 0, 256 (the withdrawn NONE) to 313, the TLS
 * ones 512 to 573, the dynamic ones 1024 (COPY) to 1032 (IRELATIVE), and the
 * PAuth ABI's R_AARCH64_AUTH_RELATIVE (0x411) and 0xe000-0xe2ff (AUTH_ABS64,
 * AUTH_IRELATIVE, AUTH_GLOB_DAT, AUTH_TLSDESC).
 */
const AARCH64_RELOCATIONS: RelocationTypes = {
  machine: EM_AARCH64,
  elfClass: 'ELF64',
  known: [[0, 0], [256, 313], [512, 573], [1024, 1032], [0x411, 0x411], [0xe000, 0xe2ff]],
  source: 'binutils include/elf/aarch64.h, glibc elf.h, the AArch64 PAuth ABI (R_AARCH64_*)',
};

/** R_AARCH64_P32_* of the ILP32 ABI: 0 to 130 and the dynamic ones 180 to 188. */
const AARCH64_ILP32_RELOCATIONS: RelocationTypes = {
  machine: EM_AARCH64,
  elfClass: 'ELF32',
  known: [[0, 130], [180, 188]],
  source: 'binutils include/elf/aarch64.h (R_AARCH64_P32_*)',
};

/** SHF_AARCH64_PURECODE: execute-only code (binutils 2.44, LLVM's -mexecute-only). */
const AARCH64_SECTION_FLAGS: ProcessorSectionFlags = {
  machine: EM_AARCH64,
  known: [[0x20000000n, 'SHF_AARCH64_PURECODE']],
  source: 'binutils include/elf/aarch64.h (SHF_AARCH64_PURECODE)',
};

/** struct elf_prstatus with 34 8-byte registers (392), elf_prpsinfo (136), user_fpsimd_state (528). */
const AARCH64_CORE_NOTES: CoreNoteSizes = {
  machine: EM_AARCH64,
  elfClass: 'ELF64',
  prstatus: [392],
  prpsinfo: [136],
  fpregset: [528],
  source: 'include/uapi/linux/elfcore.h, arch/arm64/include/asm/elf.h (ELF_NGREG), arch/arm64/include/uapi/asm/ptrace.h (user_fpsimd_state)',
};

/**
 * TASK_SIZE_64 on a CPU without 52-bit VA (LPA2): 48 bits. Debian 13 builds
 * VA_BITS=52 with 4 KiB pages (Debian 12: VA_BITS=48); either way the
 * mmap window, and so ELF_ET_DYN_BASE, is 48 bits.
 */
const TASK_SIZE_64 = 1n << 48n;
/** TASK_SIZE_32 with 4 KiB pages: 4 GiB minus one page, with the vectors page above. */
const TASK_SIZE_32 = 0x100000000n - 4096n;
const PROCESS_SOURCE = 'arch/arm64/include/asm/processor.h (STACK_TOP), arch/arm64/include/asm/elf.h (STACK_RND_MASK), mm/util.c (mmap_base, arch_randomize_brk)';

const native: LoaderProfile = {
  name: 'aarch64',
  elfClass: 'ELF64',
  accepts: (header) => header.e_machine === EM_AARCH64,
  machines: [EM_AARCH64],
  taskSize: TASK_SIZE_64,
  // ELF_ET_DYN_BASE: 2/3 of the 48-bit window, page aligned.
  dynBase: 0xaaaaaaaaa000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian, 4 KiB pages: 18).
  randomBits: 18,
  // STACK_TOP_MAX (DEFAULT_MAP_WINDOW_64); STACK_RND_MASK 0x3ffff >> (PAGE_SHIFT - 12) pages (1 GiB);
  // arch_randomize_brk is mm/util.c's: 1 GiB for 64-bit tasks.
  process: { stackTop: TASK_SIZE_64, stackRandom: 0x3ffff000n, brkRandom: 0x40000000n, source: PROCESS_SOURCE },
  // arch_parse_elf_property: the BTI/PAC feature word, or ENOEXEC.
  gnuPropertySizes: [[GNU_PROPERTY_AARCH64_FEATURE_1_AND, 4]],
  source: 'arch/arm64/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE)',
};

const aarch32: LoaderProfile = {
  name: 'aarch32',
  elfClass: 'ELF32',
  // compat_elf_check_arch: EM_ARM with an EABI version (no legacy-ABI files);
  // the CPU must also run AArch32 at EL0, which many recent cores (Apple M1 among them) do not.
  // Unlike 32-bit ARM's check it looks at neither e_entry nor EI_OSABI.
  accepts: (header) => header.e_machine === EM_ARM && (header.e_flags & EF_ARM_EABI_MASK) !== 0,
  machines: [EM_ARM],
  taskSize: TASK_SIZE_32,
  // COMPAT_ELF_ET_DYN_BASE: fixed at 0x400000 to match arch/arm.
  dynBase: 0x400000n,
  // CONFIG_ARCH_MMAP_RND_COMPAT_BITS (Debian, 4 KiB pages: 11).
  randomBits: 11,
  // STACK_TOP for TIF_32BIT tasks is AARCH32_VECTORS_BASE; STACK_RND_MASK 0x7ff pages (8 MiB);
  // arch_randomize_brk: 32 MiB for compat tasks.
  process: { stackTop: 0xffff0000n, stackRandom: 0x7ff000n, brkRandom: 0x2000000n, source: PROCESS_SOURCE },
  source: 'arch/arm64/kernel/process.c (compat_elf_check_arch), arch/arm64/include/asm/elf.h (COMPAT_ELF_ET_DYN_BASE)',
};

export const AARCH64: ArchProfile = {
  name: 'aarch64',
  aliases: ['arm64'],
  byteOrder: 'LSB',
  loaders: [native, aarch32],
  pageSizes: [4096n, 16384n, 65536n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  // Confirmed on Debian's 6.1 and 6.12 arm64 kernels: a malformed property note is ENOEXEC.
  gnuProperty: { source: 'arch/arm64/Kconfig (ARCH_USE_GNU_PROPERTY), fs/binfmt_elf.c (parse_elf_properties)' },
  // Confirmed there too: a fetch from a non-executable page past the end of the file is SIGSEGV.
  fetchFault: { order: 'permission-first', source: 'arch/arm64/mm/fault.c (do_page_fault: vm_flags = VM_EXEC for an instruction abort)' },
  assumes:
    'Debian arm64 kernel configuration: 4 KiB pages, 48-bit user address space (no LPA2), ' +
    'ARCH_MMAP_RND_BITS=18, CONFIG_COMPAT with a CPU that runs AArch32 at EL0 (COMPAT_BITS=11), mmap_min_addr 4096',
  source: 'arch/arm64/include/asm/elf.h, arch/arm64/kernel/process.c, arch/arm64/include/asm/processor.h, arch/arm64/Kconfig',
  relocationTypes: [AARCH64_RELOCATIONS, AARCH64_ILP32_RELOCATIONS, ARM_RELOCATIONS],
  sectionFlags: [AARCH64_SECTION_FLAGS, ARM_SECTION_FLAGS],
  coreNotes: [AARCH64_CORE_NOTES, ARM_CORE_NOTES],
};
