// MIPS: 32-bit kernels (mips, mipsel) with one loader for o32 programs, and
// 64-bit kernels (mips64, mips64el) whose native loader takes n64 programs
// and whose compat loader takes o32 and n32 ones.
// Read from Linux 6.12:
//   arch/mips/include/asm/elf.h: elf32_check_arch (EM_MIPS, ELFCLASS32, then
//     by e_flags: with EF_MIPS_ABI2 set it is n32, refused unless
//     CONFIG_MIPS32_N32 and the EF_MIPS_ABI field is 0; otherwise it is o32,
//     refused on a 64-bit kernel without CONFIG_MIPS32_O32, when the
//     EF_MIPS_ABI field is neither 0 nor EF_MIPS_ABI_O32, and, without
//     CONFIG_MIPS_O32_FP64_SUPPORT, when EF_MIPS_FP64 is set);
//     elf64_check_arch (EM_MIPS, ELFCLASS64; e_flags not looked at);
//     elf_check_arch is elf32_check_arch on a 32-bit kernel and
//     elf64_check_arch on a 64-bit one, compat_elf_check_arch is
//     elf32_check_arch; ELF_DATA from the kernel's byte order;
//     ELF_ET_DYN_BASE is two thirds of TASK_SIZE;
//   arch/mips/include/asm/processor.h: TASK_SIZE 2 GiB on 32-bit kernels;
//     TASK_SIZE64 1 TiB without CONFIG_MIPS_VA_BITS_48; TASK_SIZE32
//     0x7fff8000 for o32 and n32 tasks on 64-bit kernels (TIF_32BIT_ADDR);
//   arch/mips/include/asm/compat.h: is_compat_task is TIF_32BIT_ADDR, so
//     o32 and n32 tasks get the compat random bits (mm/util.c arch_mmap_rnd);
//   arch/mips/Kconfig: ARCH_MMAP_RND_BITS_MIN (12 for 64-bit, 8 for 32-bit),
//     ARCH_MMAP_RND_COMPAT_BITS_MIN 8, page sizes (4, 16, 64 KiB; 8 and 32
//     KiB on Cavium Octeon).
//
// Older kernels built o32 and n32 support as two binfmt handlers
// (arch/mips/kernel/binfmt_elfo32.c and binfmt_elfn32.c). Linux 6.x has
// neither: both ABIs go through the one compat loader,
// fs/compat_binfmt_elf.c with elf32_check_arch. The two ABIs are still
// separate kernel options (CONFIG_MIPS32_O32, CONFIG_MIPS32_N32), so they
// are modelled as two LoaderProfiles, `o32` and `n32`, that accept disjoint
// sets of headers (so their order does not change which one takes a file).
import { ELFCLASS32, ELFCLASS64, EF_MIPS_ABI, EF_MIPS_ABI2, EF_MIPS_ABI_O32, EM_MIPS } from '../constants.js';
import type { FileHeader, Identification } from '../elf.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags } from './profile.js';

/**
 * The o32 half of elf32_check_arch. EF_MIPS_FP64 is not refused: Debian's
 * kernels set CONFIG_MIPS_O32_FP64_SUPPORT.
 */
function isO32(header: FileHeader, ident: Identification): boolean {
  if (header.e_machine !== EM_MIPS || ident.fileClass !== ELFCLASS32) return false;
  if ((header.e_flags & EF_MIPS_ABI2) !== 0) return false;
  const abi = header.e_flags & EF_MIPS_ABI;
  return abi === 0 || abi === EF_MIPS_ABI_O32;
}

/** The n32 half of elf32_check_arch (64-bit kernels with CONFIG_MIPS32_N32). */
function isN32(header: FileHeader, ident: Identification): boolean {
  if (header.e_machine !== EM_MIPS || ident.fileClass !== ELFCLASS32) return false;
  return (header.e_flags & EF_MIPS_ABI2) !== 0 && (header.e_flags & EF_MIPS_ABI) === 0;
}

/** TASK_SIZE of a 32-bit kernel: 2 GiB. */
const TASK_SIZE = 0x80000000n;
/** TASK_SIZE64 without CONFIG_MIPS_VA_BITS_48 (Debian): 1 TiB. */
const TASK_SIZE64 = 0x10000000000n;
/** TASK_SIZE32: o32 and n32 tasks on a 64-bit kernel. */
const TASK_SIZE32 = 0x7fff8000n;

const MIPS32_PAGE_SIZES = [4096n, 16384n, 65536n] as const;
const MIPS64_PAGE_SIZES = [4096n, 16384n, 65536n, 8192n, 32768n] as const;

function native32(name: string): LoaderProfile {
  return {
    name,
    elfClass: 'ELF32',
    // On a 32-bit kernel an n32 file (EF_MIPS_ABI2) is always refused: CONFIG_MIPS32_N32 needs 64BIT.
    accepts: isO32,
    machines: [EM_MIPS],
    taskSize: TASK_SIZE,
    // ELF_ET_DYN_BASE: TASK_SIZE / 3 * 2, page aligned (4 KiB).
    dynBase: 0x55555000n,
    // CONFIG_ARCH_MMAP_RND_BITS (Debian mipsel: 8, the Kconfig minimum).
    randomBits: 8,
    source: 'arch/mips/include/asm/elf.h (elf32_check_arch, ELF_ET_DYN_BASE), arch/mips/include/asm/processor.h',
  };
}

function native64(name: string): LoaderProfile {
  return {
    name,
    elfClass: 'ELF64',
    accepts: (header, ident) => header.e_machine === EM_MIPS && ident.fileClass === ELFCLASS64,
    machines: [EM_MIPS],
    taskSize: TASK_SIZE64,
    // ELF_ET_DYN_BASE: TASK_SIZE64 / 3 * 2, page aligned (4 KiB; 0xaaaaaa8000 with 16 KiB pages).
    dynBase: 0xaaaaaaa000n,
    // CONFIG_ARCH_MMAP_RND_BITS (Debian mips64el: 12, the Kconfig minimum).
    randomBits: 12,
    source: 'arch/mips/include/asm/elf.h (elf64_check_arch, ELF_ET_DYN_BASE), arch/mips/include/asm/processor.h',
  };
}

const COMPAT_SOURCE = 'arch/mips/include/asm/elf.h (compat_elf_check_arch = elf32_check_arch), fs/compat_binfmt_elf.c';

/** o32 programs on a 64-bit kernel (CONFIG_MIPS32_O32). */
const o32: LoaderProfile = {
  name: 'o32',
  elfClass: 'ELF32',
  accepts: isO32,
  machines: [EM_MIPS],
  taskSize: TASK_SIZE32,
  // ELF_ET_DYN_BASE with TIF_32BIT_ADDR set: TASK_SIZE32 / 3 * 2 (already page aligned).
  dynBase: 0x55550000n,
  // CONFIG_ARCH_MMAP_RND_COMPAT_BITS (Debian: 8).
  randomBits: 8,
  source: COMPAT_SOURCE,
};

/** n32 programs on a 64-bit kernel (CONFIG_MIPS32_N32). */
const n32: LoaderProfile = { ...o32, name: 'n32', accepts: isN32 };

const ASSUMES_32 =
  'Debian mipsel kernel configuration (4kc-malta, mips32r2el): 4 KiB pages, CONFIG_MIPS_O32_FP64_SUPPORT=y, ' +
  'ARCH_MMAP_RND_BITS=8, mmap_min_addr 4096';
const ASSUMES_64 =
  'Debian mips64el kernel configuration (mips64r2el, octeon, 5kc-malta): 4 KiB pages (loongson-3 uses 16 KiB), ' +
  'no CONFIG_MIPS_VA_BITS_48 (1 TiB user space), CONFIG_MIPS32_O32=y, CONFIG_MIPS32_N32=y, ' +
  'CONFIG_MIPS_O32_FP64_SUPPORT=y, ARCH_MMAP_RND_BITS=12, ARCH_MMAP_RND_COMPAT_BITS=8, mmap_min_addr 4096';
const SOURCES = 'arch/mips/include/asm/elf.h, arch/mips/include/asm/processor.h, arch/mips/Kconfig';

/** The SHF_MIPS_* bits of SHF_MASKPROC (the others, SHF_MIPS_NOSTRIP and below, lie in SHF_MASKOS). */
const MIPS_SECTION_FLAGS: readonly ProcessorSectionFlags[] = [{
  machine: EM_MIPS,
  known: [[0x10000000n, 'SHF_MIPS_GPREL'], [0x20000000n, 'SHF_MIPS_MERGE'], [0x40000000n, 'SHF_MIPS_ADDR'], [0x80000000n, 'SHF_MIPS_STRINGS']],
  source: 'binutils include/elf/mips.h (SHF_MIPS_*)',
}];

/**
 * struct elf_prstatus with 45 registers (ELF_NGREG): n64 480 bytes, o32 256,
 * n32 (4-byte longs, 8-byte registers) 440; elf_prpsinfo 136 (n64) or 128;
 * 33 8-byte floating-point registers (264).
 */
const MIPS_CORE_NOTES: readonly CoreNoteSizes[] = [
  { machine: EM_MIPS, elfClass: 'ELF64', prstatus: [480], prpsinfo: [136], fpregset: [264], source: 'include/uapi/linux/elfcore.h, arch/mips/include/asm/elf.h (ELF_NGREG, ELF_NFPREG)' },
  { machine: EM_MIPS, elfClass: 'ELF32', prstatus: [256, 440], prpsinfo: [128], fpregset: [264], source: 'include/uapi/linux/elfcore.h, include/linux/elfcore-compat.h, arch/mips/include/asm/elf.h' },
];

export const MIPS: ArchProfile = {
  name: 'mips',
  aliases: ['mipsbe', 'mipseb'],
  byteOrder: 'MSB',
  loaders: [native32('mips')],
  pageSizes: MIPS32_PAGE_SIZES,
  mmapMinAddr: 4096n,
  assumes: `${ASSUMES_32}, big-endian (Debian no longer builds mips; the configuration is taken from mipsel)`,
  source: SOURCES,
  sectionFlags: MIPS_SECTION_FLAGS,
  coreNotes: MIPS_CORE_NOTES,
};

export const MIPSEL: ArchProfile = {
  name: 'mipsel',
  aliases: ['mipsle'],
  byteOrder: 'LSB',
  loaders: [native32('mipsel')],
  pageSizes: MIPS32_PAGE_SIZES,
  mmapMinAddr: 4096n,
  assumes: ASSUMES_32,
  source: SOURCES,
  sectionFlags: MIPS_SECTION_FLAGS,
  coreNotes: MIPS_CORE_NOTES,
};

export const MIPS64: ArchProfile = {
  name: 'mips64',
  aliases: ['mips64be', 'mips64eb'],
  byteOrder: 'MSB',
  loaders: [native64('mips64'), o32, n32],
  pageSizes: MIPS64_PAGE_SIZES,
  mmapMinAddr: 4096n,
  assumes: `${ASSUMES_64}, big-endian (Debian has no big-endian mips64 port; the configuration is taken from mips64el)`,
  source: SOURCES,
  sectionFlags: MIPS_SECTION_FLAGS,
  coreNotes: MIPS_CORE_NOTES,
};

export const MIPS64EL: ArchProfile = {
  name: 'mips64el',
  aliases: ['mips64le'],
  byteOrder: 'LSB',
  loaders: [native64('mips64el'), o32, n32],
  pageSizes: MIPS64_PAGE_SIZES,
  mmapMinAddr: 4096n,
  assumes: ASSUMES_64,
  source: SOURCES,
  sectionFlags: MIPS_SECTION_FLAGS,
  coreNotes: MIPS_CORE_NOTES,
};
