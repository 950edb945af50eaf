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
export const SHT_STRTAB = 3;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;

export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;

export const DT_NULL = 0n;
export const DT_SONAME = 14n;
export const DT_FLAGS_1 = 0x6ffffffbn;
/** DF_1_PIE: set by the linker in position-independent executables (binutils 2.33 and later). */
export const DF_1_PIE = 0x08000000n;

export const PN_XNUM = 0xffff;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_XINDEX = 0xffff;

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
