// Numeric constants of the ELF gABI and the x86-64 psABI, with the names
// elf-lint prints. One table per field; the parser, the rules and the
// generator all read these.
import { MACHINES } from './machines.js';

export const ELF_MAGIC = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;


export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_386 = 3;
/** Linux's old name for 6 (EM_IAMCU in the gABI registry); arch/x86 still accepts it. */
export const EM_486 = 6;
export const EM_MIPS = 8;
export const EM_MIPS_RS3_LE = 10;
export const EM_PPC = 20;
export const EM_PPC64 = 21;
export const EM_S390 = 22;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
export const EM_LOONGARCH = 258;
/** The value s390 used before EM_S390 was assigned; Linux's s390 loaders still take it. */
export const EM_S390_OLD = 0xa390;

/** ARM e_flags: the EABI version in the top byte (0 is the legacy ABI). */
export const EF_ARM_EABI_MASK = 0xff000000;
/** ARM e_flags of legacy-ABI files: code for 26-bit (APCS-26) processors. */
export const EF_ARM_APCS_26 = 0x08;
/** ARM e_flags of legacy-ABI files: soft-float, and VFP floating point. */
export const EF_ARM_SOFT_FLOAT = 0x200;
export const EF_ARM_VFP_FLOAT = 0x400;
/** MIPS e_flags: the n32 ABI marker, the ABI field, and its o32 value. */
export const EF_MIPS_ABI2 = 0x20;
export const EF_MIPS_ABI = 0x0000f000;
export const EF_MIPS_ABI_O32 = 0x00001000;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_SHLIB = 5;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;
export const PT_GNU_RELRO = 0x6474e552;
export const PT_GNU_PROPERTY = 0x6474e553;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_GROUP = 17;
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_RELR = 19;
export const SHT_GNU_HASH = 0x6ffffff6;
export const SHT_GNU_VERDEF = 0x6ffffffd;
export const SHT_GNU_VERNEED = 0x6ffffffe;
export const SHT_GNU_VERSYM = 0x6fffffff;

export const SHT_NAMES: ReadonlyMap<number, string> = new Map([
  [SHT_NULL, 'NULL'], [SHT_PROGBITS, 'PROGBITS'], [SHT_SYMTAB, 'SYMTAB'], [SHT_STRTAB, 'STRTAB'], [SHT_RELA, 'RELA'],
  [SHT_HASH, 'HASH'], [SHT_DYNAMIC, 'DYNAMIC'], [SHT_NOTE, 'NOTE'], [SHT_NOBITS, 'NOBITS'], [SHT_REL, 'REL'],
  [10, 'SHLIB'], [SHT_DYNSYM, 'DYNSYM'], [SHT_INIT_ARRAY, 'INIT_ARRAY'], [SHT_FINI_ARRAY, 'FINI_ARRAY'],
  [SHT_PREINIT_ARRAY, 'PREINIT_ARRAY'], [SHT_GROUP, 'GROUP'], [SHT_SYMTAB_SHNDX, 'SYMTAB_SHNDX'], [SHT_RELR, 'RELR'],
  [SHT_GNU_HASH, 'GNU_HASH'], [SHT_GNU_VERDEF, 'GNU_verdef'], [SHT_GNU_VERNEED, 'GNU_verneed'], [SHT_GNU_VERSYM, 'GNU_versym'],
]);

export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
/** sh_info holds a section index (the gABI's SHF_INFO_LINK). */
export const SHF_INFO_LINK = 0x40n;
export const SHF_TLS = 0x400n;
/** The contents are a compression header and compressed data (.debug_* with -gz). */
export const SHF_COMPRESSED = 0x800n;
export const SHF_MERGE = 0x10n;
export const SHF_STRINGS = 0x20n;
export const SHF_LINK_ORDER = 0x80n;
export const SHF_OS_NONCONFORMING = 0x100n;
/** The bits the gABI leaves to operating systems and to processors (SHF_EXCLUDE, SHF_X86_64_LARGE, ...). */
export const SHF_MASKOS = 0x0ff00000n;
export const SHF_MASKPROC = 0xf0000000n;

export const DT_NULL = 0n;
export const DT_SONAME = 14n;
export const DT_FLAGS_1 = 0x6ffffffbn;
/** DF_1_PIE: set by the linker in position-independent executables (binutils 2.33 and later). */
export const DF_1_PIE = 0x08000000n;

export const PN_XNUM = 0xffff;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_XINDEX = 0xffff;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

export const EM_ALPHA = 0x9026;

export const SHF_GROUP = 0x200n;
/** The flag word of an SHT_GROUP section and ch_type of an SHF_COMPRESSED one. */
export const GRP_COMDAT = 1;
export const ELFCOMPRESS_ZLIB = 1;
export const ELFCOMPRESS_ZSTD = 2;

/** Symbol binding (ELF_ST_BIND), type (ELF_ST_TYPE) and visibility (ELF_ST_VISIBILITY). */
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

export const DT_NEEDED = 1n;
export const DT_HASH = 4n;
export const DT_STRTAB = 5n;
export const DT_SYMTAB = 6n;
export const DT_RELA = 7n;
export const DT_RELASZ = 8n;
export const DT_RELAENT = 9n;
export const DT_STRSZ = 10n;
export const DT_SYMENT = 11n;
export const DT_REL = 17n;
export const DT_RELSZ = 18n;
export const DT_RELENT = 19n;
export const DT_JMPREL = 23n;
export const DT_RELRSZ = 35n;
export const DT_RELR = 36n;
export const DT_RELRENT = 37n;
export const DT_GNU_HASH = 0x6ffffef5n;
export const DT_VERSYM = 0x6ffffff0n;
export const DT_VERDEF = 0x6ffffffcn;
export const DT_VERDEFNUM = 0x6ffffffdn;
export const DT_VERNEED = 0x6ffffffen;
export const DT_VERNEEDNUM = 0x6fffffffn;
/** The other gABI and GNU dynamic tags the dynamic-table rules read. */
export const DT_PLTRELSZ = 2n;
export const DT_PLTGOT = 3n;
export const DT_INIT = 12n;
export const DT_FINI = 13n;
export const DT_SYMBOLIC = 16n;
export const DT_PLTREL = 20n;
export const DT_INIT_ARRAY = 25n;
export const DT_FINI_ARRAY = 26n;
export const DT_INIT_ARRAYSZ = 27n;
export const DT_FINI_ARRAYSZ = 28n;
export const DT_PREINIT_ARRAY = 32n;
export const DT_PREINIT_ARRAYSZ = 33n;
export const DT_SYMTAB_SHNDX = 34n;
export const DT_GNU_PRELINKED = 0x6ffffdf5n;
export const DT_GNU_CONFLICTSZ = 0x6ffffdf6n;
export const DT_GNU_LIBLISTSZ = 0x6ffffdf7n;
export const DT_CHECKSUM = 0x6ffffdf8n;
export const DT_GNU_CONFLICT = 0x6ffffef8n;
export const DT_GNU_LIBLIST = 0x6ffffef9n;
export const DT_RELACOUNT = 0x6ffffff9n;
export const DT_RELCOUNT = 0x6ffffffan;
export const DT_AUXILIARY = 0x7ffffffdn;
export const DT_FILTER = 0x7fffffffn;
/** Every DF_* bit the gABI defines (DF_ORIGIN to DF_STATIC_TLS) and every DF_1_* bit glibc's elf.h names (DF_1_NOW to DF_1_NOCOMMON). */
export const DF_KNOWN = 0x1fn;
export const DF_1_KNOWN = 0x7fffffffn;

/** Note types: the GNU ones (owner "GNU") and the core-file ones (owner "CORE"). */
export const NT_GNU_ABI_TAG = 1;
export const NT_GNU_HWCAP = 2;
export const NT_GNU_BUILD_ID = 3;
export const NT_GNU_GOLD_VERSION = 4;
export const NT_GNU_PROPERTY_TYPE_0 = 5;
export const NT_PRSTATUS = 1;
export const NT_PRPSINFO = 3;
export const NT_AUXV = 6;
export const NT_FILE = 0x46494c45;

/** Version definition flags, the reserved version indexes and versym's hidden bit. */
export const VER_FLG_BASE = 1;
export const VER_FLG_WEAK = 2;
/** binutils' flag for a version reference kept only as information (ld --no-add-needed). */
export const VER_FLG_INFO = 4;
/** vd_version and vn_version: the only revision of the version structures. */
export const VER_DEF_CURRENT = 1;
export const VER_NEED_CURRENT = 1;
export const VER_NDX_LOCAL = 0;
export const VER_NDX_GLOBAL = 1;
export const VERSYM_HIDDEN = 0x8000;

export const ELF_OSABI_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'SYSV'], [1, 'HPUX'], [2, 'NETBSD'], [3, 'LINUX'], [4, 'HURD'], [6, 'SOLARIS'],
  [7, 'AIX'], [8, 'IRIX'], [9, 'FREEBSD'], [10, 'TRU64'], [11, 'MODESTO'], [12, 'OPENBSD'],
  [13, 'OPENVMS'], [14, 'NSK'], [15, 'AROS'], [16, 'FENIXOS'], [17, 'CLOUDABI'], [18, 'OPENVOS'],
  [64, 'ARM_AEABI'], [97, 'ARM'], [255, 'STANDALONE'],
]);

export const ELF_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ET_NONE, 'NONE'], [ET_REL, 'REL'], [ET_EXEC, 'EXEC'], [ET_DYN, 'DYN'], [ET_CORE, 'CORE'],
]);
export const ET_LOOS = 0xfe00;

/** e_machine values by their EM_ name (without the prefix), from the machine table. */
export const ELF_MACHINE_NAMES: ReadonlyMap<number, string> = new Map([...MACHINES].map(([value, machine]) => [value, machine.name]));

export const PT_NAMES: ReadonlyMap<number, string> = new Map([
  [PT_NULL, 'NULL'], [PT_LOAD, 'LOAD'], [PT_DYNAMIC, 'DYNAMIC'], [PT_INTERP, 'INTERP'],
  [PT_NOTE, 'NOTE'], [PT_SHLIB, 'SHLIB'], [PT_PHDR, 'PHDR'], [PT_TLS, 'TLS'],
  [PT_GNU_EH_FRAME, 'GNU_EH_FRAME'], [PT_GNU_STACK, 'GNU_STACK'], [PT_GNU_RELRO, 'GNU_RELRO'],
  [PT_GNU_PROPERTY, 'GNU_PROPERTY'], [0x6474e554, 'GNU_SFRAME'],
]);

export function nameOr(table: ReadonlyMap<number, string>, value: number): string {
  return table.get(value) ?? `0x${value.toString(16)}`;
}

export function segmentFlagsText(pFlags: number): string {
  return `${pFlags & PF_R ? 'R' : '-'}${pFlags & PF_W ? 'W' : '-'}${pFlags & PF_X ? 'X' : '-'}`;
}

/** Dynamic tags and flags the hardening checks read. */
export const DT_RPATH = 15n;
export const DT_DEBUG = 21n;
export const DT_TEXTREL = 22n;
export const DT_BIND_NOW = 24n;
export const DT_RUNPATH = 29n;
export const DT_FLAGS = 30n;
export const DF_TEXTREL = 0x4n;
export const DF_BIND_NOW = 0x8n;
export const DF_1_NOW = 0x1n;

/** NT_GNU_PROPERTY_TYPE_0 property types and the feature bits of the x86 and AArch64 "AND" properties. */
export const GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
export const GNU_PROPERTY_X86_FEATURE_1_IBT = 0x1;
export const GNU_PROPERTY_X86_FEATURE_1_SHSTK = 0x2;
export const GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0xc0000000;
export const GNU_PROPERTY_AARCH64_FEATURE_1_BTI = 0x1;
export const GNU_PROPERTY_AARCH64_FEATURE_1_PAC = 0x2;
