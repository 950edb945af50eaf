// arm: a native 32-bit ARM kernel, little-endian (Debian armhf and armel).
// One loader, the native ELF32 one.
// Read from Linux 6.12:
//   arch/arm/include/asm/elf.h: ELF_CLASS ELFCLASS32, ELF_DATA ELFDATA2LSB
//     (MSB only for a big-endian kernel), elf_check_arch is a function,
//     elf_check_fdpic (EI_OSABI 65), ELF_ET_DYN_BASE 0x400000, EF_ARM_* flags;
//   arch/arm/kernel/elf.c: elf_check_arch takes EM_ARM only; an entry point
//     with bit 0 set needs Thumb (HWCAP_THUMB), otherwise the entry must be a
//     multiple of 4; a legacy-ABI file (EABI version 0) is refused when it is
//     APCS-26 and the CPU lacks HWCAP_26BIT, or VFP-float when it lacks
//     HWCAP_VFP. EABI files are not checked further (in particular the kernel
//     does not look at the hard/soft-float ABI flags of an EABI file);
//   fs/binfmt_elf.c: load_elf_binary refuses files elf_check_fdpic matches;
//   arch/arm/include/asm/memory.h: TASK_SIZE is CONFIG_PAGE_OFFSET less 16 MiB;
//   arch/arm/Kconfig: PAGE_OFFSET 0xC0000000 by default (VMSPLIT_3G),
//     ARCH_MMAP_RND_BITS_MIN 8;
//   arch/arm/mm/proc-*.S: HWCAP_26BIT is set only by some ARMv3/ARMv4T-era
//     processor entries, HWCAP_THUMB by every processor with Thumb.
import { EF_ARM_APCS_26, EF_ARM_EABI_MASK, EF_ARM_SOFT_FLOAT, EF_ARM_VFP_FLOAT, EM_ARM } from '../constants.js';
import type { FileHeader, Identification } from '../elf.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';

/**
 * R_ARM_*: 0 to 140 (with the private 112-127 and the Thumb ALU and branch
 * future ones), 160 (R_ARM_IRELATIVE) to 170 (the FDPIC ones), and 249 to 256
 * (R_ARM_RXPC25 ... R_ARM_RBASE and the GNU vtable pair).
 */
export const ARM_RELOCATIONS: RelocationTypes = {
  machine: EM_ARM,
  known: [[0, 140], [160, 170], [249, 256]],
  source: 'binutils include/elf/arm.h, glibc elf.h (R_ARM_*)',
};

/** SHF_ENTRYSECT and SHF_COMDEF (the old ARM ELF), SHF_ARM_PURECODE (execute-only code, -mpure-code). */
export const ARM_SECTION_FLAGS: ProcessorSectionFlags = {
  machine: EM_ARM,
  known: [[0x10000000n, 'SHF_ENTRYSECT'], [0x20000000n, 'SHF_ARM_PURECODE'], [0x80000000n, 'SHF_COMDEF']],
  source: 'binutils include/elf/arm.h (SHF_ENTRYSECT, SHF_ARM_PURECODE, SHF_COMDEF)',
};

/**
 * struct elf_prstatus with 18 4-byte registers (148), elf_prpsinfo with
 * 16-bit uids (124), struct user_fp (116); an arm64 kernel writes the first
 * two alike for AArch32 processes (compat), and their VFP state as NT_ARM_VFP.
 */
export const ARM_CORE_NOTES: CoreNoteSizes = {
  machine: EM_ARM,
  elfClass: 'ELF32',
  prstatus: [148],
  prpsinfo: [124],
  fpregset: [116],
  source: 'include/uapi/linux/elfcore.h, arch/arm/include/asm/elf.h (ELF_NGREG 18), arch/arm/include/asm/user.h (struct user_fp), arch/arm/kernel/ptrace.c',
};

/** EI_OSABI of ARM FDPIC files (ELFOSABI_ARM_FDPIC); binfmt_elf leaves them to binfmt_elf_fdpic. */
const ELFOSABI_ARM_FDPIC = 65;
/** TASK_SIZE: CONFIG_PAGE_OFFSET (0xC0000000, VMSPLIT_3G) minus 16 MiB for modules. */
const TASK_SIZE = 0xbf000000n;

/**
 * The hardware capabilities (elf_hwcap) the check consults, as this profile
 * assumes them: every ARMv7 CPU, which Debian armhf requires, has Thumb and
 * VFP (Debian armel's ARMv5 CPUs may lack VFP, which only matters for
 * legacy-ABI VFP-float files); only some ARMv3/ARMv4-era CPUs report 26-bit mode.
 */
const HWCAPS = { thumb: true, vfp: true, mode26: false } as const;

/** arm's elf_check_arch, then binfmt_elf's refusal of FDPIC files. */
function accepts(header: FileHeader, ident: Identification): boolean {
  if (header.e_machine !== EM_ARM) return false;
  if ((header.e_entry & 1n) !== 0n) {
    // A Thumb entry point.
    if (!HWCAPS.thumb) return false;
  } else if ((header.e_entry & 3n) !== 0n) {
    // An ARM entry point that is not word aligned.
    return false;
  }
  const flags = header.e_flags;
  if ((flags & EF_ARM_EABI_MASK) === 0) {
    // Legacy ABI (EABI version 0): APCS-26 code needs a 26-bit capable CPU,
    // VFP-format floating point (VFP flag without soft-float) the VFP unit.
    if ((flags & EF_ARM_APCS_26) !== 0 && !HWCAPS.mode26) return false;
    if ((flags & (EF_ARM_VFP_FLOAT | EF_ARM_SOFT_FLOAT)) === EF_ARM_VFP_FLOAT && !HWCAPS.vfp) return false;
  }
  return ident.osAbi !== ELFOSABI_ARM_FDPIC;
}

const native: LoaderProfile = {
  name: 'arm',
  elfClass: 'ELF32',
  accepts,
  machines: [EM_ARM],
  taskSize: TASK_SIZE,
  // ELF_ET_DYN_BASE: a fixed 0x400000.
  dynBase: 0x400000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian armmp, marvell, rpi: 8).
  randomBits: 8,
  // STACK_TOP is TASK_SIZE for ADDR_LIMIT_32BIT (every non-26-bit personality);
  // arm leaves STACK_RND_MASK to mm/util.c's 0x7ff pages (8 MiB), and uses its
  // mmap_base and arch_randomize_brk (32 MiB on a 32-bit kernel).
  process: {
    stackTop: TASK_SIZE, stackRandom: 0x7ff000n, brkRandom: 0x2000000n,
    source: 'arch/arm/include/asm/processor.h (STACK_TOP), mm/util.c (STACK_RND_MASK, mmap_base, arch_randomize_brk)',
  },
  source: 'arch/arm/kernel/elf.c (elf_check_arch), arch/arm/include/asm/elf.h (ELF_ET_DYN_BASE, elf_check_fdpic)',
};

export const ARM: ArchProfile = {
  name: 'arm',
  aliases: ['armhf', 'armel', 'armv7', 'armv7l'],
  byteOrder: 'LSB',
  loaders: [native],
  pageSizes: [4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 4096).
  mmapMinAddr: 4096n,
  assumes:
    'Debian armhf (armmp) kernel configuration on an ARMv7 CPU with Thumb and VFP: little-endian, EABI, ' +
    'no OABI_COMPAT, 3G/1G split (TASK_SIZE 0xBF000000), ARCH_MMAP_RND_BITS=8, mmap_min_addr 4096',
  source: 'arch/arm/kernel/elf.c, arch/arm/include/asm/elf.h, arch/arm/include/asm/memory.h, arch/arm/Kconfig',
  relocationTypes: [ARM_RELOCATIONS],
  sectionFlags: [ARM_SECTION_FLAGS],
  coreNotes: [ARM_CORE_NOTES],
};
