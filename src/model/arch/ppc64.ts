// ppc64 and ppc64le: 64-bit PowerPC (Book3S-64) kernels, big- and
// little-endian. The native loader reads ELF64 files and checks e_machine
// only; a kernel with CONFIG_COMPAT also has the ELF32 (EM_PPC) loader.
// Read from Linux 6.12:
//   arch/powerpc/include/asm/elf.h: elf_check_arch (e_machine equal to
//     ELF_ARCH, nothing else: neither EI_CLASS nor the ELF ABI version in
//     e_flags), compat_elf_check_arch (EM_PPC only), ELF_ET_DYN_BASE
//     (0x400000 for 32-bit tasks, 4 GiB for 64-bit ones), SET_PERSONALITY
//     (an e_flags ABI field of 2 selects ELFv2, anything else ELFv1; it never
//     refuses a file);
//   arch/powerpc/include/uapi/asm/elf.h: ELF_ARCH EM_PPC64, ELF_CLASS
//     ELFCLASS64, ELF_DATA from the kernel's byte order;
//   arch/powerpc/include/asm/task_size_64.h: TASK_SIZE_USER64 (4 PiB with
//     64 KiB pages, 64 TiB with 4 KiB pages; the default mmap window is
//     128 TiB or 64 TiB), TASK_SIZE_USER32 (4 GiB less a page);
//   arch/powerpc/Kconfig: page size (64 KiB by default on Book3S-64),
//     COMPAT (default y only for big-endian kernels), ARCH_MMAP_RND_BITS_MIN
//     (14 with 64 KiB pages, 18 with 4 KiB), ARCH_MMAP_RND_COMPAT_BITS_MIN
//     (7 with 64 KiB pages, 11 with 4 KiB);
//   mm/util.c: arch_mmap_rnd uses the compat bits for compat tasks.
import { EM_PPC, EM_PPC64 } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags } from './profile.js';

/** TASK_SIZE_USER64 with 64 KiB pages (CONFIG_PPC_64K_PAGES): 4 PiB. */
const TASK_SIZE_USER64 = 0x10000000000000n;
/** TASK_SIZE_USER32 with 64 KiB pages: 4 GiB minus one page. */
const TASK_SIZE_USER32 = 0x100000000n - 65536n;
const PROCESS_SOURCE = 'arch/powerpc/include/asm/task_size_64.h (STACK_TOP), arch/powerpc/include/asm/elf.h (STACK_RND_MASK), '
  + 'mm/util.c (mmap_base), arch/powerpc/mm/mmap.c (arch_randomize_brk)';

function nativeLoader(name: string): LoaderProfile {
  return {
    name,
    elfClass: 'ELF64',
    // e_machine only: ELFv1 and ELFv2 files (e_flags 0, 1 or 2) alike.
    accepts: (header) => header.e_machine === EM_PPC64,
    machines: [EM_PPC64],
    taskSize: TASK_SIZE_USER64,
    // ELF_ET_DYN_BASE for 64-bit tasks: 4 GiB, leaving the 32-bit space free.
    dynBase: 0x100000000n,
    // CONFIG_ARCH_MMAP_RND_BITS with 64 KiB pages (Kconfig minimum, Debian powerpc64le-64k: 14).
    randomBits: 14,
    // STACK_TOP_USER64 is DEFAULT_MAP_WINDOW_USER64 (128 TiB with 64 KiB pages); STACK_RND_MASK
    // 0x3ffff >> (PAGE_SHIFT - 12) pages (1 GiB); arch_randomize_brk: 1 GiB (radix MMU, POWER9 on).
    process: { stackTop: 0x800000000000n, stackRandom: 0x3ffff000n, brkRandom: 0x40000000n, source: PROCESS_SOURCE },
    source: 'arch/powerpc/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE)',
  };
}

/** The ELF32 loader of a CONFIG_COMPAT kernel: 32-bit PowerPC programs. */
const ppc32: LoaderProfile = {
  name: 'ppc32',
  elfClass: 'ELF32',
  accepts: (header) => header.e_machine === EM_PPC,
  machines: [EM_PPC],
  taskSize: TASK_SIZE_USER32,
  // ELF_ET_DYN_BASE for 32-bit tasks (TIF_32BIT is set from EI_CLASS before it is read).
  dynBase: 0x400000n,
  // CONFIG_ARCH_MMAP_RND_COMPAT_BITS with 64 KiB pages (Kconfig minimum: 7).
  randomBits: 7,
  // STACK_TOP_USER32 is TASK_SIZE_USER32; STACK_RND_MASK 0x7ff >> (PAGE_SHIFT - 12) pages (8 MiB);
  // arch_randomize_brk: 32 MiB for 32-bit tasks.
  process: { stackTop: TASK_SIZE_USER32, stackRandom: 0x7ff000n, brkRandom: 0x2000000n, source: PROCESS_SOURCE },
  source: 'arch/powerpc/include/asm/elf.h (compat_elf_check_arch, ELF_ET_DYN_BASE)',
};

const SOURCES = 'arch/powerpc/include/asm/elf.h, arch/powerpc/include/asm/task_size_64.h, arch/powerpc/Kconfig';

/** 64-bit PowerPC defines no processor-specific section flag; 32-bit PowerPC has SHF_PPC_VLE (VLE code). */
const PPC_SECTION_FLAGS: readonly ProcessorSectionFlags[] = [
  { machine: EM_PPC64, known: [], source: 'binutils include/elf/ppc64.h (no SHF_ flags)' },
  { machine: EM_PPC, known: [[0x10000000n, 'SHF_PPC_VLE']], source: 'binutils include/elf/ppc.h (SHF_PPC_VLE)' },
];

/**
 * struct elf_prstatus with 48 registers (ELF_NGREG): 504 bytes on ppc64, 268
 * on ppc32 (and a compat task); elf_prpsinfo with 32-bit uids (136, 128); 33
 * 8-byte floating-point registers (264) in both.
 */
const PPC_CORE_NOTES: readonly CoreNoteSizes[] = [
  { machine: EM_PPC64, elfClass: 'ELF64', prstatus: [504], prpsinfo: [136], fpregset: [264], source: 'include/uapi/linux/elfcore.h, arch/powerpc/include/uapi/asm/elf.h (ELF_NGREG, ELF_NFPREG)' },
  { machine: EM_PPC, elfClass: 'ELF32', prstatus: [268], prpsinfo: [128], fpregset: [264], source: 'include/uapi/linux/elfcore.h, include/linux/elfcore-compat.h, arch/powerpc/include/uapi/asm/elf.h' },
];

export const PPC64LE: ArchProfile = {
  name: 'ppc64le',
  aliases: ['ppc64el', 'powerpc64le'],
  byteOrder: 'LSB',
  // COMPAT defaults to n on little-endian kernels, and Debian's ppc64el
  // kernels leave it unset: no ELF32 loader.
  loaders: [nativeLoader('ppc64le')],
  // 64 KiB is the Kconfig default for Book3S-64 and what Debian 12's ppc64el
  // kernel uses; Debian 13's default flavour uses 4 KiB pages (its -64k
  // flavour 64 KiB), where TASK_SIZE is 64 TiB and ARCH_MMAP_RND_BITS 18.
  pageSizes: [65536n, 4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  assumes:
    '64 KiB pages (CONFIG_PPC_64K_PAGES, Debian 12 ppc64el and Debian 13 powerpc64le-64k; Debian 13 powerpc64le uses 4 KiB), ' +
    'no CONFIG_COMPAT (as in Debian), ARCH_MMAP_RND_BITS=14, mmap_min_addr 4096',
  source: SOURCES,
  sectionFlags: PPC_SECTION_FLAGS,
  coreNotes: PPC_CORE_NOTES,
};

export const PPC64: ArchProfile = {
  name: 'ppc64',
  aliases: ['powerpc64'],
  byteOrder: 'MSB',
  // COMPAT defaults to y on big-endian kernels: 32-bit PowerPC programs run too.
  loaders: [nativeLoader('ppc64'), ppc32],
  pageSizes: [65536n, 4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Kconfig default: 4096).
  mmapMinAddr: 4096n,
  assumes:
    'Kconfig defaults for a big-endian Book3S-64 kernel: 64 KiB pages, CONFIG_COMPAT=y, ' +
    'ARCH_MMAP_RND_BITS=14, ARCH_MMAP_RND_COMPAT_BITS=7, mmap_min_addr 4096',
  source: SOURCES,
  sectionFlags: PPC_SECTION_FLAGS,
  coreNotes: PPC_CORE_NOTES,
};
