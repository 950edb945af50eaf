// The one entry point from bytes to the model. It never throws: whatever the
// Kaitai parser cannot read becomes a ParseIssue with a byte offset. The
// schema reads the file through a FileStream, by ranges, at any offset.
import generated from './generated/Elf.cjs';
import type { ElfSchema } from './generated/Elf.cjs';
import { describe, exact } from './values.js';
import { FileBytes } from './bytes.js';
import { FileStream } from './stream.js';
import { ContentsReader, type Region } from './contents.js';
import type { ElfContents } from '../model/contents.js';
import type {
  ByteSource, DynamicEntry, ElfFile, FileHeader, Identification, ParseIssue, ParsedFile, ProgramHeader, SectionHeader,
} from '../model/elf.js';
import { layoutOf, MAX_EHDR_SIZE, type ClassLayout, type Container, type FieldPath } from '../model/layout.js';
import { ELF_MAGIC, ELFCLASS32, ELFDATA2MSB, PT_DYNAMIC } from '../model/constants.js';

const { Elf } = generated;

/**
 * Table entries read per window. Kaitai keeps an object per entry for as long
 * as its root lives, so a table is read a window at a time, each with a root
 * of its own: a table of any size costs its model, not its Kaitai objects.
 */
const TABLE_WINDOW = 4096;

/**
 * The header as a root reads it that holds the table entries [first, first +
 * count): of the program and section header tables, or of `region`'s table.
 */
type WindowReader = (first: number, count: number, region?: Region) => ElfSchema.FileHeader;

/** The region of a root that reads no contents. */
const NO_REGION: Region = { pos: 0, size: 0, unit: 0 };

export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((byte, i) => bytes[i] === byte);
}

/** How the file declares itself: EI_CLASS 1 is ELF32, anything else ELF64; EI_DATA 2 is MSB, anything else LSB. */
export function declaredContainer(ident: Pick<Identification, 'fileClass' | 'data'>): Container {
  return { elfClass: ident.fileClass === ELFCLASS32 ? 'ELF32' : 'ELF64', byteOrder: ident.data === ELFDATA2MSB ? 'MSB' : 'LSB' };
}

function sameContainer(a: Container, b: Container): boolean {
  return a.elfClass === b.elfClass && a.byteOrder === b.byteOrder;
}

function toHeader(raw: ElfSchema.FileHeader): FileHeader {
  return {
    e_type: raw.eType,
    e_machine: raw.eMachine,
    e_version: raw.eVersion,
    e_entry: exact(raw.eEntry),
    e_phoff: exact(raw.ePhoff),
    e_shoff: exact(raw.eShoff),
    e_flags: raw.eFlags,
    e_ehsize: raw.eEhsize,
    e_phentsize: raw.ePhentsize,
    e_phnum: raw.ePhnum,
    e_shentsize: raw.eShentsize,
    e_shnum: raw.eShnum,
    e_shstrndx: raw.eShstrndx,
  };
}

function toProgramHeader(raw: ElfSchema.ProgramHeader, index: number): ProgramHeader {
  return {
    index,
    p_type: raw.pType,
    p_flags: raw.pFlags,
    p_offset: exact(raw.pOffset),
    p_vaddr: exact(raw.pVaddr),
    p_paddr: exact(raw.pPaddr),
    p_filesz: exact(raw.pFilesz),
    p_memsz: exact(raw.pMemsz),
    p_align: exact(raw.pAlign),
    interpreter: raw.interpreter,
  };
}

function toSectionHeader(raw: ElfSchema.SectionHeader, index: number, issues: ParseIssue[], offset: number): SectionHeader {
  let name: string | undefined;
  try {
    name = raw.name;
  } catch (error) {
    issues.push({ message: `cannot read the name of section ${index}: ${describe(error)}`, offset, field: `shdr[${index}].sh_name` });
  }
  return {
    index,
    sh_name: raw.shName,
    sh_type: raw.shType,
    sh_flags: exact(raw.shFlags),
    sh_addr: exact(raw.shAddr),
    sh_offset: exact(raw.shOffset),
    sh_size: exact(raw.shSize),
    sh_link: raw.shLink,
    sh_info: raw.shInfo,
    sh_addralign: exact(raw.shAddralign),
    sh_entsize: exact(raw.shEntsize),
    name,
  };
}

/** The views of one file share its bytes; each is parsed once. */
type ViewCache = Map<string, ElfFile>;

class ParsedElf implements ElfFile {
  readonly kind = 'elf';
  readonly parseIssues: ParseIssue[] = [];
  readonly layout: ClassLayout;
  readonly header: FileHeader | undefined;
  readonly phnum: number = 0;
  readonly shnum: number = 0;
  readonly shstrndx: number = 0;
  readonly declared: boolean;
  #programHeaders: ProgramHeader[] | undefined;
  #sectionHeaders: SectionHeader[] | undefined;
  #dynamic: { entries: DynamicEntry[] | undefined } | undefined;
  #contents: ElfContents | undefined;

  constructor(
    private readonly file: FileBytes,
    readonly ident: Identification,
    readonly container: Container,
    private readonly raw: ElfSchema.FileHeader | undefined,
    private readonly views: ViewCache,
    private readonly readWindow: WindowReader,
  ) {
    this.layout = layoutOf(container.elfClass);
    this.declared = sameContainer(container, declaredContainer(ident));
    views.set(keyOf(container), this);
    if (!raw) return;
    this.header = toHeader(raw);
    // Section 0 carries the counts of extended numbering.
    const shoff = Number(this.header.e_shoff);
    this.phnum = this.guard(() => raw.phnum, 0, 'e_phnum', shoff);
    this.shnum = this.guard(() => raw.shnum, 0, 'e_shnum', shoff);
    this.shstrndx = this.guard(() => raw.shstrndx, 0, 'e_shstrndx', shoff);
  }

  get byteOrder(): Container['byteOrder'] {
    return this.container.byteOrder;
  }

  get size(): number {
    return this.file.size;
  }

  get bytes(): Uint8Array {
    return this.file.all();
  }

  slice(offset: number, length: number): Uint8Array {
    return this.file.slice(offset, length);
  }

  viewAs(container: Container): ElfFile {
    return this.views.get(keyOf(container)) ?? parseView(this.file, container, this.views);
  }

  get programHeaders(): readonly ProgramHeader[] {
    this.#programHeaders ??= this.readProgramHeaders();
    return this.#programHeaders;
  }

  get sectionHeaders(): readonly SectionHeader[] {
    this.#sectionHeaders ??= this.readSectionHeaders();
    return this.#sectionHeaders;
  }

  get dynamic(): readonly DynamicEntry[] | undefined {
    this.#dynamic ??= { entries: this.readDynamic() };
    return this.#dynamic.entries;
  }

  get contents(): ElfContents {
    this.#contents ??= new ContentsReader(this, this.parseIssues, (region, first, count) => this.readWindow(first, count, region));
    return this.#contents;
  }

  private readProgramHeaders(): ProgramHeader[] {
    return this.readTable((window) => window.programHeaders, 'program header table', 'e_phoff', this.header?.e_phoff, toProgramHeader);
  }

  private readSectionHeaders(): SectionHeader[] {
    return this.readTable((window) => window.sectionHeaders, 'section header table', 'e_shoff', this.header?.e_shoff,
      (raw, index) => toSectionHeader(raw, index, this.parseIssues, this.sectionHeaderOffset(index)));
  }

  private readDynamic(): DynamicEntry[] | undefined {
    const index = this.programHeaders.findIndex((phdr) => phdr.p_type === PT_DYNAMIC);
    const phdr = this.programHeaders[index];
    if (!phdr || !this.raw) return undefined;
    const table = this.guard(() => this.readWindow(index, 1).programHeaders?.[0]?.dynamic, undefined, `phdr[${index}].contents`, Number(phdr.p_offset), 'dynamic table');
    return table?.entries.map((entry, i) => ({ index: i, d_tag: exact(entry.dTag), d_val: exact(entry.dVal) }));
  }

  private sectionHeaderOffset(index: number): number {
    const header = this.header;
    return header ? Number(header.e_shoff) + index * header.e_shentsize : 0;
  }

  /** A whole table, a window at a time; a table that cannot be read is left out whole. */
  private readTable<Raw, Entry>(
    read: (window: ElfSchema.FileHeader) => Raw[] | undefined, what: string, field: FieldPath, start: bigint | undefined,
    convert: (raw: Raw, index: number) => Entry,
  ): Entry[] {
    const entries: Entry[] = [];
    if (!this.raw) return entries;
    for (;;) {
      const first = entries.length;
      const raws = this.guard(() => read(this.readWindow(first, TABLE_WINDOW)) ?? [], undefined, field, Number(start ?? 0n), what);
      if (!raws) return [];
      for (const raw of raws) entries.push(convert(raw, entries.length));
      if (raws.length < TABLE_WINDOW) return entries;
    }
  }

  private guard<T>(read: () => T, fallback: T, field: FieldPath, offset: number, what: string = field): T {
    try {
      return read();
    } catch (error) {
      this.parseIssues.push({ message: `cannot read the ${what}: ${describe(error)}`, offset, field });
      return fallback;
    }
  }
}

function keyOf(container: Container): string {
  return `${container.elfClass}/${container.byteOrder}`;
}

/**
 * Parses any file, in memory or read on demand from a ByteSource, as it
 * declares itself. Never throws. Files without the ELF magic come back as `not-elf`.
 */
export function parseElf(source: Uint8Array | ByteSource): ParsedFile {
  const file = new FileBytes(source);
  if (!hasElfMagic(file.head)) return { kind: 'not-elf', size: file.size, head: file.slice(0, MAX_EHDR_SIZE) };
  return parseView(file, declaredContainer(identificationOf(file.head)), new Map());
}

const CLASS_CODE = { ELF32: 1, ELF64: 2 } as const;
const ORDER_CODE = { LSB: 1, MSB: 2 } as const;

function parseView(file: FileBytes, container: Container, views: ViewCache): ElfFile {
  const stream = new FileStream(file);
  // Each root reads the identification and header from the start of the shared stream.
  const readRoot = (first: number, count: number, region: Region = NO_REGION): ElfSchema.Root => {
    stream.seek(0);
    return new Elf(stream, null, null, file.size, CLASS_CODE[container.elfClass], ORDER_CODE[container.byteOrder], first, count,
      region.pos, region.size, region.unit);
  };
  const readWindow: WindowReader = (first, count, region) => readRoot(first, count, region).header;
  let root: ElfSchema.Root;
  try {
    // The file's own root holds no table entries: the tables are read in windows.
    root = readRoot(0, 0);
  } catch (error) {
    // Only the identification and the fixed-size header are read eagerly, and
    // the stream is padded to cover them, so this is a schema/runtime fault.
    const elf = new ParsedElf(file, identificationOf(file.head), container, undefined, views, readWindow);
    elf.parseIssues.push({ message: `cannot read the ELF header: ${describe(error)}`, offset: 0 });
    return elf;
  }
  return new ParsedElf(file, copyIdent(root.ident), container, root.header, views, readWindow);
}

function copyIdent(ident: ElfSchema.Identification): Identification {
  return {
    magic: ident.magic, fileClass: ident.fileClass, data: ident.data, version: ident.version,
    osAbi: ident.osAbi, abiVersion: ident.abiVersion, pad: ident.pad,
  };
}

function identificationOf(bytes: Uint8Array): Identification {
  const padded = new Uint8Array(16);
  padded.set(bytes.subarray(0, 16));
  return {
    magic: padded.slice(0, 4), fileClass: padded[4]!, data: padded[5]!, version: padded[6]!,
    osAbi: padded[7]!, abiVersion: padded[8]!, pad: padded.slice(9, 16),
  };
}
