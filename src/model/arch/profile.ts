// The shape of an architecture profile: what one Linux architecture's ELF
// loaders check and assume. Every architecture fact lives in a profile file
// beside this one (one per architecture, each citing the kernel source it was
// read from); generic code reads them only through these interfaces.
import type { FileHeader, Identification } from '../elf.js';
import type { ByteOrder, ElfClass } from '../layout.js';

/**
 * One ELF binary-format handler of a kernel: the native load_elf_binary or a
 * compat one (compat_binfmt_elf.c compiles the same loader for Elf32 structures).
 */
export interface LoaderProfile {
  /** Short name, as printed in reasons and accepted in `disabledLoaders`: `x86_64`, `ia32`, `x32`, `aarch32`. */
  readonly name: string;
  /** The structures this handler reads the file with (the kernel reads bytes in its own order). */
  readonly elfClass: ElfClass;
  /**
   * elf_check_arch (or compat_elf_check_arch): whether this handler takes the
   * header as it reads it. Some check e_ident[EI_CLASS] or e_flags too.
   */
  accepts(header: FileHeader, ident: Identification): boolean;
  /** The e_machine values `accepts` is about, for messages and for choosing a file's own profile. */
  readonly machines: readonly number[];
  /** TASK_SIZE for a process of this personality: the first address past user space. */
  readonly taskSize: bigint;
  /** ELF_ET_DYN_BASE: where an ET_DYN program with an interpreter is placed before randomisation. */
  readonly dynBase: bigint;
  /** mmap_rnd_bits (or mmap_rnd_compat_bits): pages of randomisation added to the ET_DYN base. */
  readonly randomBits: number;
  /**
   * elf_read_implies_exec: a program without PT_GNU_STACK gets the
   * READ_IMPLIES_EXEC personality, so every readable mapping and the bss are
   * executable (x86 does this for 32-bit processes only).
   */
  readonly readImpliesExecWithoutGnuStack?: true;
  /**
   * The loader whose switch also governs `int 0x80` from this handler's code: on x86-64,
   * IA32 system calls come and go with the ia32 handler (ia32_enabled).
   */
  readonly int80GoesWith?: string;
  /** Analyser for the first instruction at the entry point, where elf-lint has one. */
  readonly entryDecoder?: 'x86-64';
  /**
   * GNU properties whose pr_datasz arch_parse_elf_property insists on (ENOEXEC otherwise), as
   * [pr_type, size] pairs; read only where the architecture has `gnuProperty`.
   */
  readonly gnuPropertySizes?: readonly (readonly [number, number])[];
  /**
   * Where execve puts the stack, the heap and the mmap area of a process of
   * this personality (for the layout map); absent where elf-lint does not
   * know them, and the map then draws the stack and heap without numbers.
   */
  readonly process?: ProcessLayout;
  /** Where these facts come from in the kernel tree. */
  readonly source: string;
}

/**
 * The stack, heap and mmap facts of one personality. The mmap base's own
 * randomisation is the loader's `randomBits` (mmap_rnd_bits), the same
 * arch_mmap_rnd that moves an ET_DYN program.
 */
export interface ProcessLayout {
  /** STACK_TOP: the top of the stack before randomize_stack_top moves it down. */
  readonly stackTop: bigint;
  /**
   * STACK_RND_MASK << PAGE_SHIFT with 4 KiB pages: the most randomize_stack_top
   * moves the top down. Where the mask shrinks with larger pages
   * (0x3ffff >> (PAGE_SHIFT - 12)), the span is this rounded down to the page.
   */
  readonly stackRandom: bigint;
  /** arch_randomize_brk's range: the heap starts up to this much, less a page, above the brk. */
  readonly brkRandom: bigint;
  /** Where these facts come from in the kernel tree. */
  readonly source: string;
}

/**
 * The relocation types (r_type) one machine's psABI defines, as inclusive
 * ranges: what assemblers, linkers and ld.so know. A type outside them is
 * one no tool of the architecture applies.
 */
export interface RelocationTypes {
  readonly machine: number;
  /** Set when the types depend on the class (AArch64's ILP32 ABI numbers its own). */
  readonly elfClass?: ElfClass;
  readonly known: readonly (readonly [number, number])[];
  /** Where the numbers come from (binutils' include/elf/*.h, glibc's elf.h). */
  readonly source: string;
}

/**
 * The processor-specific sh_flags bits (inside SHF_MASKPROC, 0xf0000000) one
 * machine's psABI defines; other bits of that range mean nothing to its tools.
 */
export interface ProcessorSectionFlags {
  readonly machine: number;
  /** The defined bits, each with its name (SHF_X86_64_LARGE). */
  readonly known: readonly (readonly [bigint, string])[];
  /** Where the names come from (binutils' include/elf/*.h). */
  readonly source: string;
}

/**
 * The descriptor sizes of the core notes Linux writes for one machine and
 * class (fs/binfmt_elf.c, fill_thread_core_info): each a structure whose size
 * the architecture fixes. Several sizes where ABIs of one class differ.
 */
export interface CoreNoteSizes {
  readonly machine: number;
  readonly elfClass: ElfClass;
  /** NT_PRSTATUS: sizeof(struct elf_prstatus), or the compat one. */
  readonly prstatus: readonly number[];
  /** NT_PRPSINFO: sizeof(struct elf_prpsinfo). */
  readonly prpsinfo: readonly number[];
  /** NT_PRFPREG (NT_FPREGSET): the floating-point regset's n * size, where the kernel writes one. */
  readonly fpregset?: readonly number[];
  /** The kernel headers the sizes follow from. */
  readonly source: string;
}

/** One Linux architecture as a target: a kernel of that architecture and byte order. */
export interface ArchProfile {
  /** Name used by `--machine`: `x86_64`, `aarch64`, `ppc64le`. */
  readonly name: string;
  /** Other names `--machine` accepts (Debian's, and common spellings). */
  readonly aliases: readonly string[];
  /** The kernel's byte order: every handler reads fields this way, whatever EI_DATA says. */
  readonly byteOrder: ByteOrder;
  /** Handlers in the order execve tries them (native first); ENOEXEC from one passes the file to the next. */
  readonly loaders: readonly LoaderProfile[];
  /** Page sizes the architecture supports; the first is the default assumption. */
  readonly pageSizes: readonly bigint[];
  /** The vm.mmap_min_addr assumed when none is given (CONFIG_DEFAULT_MMAP_MIN_ADDR as distributions set it). */
  readonly mmapMinAddr: bigint;
  /**
   * Set where the kernel selects CONFIG_ARCH_USE_GNU_PROPERTY: load_elf_binary then reads the
   * program's PT_GNU_PROPERTY note before the point of no return (parse_elf_properties), and a
   * malformed one fails execve.
   */
  readonly gnuProperty?: { readonly source: string };
  /**
   * How the fault handler meets an instruction fetch from a page it has not faulted in yet:
   * `fault-in-first` (x86: the page is faulted in as a read, so a page past the end of the file
   * raises SIGBUS before a missing PROT_EXEC raises SIGSEGV; the default), or `permission-first`
   * (the VMA's VM_EXEC is checked before the page is faulted in: SIGSEGV).
   */
  readonly fetchFault?: { readonly order: 'fault-in-first' | 'permission-first'; readonly source: string };
  /** Assumptions this profile makes about kernel configuration, in a sentence or two. */
  readonly assumes: string;
  /** Where these facts come from in the kernel tree. */
  readonly source: string;
  /** The relocation types of the machines this architecture runs, where elf-lint knows them. */
  readonly relocationTypes?: readonly RelocationTypes[];
  /** The processor-specific section flags of the machines this architecture runs. */
  readonly sectionFlags?: readonly ProcessorSectionFlags[];
  /** The core note sizes of the machines and classes this architecture dumps. */
  readonly coreNotes?: readonly CoreNoteSizes[];
}
