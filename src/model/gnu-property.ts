// NT_GNU_PROPERTY_TYPE_0 ("GNU" notes in .note.gnu.property / PT_GNU_PROPERTY):
// a list of properties, each a type, a data size and the data, padded to 8
// bytes in ELF64 and 4 in ELF32. The kernel reads them for AArch64 BTI, ld.so
// for x86 IBT/SHSTK; the hardening checks read the feature bits.
import type { ElfFile } from './elf.js';
import type { Note } from './contents.js';
import {
  EM_386, EM_486, EM_AARCH64, EM_RISCV, EM_X86_64, GNU_PROPERTY_AARCH64_FEATURE_1_AND, NT_GNU_PROPERTY_TYPE_0, PT_GNU_PROPERTY, PT_NOTE, SHT_NOTE,
} from './constants.js';

export interface GnuProperty {
  readonly type: number;
  readonly data: Uint8Array;
}

export interface GnuProperties {
  readonly properties: readonly GnuProperty[];
  /** Why the list stops early: a property's data runs past the descriptor. */
  readonly problem?: string;
}

export function parseGnuProperties(desc: Uint8Array, elf: Pick<ElfFile, 'layout' | 'byteOrder'>): GnuProperties {
  const view = new DataView(desc.buffer, desc.byteOffset, desc.byteLength);
  const little = elf.byteOrder === 'LSB';
  const align = elf.layout.wordSize;
  const properties: GnuProperty[] = [];
  let offset = 0;
  while (offset + 8 <= desc.length) {
    const type = view.getUint32(offset, little);
    const size = view.getUint32(offset + 4, little);
    if (size > desc.length - offset - 8) return { properties, problem: `property ${properties.length} (type 0x${type.toString(16)}) has pr_datasz ${size}, past the end of the note` };
    properties.push({ type, data: desc.subarray(offset + 8, offset + 8 + size) });
    offset += 8 + Math.ceil(size / align) * align;
  }
  return offset >= desc.length ? { properties } : { properties, problem: `${desc.length - offset} bytes after the last property` };
}

/** The GNU property notes of a file: PT_GNU_PROPERTY as the kernel reads it, else PT_NOTE, else SHT_NOTE sections (objects). */
export function gnuPropertyNotes(elf: ElfFile): Note[] {
  const isProperty = (note: Note) => note.n_type === NT_GNU_PROPERTY_TYPE_0 && note.name === 'GNU';
  const property = elf.programHeaders.find((phdr) => phdr.p_type === PT_GNU_PROPERTY);
  if (property) return elf.contents.segmentNotes(property.index).filter(isProperty);
  const fromSegments = elf.programHeaders.filter((phdr) => phdr.p_type === PT_NOTE).flatMap((phdr) => elf.contents.segmentNotes(phdr.index).filter(isProperty));
  if (fromSegments.length > 0 || elf.programHeaders.length > 0) return fromSegments;
  return elf.sectionHeaders.filter((section) => section.sh_type === SHT_NOTE).flatMap((section) => elf.contents.sectionNotes(section.index).filter(isProperty));
}

/** The 32-bit value of the first property of `type` (the FEATURE_1_AND masks), or undefined without one. */
export function gnuPropertyWord(elf: ElfFile, type: number): number | undefined {
  for (const note of gnuPropertyNotes(elf)) {
    const found = parseGnuProperties(note.desc, elf).properties.find((property) => property.type === type);
    if (found && found.data.length >= 4) return new DataView(found.data.buffer, found.data.byteOffset, 4).getUint32(0, elf.byteOrder === 'LSB');
  }
  return undefined;
}

/** GNU_PROPERTY_STACK_SIZE, GNU_PROPERTY_NO_COPY_ON_PROTECTED, GNU_PROPERTY_MEMORY_SEAL and the generic 32-bit AND/OR range. */
const GNU_PROPERTY_STACK_SIZE = 1;
const GNU_PROPERTY_NO_COPY_ON_PROTECTED = 2;
const GNU_PROPERTY_MEMORY_SEAL = 3;
const GNU_PROPERTY_UINT32_LO = 0xb0000000;
const GNU_PROPERTY_UINT32_HI = 0xb000ffff;
/** x86's processor range: ISA and feature words, AND, OR and OR-AND kinds (binutils include/elf/common.h). */
const GNU_PROPERTY_X86_LO = 0xc0000000;
const GNU_PROPERTY_X86_HI = 0xc0017fff;
/** AArch64's GNU_PROPERTY_AARCH64_FEATURE_PAUTH: platform and version, 8 bytes each. */
const GNU_PROPERTY_AARCH64_FEATURE_PAUTH = 0xc0000001;
/** RISC-V's GNU_PROPERTY_RISCV_FEATURE_1_AND (Zicfilp, Zicfiss). */
const GNU_PROPERTY_RISCV_FEATURE_1_AND = 0xc0000000;

/**
 * The pr_datasz a property of `type` has, when its type is one the ABIs
 * define (processor-specific types for the machine given); undefined otherwise.
 */
export function gnuPropertyDataSize(type: number, machine: number, wordSize: 4 | 8): number | undefined {
  if (type === GNU_PROPERTY_STACK_SIZE) return wordSize;
  if (type === GNU_PROPERTY_NO_COPY_ON_PROTECTED || type === GNU_PROPERTY_MEMORY_SEAL) return 0;
  if (type >= GNU_PROPERTY_UINT32_LO && type <= GNU_PROPERTY_UINT32_HI) return 4;
  if (machine === EM_X86_64 || machine === EM_386 || machine === EM_486) return type >= GNU_PROPERTY_X86_LO && type <= GNU_PROPERTY_X86_HI ? 4 : undefined;
  if (machine === EM_AARCH64) return type === GNU_PROPERTY_AARCH64_FEATURE_1_AND ? 4 : type === GNU_PROPERTY_AARCH64_FEATURE_PAUTH ? 16 : undefined;
  if (machine === EM_RISCV) return type === GNU_PROPERTY_RISCV_FEATURE_1_AND ? 4 : undefined;
  return undefined;
}
