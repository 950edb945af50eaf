// i386: a native 32-bit x86 kernel (CONFIG_X86_32). One loader, the native
// ELF32 one; there is no compat loader.
// Read from Linux 6.12:
//   arch/x86/include/asm/elf.h: with CONFIG_X86_32, elf_check_arch is the ia32
//     check (EM_386 or EM_486, no EI_CLASS check); ELF_CLASS ELFCLASS32,
//     ELF_DATA ELFDATA2LSB; ELF_ET_DYN_BASE is 0x400000 because mmap_is_ia32()
//     is always true on a 32-bit kernel;
//   arch/x86/include/asm/page_32_types.h: TASK_SIZE is __PAGE_OFFSET, that is
//     CONFIG_PAGE_OFFSET (0xC0000000 with the default 3G/1G split, VMSPLIT_3G);
//   arch/x86/Kconfig: PAGE_OFFSET defaults, ARCH_MMAP_RND_BITS_MIN 8 for 32-bit;
//   arch/x86/mm/mmap.c: arch_mmap_rnd uses mmap_rnd_bits on a 32-bit kernel.
import { EM_386, EM_486 } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';

/**
 * R_386_*: 0 to 11, then 14 (R_386_TLS_TPOFF) to 43 (R_386_GOT32X), and the
 * GNU vtable pair 250 and 251 (12 and 13 were never assigned).
 */
export const I386_RELOCATIONS: RelocationTypes = {
  machine: EM_386,
  known: [[0, 11], [14, 43], [250, 251]],
  source: 'binutils include/elf/i386.h, glibc elf.h (R_386_*)',
};

/** i386 defines no processor-specific section flag. */
export const I386_SECTION_FLAGS: ProcessorSectionFlags = { machine: EM_386, known: [], source: 'binutils include/elf/i386.h (no SHF_ flags)' };

/**
 * struct elf_prstatus with 17 4-byte registers (144), elf_prpsinfo with
 * 16-bit uids (124), user_i387_ia32_struct (108): also what an x86-64
 * kernel writes for an ia32 process (compat_elf_prstatus).
 */
export const I386_CORE_NOTES: CoreNoteSizes = {
  machine: EM_386,
  elfClass: 'ELF32',
  prstatus: [144],
  prpsinfo: [124],
  fpregset: [108],
  source: 'include/uapi/linux/elfcore.h, arch/x86/include/asm/user_32.h, arch/x86/include/uapi/asm/posix_types_32.h',
};

/** TASK_SIZE: CONFIG_PAGE_OFFSET with CONFIG_VMSPLIT_3G (Debian's 686 and 686-pae). */
const TASK_SIZE = 0xc0000000n;

const native: LoaderProfile = {
  name: 'i386',
  elfClass: 'ELF32',
  accepts: (header) => header.e_machine === EM_386 || header.e_machine === EM_486,
  machines: [EM_386, EM_486],
  taskSize: TASK_SIZE,
  // ELF_ET_DYN_BASE for a 32-bit kernel.
  dynBase: 0x400000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian: 8, the Kconfig minimum).
  randomBits: 8,
  // elf_read_implies_exec: every 32-bit x86 program without PT_GNU_STACK.
  readImpliesExecWithoutGnuStack: true,
  // STACK_TOP is TASK_SIZE; STACK_RND_MASK 0x7ff pages (8 MiB) with CONFIG_X86_32;
  // arch_randomize_brk: 32 MiB, mmap_is_ia32() being always true.
  process: {
    stackTop: TASK_SIZE, stackRandom: 0x7ff000n, brkRandom: 0x2000000n,
    source: 'arch/x86/include/asm/elf.h (STACK_RND_MASK), arch/x86/mm/mmap.c (mmap_base), arch/x86/kernel/process.c (arch_randomize_brk)',
  },
  source: 'arch/x86/include/asm/elf.h (elf_check_arch with CONFIG_X86_32, ELF_ET_DYN_BASE)',
};

export const I386: ArchProfile = {
  name: 'i386',
  aliases: ['i686', 'i586', 'i486', 'x86'],
  byteOrder: 'LSB',
  loaders: [native],
  pageSizes: [4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 65536).
  mmapMinAddr: 65536n,
  assumes:
    'Debian 12 i386 (686, 686-pae) kernel configuration: 3G/1G split (PAGE_OFFSET 0xC0000000), ' +
    'ARCH_MMAP_RND_BITS=8, mmap_min_addr 65536',
  source: 'arch/x86/include/asm/elf.h, arch/x86/include/asm/page_32_types.h, arch/x86/Kconfig',
  relocationTypes: [I386_RELOCATIONS, { ...I386_RELOCATIONS, machine: EM_486 }],
  sectionFlags: [I386_SECTION_FLAGS, { ...I386_SECTION_FLAGS, machine: EM_486 }],
  coreNotes: [I386_CORE_NOTES],
};
