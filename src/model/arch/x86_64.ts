// x86-64: the native 64-bit loader plus the two ELF32 personalities (ia32 and
// x32) that the one compat loader, fs/compat_binfmt_elf.c, takes.
// Read from Linux 6.12:
//   arch/x86/include/asm/elf.h: elf_check_arch (EM_X86_64 only, no EI_CLASS
//     check), compat_elf_check_arch (EM_386 or EM_486 while IA32 emulation is
//     on; EM_X86_64 with CONFIG_X86_X32_ABI), ELF_ET_DYN_BASE (two thirds of
//     DEFAULT_MAP_WINDOW for 64-bit tasks) and COMPAT_ELF_ET_DYN_BASE
//     (TASK_UNMAPPED_BASE plus 16 MiB, which replaces ELF_ET_DYN_BASE in the
//     compat loader);
//   arch/x86/include/asm/page_64_types.h: DEFAULT_MAP_WINDOW (47 bits less a
//     page), TASK_SIZE_MAX, IA32_PAGE_OFFSET, TASK_SIZE_LOW;
//   arch/x86/include/asm/processor.h: TASK_UNMAPPED_BASE (a third of
//     TASK_SIZE_LOW, page aligned);
//   arch/x86/kernel/process_64.c: set_personality_ia32 sets TIF_ADDR32 for
//     both ia32 and x32, so both get the 32-bit task size and base;
//   arch/x86/mm/mmap.c: arch_mmap_rnd uses the compat bits for TIF_ADDR32 tasks;
//   arch/x86/Kconfig: ARCH_MMAP_RND_BITS_MIN 28 (64-bit), ARCH_MMAP_RND_COMPAT_BITS_MIN 8;
//   fs/compat_binfmt_elf.c: COMPAT_ELF_ET_DYN_BASE overrides ELF_ET_DYN_BASE.
//   The process layout (the `process` facts): arch/x86/include/asm/processor.h:
//     STACK_TOP is TASK_SIZE_LOW (DEFAULT_MAP_WINDOW, or IA32_PAGE_OFFSET for
//     TIF_ADDR32 tasks); arch/x86/include/asm/elf.h: STACK_RND_MASK 0x3fffff
//     pages (16 GiB) for 64-bit tasks, 0x7ff (8 MiB) when mmap_is_ia32(), which
//     holds for ia32 and x32 alike; arch/x86/mm/mmap.c: mmap_base (below
//     task_size by the stack rlimit plus the stack's randomisation and guard
//     gap, at least 128 MiB, then arch_rnd); arch/x86/kernel/process.c:
//     arch_randomize_brk (randomize_page over 1 GiB, 32 MiB when mmap_is_ia32(),
//     since Linux 6.9).
import { EM_386, EM_486, EM_X86_64 } from '../constants.js';
import type { ArchProfile, CoreNoteSizes, LoaderProfile, ProcessorSectionFlags, RelocationTypes } from './profile.js';
import { I386_CORE_NOTES, I386_RELOCATIONS, I386_SECTION_FLAGS } from './i386.js';

/**
 * R_X86_64_*: 0 (NONE) to 51 (CODE_6_GOTPC32_TLSDESC, APX), and the GNU
 * vtable pair 250 and 251; x32 uses the same numbers.
 */
/** The two dynamic relocation types the generator's twins write. */
export const R_X86_64_GLOB_DAT = 6;
export const R_X86_64_RELATIVE = 8;

const X86_64_RELOCATIONS: RelocationTypes = {
  machine: EM_X86_64,
  known: [[0, 51], [250, 251]],
  source: 'binutils include/elf/x86-64.h (R_X86_64_*)',
};

/** SHF_X86_64_LARGE: a section of the large code model (.lbss, .ldata, .lrodata), beyond 2 GiB. */
const X86_64_SECTION_FLAGS: ProcessorSectionFlags = {
  machine: EM_X86_64,
  known: [[0x10000000n, 'SHF_X86_64_LARGE']],
  source: 'binutils include/elf/x86-64.h (SHF_X86_64_LARGE)',
};

/**
 * x86-64: struct elf_prstatus with 27 8-byte registers (336), elf_prpsinfo
 * (136), user_i387_struct, the FXSAVE image (512). x32 (ELFCLASS32): the
 * compat structures with 4-byte longs and the 64-bit registers (296), 16-bit
 * uids (124), the same FXSAVE image.
 */
const X86_64_CORE_NOTES: readonly CoreNoteSizes[] = [
  {
    machine: EM_X86_64, elfClass: 'ELF64', prstatus: [336], prpsinfo: [136], fpregset: [512],
    source: 'include/uapi/linux/elfcore.h, arch/x86/include/asm/user_64.h',
  },
  {
    machine: EM_X86_64, elfClass: 'ELF32', prstatus: [296], prpsinfo: [124], fpregset: [512],
    source: 'include/linux/elfcore-compat.h, arch/x86/include/asm/compat.h (x32 compat_elf_gregset_t), arch/x86/include/asm/user_64.h',
  },
];

/**
 * 47-bit user space minus the guard page: TASK_SIZE_MAX with 4-level paging.
 * Debian builds CONFIG_X86_5LEVEL=y; on a CPU with LA57 TASK_SIZE_MAX is
 * 56 bits, but mappings above 47 bits need an explicit mmap hint, so this
 * stays the assumption.
 */
export const X86_64_TASK_SIZE = 0x7ffffffff000n;
/** TASK_SIZE of a 32-bit process (ia32 or x32) on a 64-bit kernel, without the ADDR_LIMIT_3GB personality. */
const IA32_PAGE_OFFSET = 0xffffe000n;
/**
 * COMPAT_ELF_ET_DYN_BASE: TASK_UNMAPPED_BASE (IA32_PAGE_OFFSET / 3, rounded
 * up to a page: 0x55555000) plus 16 MiB.
 */
const COMPAT_DYN_BASE = 0x56555000n;

const PROCESS_SOURCE = 'arch/x86/include/asm/elf.h (STACK_RND_MASK), arch/x86/mm/mmap.c (mmap_base), arch/x86/kernel/process.c (arch_randomize_brk)';
/** A TIF_ADDR32 task (ia32 or x32): the stack under IA32_PAGE_OFFSET, 8 MiB of stack and 32 MiB of brk randomisation. */
const IA32_PROCESS = { stackTop: IA32_PAGE_OFFSET, stackRandom: 0x7ff000n, brkRandom: 0x2000000n, source: PROCESS_SOURCE } as const;

const native: LoaderProfile = {
  name: 'x86_64',
  elfClass: 'ELF64',
  accepts: (header) => header.e_machine === EM_X86_64,
  machines: [EM_X86_64],
  taskSize: X86_64_TASK_SIZE,
  // DEFAULT_MAP_WINDOW / 3 * 2, page aligned.
  dynBase: 0x555555554000n,
  // CONFIG_ARCH_MMAP_RND_BITS (Debian: 28, the Kconfig minimum).
  randomBits: 28,
  int80GoesWith: 'ia32',
  entryDecoder: 'x86-64',
  process: { stackTop: X86_64_TASK_SIZE, stackRandom: 0x3fffff000n, brkRandom: 0x40000000n, source: PROCESS_SOURCE },
  source: 'arch/x86/include/asm/elf.h (elf_check_arch, ELF_ET_DYN_BASE)',
};

const ia32: LoaderProfile = {
  name: 'ia32',
  elfClass: 'ELF32',
  // Needs CONFIG_IA32_EMULATION, and emulation not switched off at boot
  // (ia32_emulation=off, or CONFIG_IA32_EMULATION_DEFAULT_DISABLED, which Debian leaves unset).
  accepts: (header) => header.e_machine === EM_386 || header.e_machine === EM_486,
  machines: [EM_386, EM_486],
  taskSize: IA32_PAGE_OFFSET,
  dynBase: COMPAT_DYN_BASE,
  // CONFIG_ARCH_MMAP_RND_COMPAT_BITS (Debian: 8).
  randomBits: 8,
  // elf_read_implies_exec: mmap_is_ia32() without PT_GNU_STACK (confirmed by executing i386 mutants).
  readImpliesExecWithoutGnuStack: true,
  process: IA32_PROCESS,
  source: 'arch/x86/include/asm/elf.h (compat_elf_check_arch, COMPAT_ELF_ET_DYN_BASE)',
};

const x32: LoaderProfile = {
  name: 'x32',
  elfClass: 'ELF32',
  // Only with CONFIG_X86_X32_ABI; the code runs in 64-bit mode with 32-bit
  // pointers. Debian's kernels also carry CONFIG_X86_X32_DISABLED=y (a Debian
  // patch): x32 execs fail with ENOEXEC unless booted with syscall.x32=y.
  accepts: (header) => header.e_machine === EM_X86_64,
  machines: [EM_X86_64],
  taskSize: IA32_PAGE_OFFSET,
  dynBase: COMPAT_DYN_BASE,
  randomBits: 8,
  // x32 tasks are TIF_ADDR32, so mmap_is_ia32() holds for them too.
  readImpliesExecWithoutGnuStack: true,
  int80GoesWith: 'ia32',
  entryDecoder: 'x86-64',
  process: IA32_PROCESS,
  source: 'arch/x86/include/asm/elf.h (compat_elf_check_arch, COMPAT_ELF_ET_DYN_BASE)',
};

export const X86_64: ArchProfile = {
  name: 'x86_64',
  aliases: ['amd64', 'x86-64', 'x64'],
  byteOrder: 'LSB',
  loaders: [native, ia32, x32],
  pageSizes: [4096n],
  // CONFIG_DEFAULT_MMAP_MIN_ADDR (Debian: 65536).
  mmapMinAddr: 65536n,
  assumes:
    'Debian amd64 kernel configuration: IA32 emulation on, CONFIG_X86_X32_ABI=y and x32 enabled at boot ' +
    '(Debian disables it unless syscall.x32=y: list x32 in disabledLoaders for a stock Debian kernel); ' +
    '47-bit user space (no LA57), ARCH_MMAP_RND_BITS=28, ARCH_MMAP_RND_COMPAT_BITS=8, mmap_min_addr 65536',
  source: 'arch/x86/include/asm/elf.h, arch/x86/include/asm/page_64_types.h, arch/x86/Kconfig',
  relocationTypes: [X86_64_RELOCATIONS, I386_RELOCATIONS, { ...I386_RELOCATIONS, machine: EM_486 }],
  sectionFlags: [X86_64_SECTION_FLAGS, I386_SECTION_FLAGS, { ...I386_SECTION_FLAGS, machine: EM_486 }],
  coreNotes: [...X86_64_CORE_NOTES, I386_CORE_NOTES],
};
