// Hand-written types for the Kaitai-generated parser in Elf.cjs (Kaitai has
// no TypeScript target). Keep in step with ksy/elf.ksy.
declare namespace ElfSchema {
  /** The parts of a KaitaiStream the facade touches. */
  interface Stream {
    readonly size: number;
  }
  interface U8Exact {
    readonly lo: number;
    readonly hi: number;
  }
  interface Identification {
    readonly magic: Uint8Array;
    readonly fileClass: number;
    readonly data: number;
    readonly version: number;
    readonly osAbi: number;
    readonly abiVersion: number;
    readonly pad: Uint8Array;
  }
  interface ProgramHeader {
    readonly pType: number;
    readonly pFlags: number;
    readonly pOffset: U8Exact;
    readonly pVaddr: U8Exact;
    readonly pPaddr: U8Exact;
    readonly pFilesz: U8Exact;
    readonly pMemsz: U8Exact;
    readonly pAlign: U8Exact;
    readonly interpreter: Uint8Array | undefined;
  }
  interface SectionHeader {
    readonly shName: number;
    readonly shType: number;
    readonly shFlags: U8Exact;
    readonly shAddr: U8Exact;
    readonly shOffset: U8Exact;
    readonly shSize: U8Exact;
    readonly shLink: number;
    readonly shInfo: number;
    readonly shAddralign: U8Exact;
    readonly shEntsize: U8Exact;
    readonly name: string | undefined;
  }
  interface Elf64 {
    readonly eType: number;
    readonly eMachine: number;
    readonly eVersion: number;
    readonly eEntry: U8Exact;
    readonly ePhoff: U8Exact;
    readonly eShoff: U8Exact;
    readonly eFlags: number;
    readonly eEhsize: number;
    readonly ePhentsize: number;
    readonly ePhnum: number;
    readonly eShentsize: number;
    readonly eShnum: number;
    readonly eShstrndx: number;
    readonly phnum: number;
    readonly shnum: number;
    readonly shstrndx: number;
    readonly programHeaders: ProgramHeader[] | undefined;
    readonly sectionHeaders: SectionHeader[] | undefined;
  }
  interface Root {
    readonly ident: Identification;
    readonly body: Elf64 | undefined;
    readonly bigEndian: boolean;
  }
}

declare const generated: {
  Elf: new (io: ElfSchema.Stream, parent: null, root: null, fileSize: number, forceElf64: boolean, forceLsb: boolean) => ElfSchema.Root;
};
export = generated;
export type { ElfSchema };
