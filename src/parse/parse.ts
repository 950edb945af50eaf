// The one entry point from bytes to the model. It never throws: whatever the
// Kaitai parser cannot read becomes a ParseIssue with a byte offset. The
// schema reads the file through a FileStream, by ranges, at any offset.
import generated from './generated/Elf.cjs';
import type { ElfSchema } from './generated/Elf.cjs';
import { describe, exact } from './values.js';
import { FileBytes } from './bytes.js';
import { FileStream } from './stream.js';
import { ContentsReader, dynamicEntryDecoder, endsDynamic, FileStringTable, type Region, type RegionReader } from './contents.js';
import { entriesUntil, RecordTable, type WindowRead } from './records.js';
import type { StringTable } from '../model/contents.js';
import type { Table } from '../model/table.js';
import type { ElfContents } from '../model/contents.js';
import type {
  ByteSource, DynamicEntry, ElfFile, FileHeader, Identification, ParseIssue, ParsedFile, ProgramHeader, SectionHeader,
} from '../model/elf.js';
import { layoutOf, MAX_EHDR_SIZE, type ClassLayout, type Container, type FieldPath } from '../model/layout.js';
import { ELF_MAGIC, ELFCLASS32, ELFDATA2MSB, PT_DYNAMIC, PT_INTERP, SHT_NOBITS } from '../model/constants.js';

const { Elf } = generated;

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

/** A section header decoded from the table's bytes; its name is read from the section name table when first asked for. */
class SectionRecord implements SectionHeader {
  #name: string | undefined | null = null;
  readonly #names: () => StringTable | undefined;

  constructor(
    readonly index: number,
    readonly sh_name: number,
    readonly sh_type: number,
    readonly sh_flags: bigint,
    readonly sh_addr: bigint,
    readonly sh_offset: bigint,
    readonly sh_size: bigint,
    readonly sh_link: number,
    readonly sh_info: number,
    readonly sh_addralign: bigint,
    readonly sh_entsize: bigint,
    names: () => StringTable | undefined,
  ) {
    this.#names = names;
  }

  get name(): string | undefined {
    if (this.#name === null) this.#name = this.#names()?.stringAt(this.sh_name)?.text;
    return this.#name;
  }
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
  #sectionHeaders: Table<SectionHeader> | undefined;
  #sectionNames: { table: StringTable | undefined } | undefined;
  #dynamic: { entries: DynamicEntry[] | undefined } | undefined;
  #contents: ElfContents | undefined;

  constructor(
    private readonly file: FileBytes,
    readonly ident: Identification,
    readonly container: Container,
    private readonly raw: ElfSchema.FileHeader | undefined,
    private readonly views: ViewCache,
    private readonly readRegion: RegionReader,
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

  get sectionHeaders(): Table<SectionHeader> {
    this.#sectionHeaders ??= this.sectionTable();
    return this.#sectionHeaders;
  }

  get dynamic(): readonly DynamicEntry[] | undefined {
    this.#dynamic ??= { entries: this.readDynamic() };
    return this.#dynamic.entries;
  }

  get contents(): ElfContents {
    this.#contents ??= new ContentsReader(this, this.parseIssues, this.readRegion,
      (at, length, scratch) => this.file.transient(at, length, scratch));
    return this.#contents;
  }

  /** The program headers that lie wholly inside the file, decoded from its bytes at the class layout's offsets. */
  private readProgramHeaders(): ProgramHeader[] {
    const header = this.header;
    const slot = this.layout.phdr;
    const bounds = header && this.headerTable(header.e_phoff, header.e_phentsize, this.layout.phdrSize, this.phnum);
    if (!bounds) return [];
    const { start, count } = bounds;
    const table = new RecordTable(count, start, header.e_phentsize, this.byteOrder, this.reader('program header table', 'e_phoff', start),
      (window, at, index): ProgramHeader => {
        const p_type = window.number(at, slot.p_type);
        const p_offset = window.word(at, slot.p_offset);
        const p_filesz = window.word(at, slot.p_filesz);
        // The kernel reads at most a page of interpreter path; a longer PT_INTERP has none here.
        const interpreter = p_type === PT_INTERP && p_filesz <= 4096n && p_offset <= BigInt(this.size) && p_filesz <= BigInt(this.size) - p_offset
          ? this.file.slice(Number(p_offset), Number(p_filesz)).slice() : undefined;
        return {
          index, p_type, p_flags: window.number(at, slot.p_flags), p_offset, p_vaddr: window.word(at, slot.p_vaddr),
          p_paddr: window.word(at, slot.p_paddr), p_filesz, p_memsz: window.word(at, slot.p_memsz), p_align: window.word(at, slot.p_align), interpreter,
        };
      });
    return [...table];
  }

  /**
   * Where a header table starts and how many of its `declared` entries lie
   * wholly inside the file; undefined when it starts past the end or its
   * entries are smaller than the class's header.
   */
  private headerTable(offset: bigint, entrySize: number, minimum: number, declared: number): { start: number; count: number } | undefined {
    if (offset >= BigInt(this.size) || entrySize < minimum) return undefined;
    const start = Number(offset);
    return { start, count: Math.min(Math.floor((this.size - start) / entrySize), declared) };
  }

  /** The section headers that lie wholly inside the file, each decoded from its bytes when used. */
  private sectionTable(): Table<SectionHeader> {
    const header = this.header;
    const slot = this.layout.shdr;
    // e_shoff 0 means no section header table.
    const bounds = header && header.e_shoff !== 0n ? this.headerTable(header.e_shoff, header.e_shentsize, this.layout.shdrSize, this.shnum) : undefined;
    if (!header || !bounds) return [];
    const { start, count } = bounds;
    const names = () => this.sectionNames(table);
    const table: Table<SectionHeader> = new RecordTable(count, start, header.e_shentsize, this.byteOrder,
      this.reader('section header table', 'e_shoff', start),
      (window, at, index) => new SectionRecord(index, window.number(at, slot.sh_name), window.number(at, slot.sh_type), window.word(at, slot.sh_flags),
        window.word(at, slot.sh_addr), window.word(at, slot.sh_offset), window.word(at, slot.sh_size), window.number(at, slot.sh_link),
        window.number(at, slot.sh_info), window.word(at, slot.sh_addralign), window.word(at, slot.sh_entsize), names));
    return table;
  }

  /** The section name table (e_shstrndx) when it is a section with bytes wholly inside the file. */
  private sectionNames(sections: Table<SectionHeader>): StringTable | undefined {
    if (!this.#sectionNames) {
      const names = this.shstrndx !== 0 ? sections.at(this.shstrndx) : undefined;
      const readable = names && names.sh_type !== SHT_NOBITS && names.sh_offset <= BigInt(this.size) && names.sh_size <= BigInt(this.size) - names.sh_offset;
      this.#sectionNames = { table: readable ? new FileStringTable(this, { offset: Number(names.sh_offset), size: Number(names.sh_size) }) : undefined };
    }
    return this.#sectionNames.table;
  }

  /** Reads a table's bytes; a range that cannot be read is an issue at `field` and ends the table. */
  private reader(what: string, field: FieldPath, offset: number): WindowRead {
    return (at, length, scratch) => this.guard(() => this.file.transient(at, length, scratch), undefined, field, offset, what);
  }

  /** The entries of the first PT_DYNAMIC that lie in the file, up to and with DT_NULL, decoded from the bytes. */
  private readDynamic(): DynamicEntry[] | undefined {
    const phdr = this.programHeaders.find((candidate) => candidate.p_type === PT_DYNAMIC);
    const size = BigInt(this.size);
    if (!phdr || !this.raw || phdr.p_offset > size || phdr.p_filesz > size - phdr.p_offset) return undefined;
    const unit = this.layout.contents.dyn.size;
    const count = Number(phdr.p_filesz / BigInt(unit));
    const field: FieldPath = `phdr[${phdr.index}].contents`;
    const start = Number(phdr.p_offset);
    if (count === 0) {
      this.parseIssues.push({ message: `cannot read the dynamic table: PT_DYNAMIC's p_filesz ${phdr.p_filesz} holds no whole ${unit}-byte entry`, offset: start, field });
      return undefined;
    }
    return entriesUntil(new RecordTable(count, start, unit, this.byteOrder, this.reader('dynamic table', field, start), dynamicEntryDecoder(this.layout)), endsDynamic);
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
  return parseView(file, declaredContainer({ fileClass: file.head[4]!, data: file.head[5]! }), new Map());
}

const CLASS_CODE = { ELF32: 1, ELF64: 2 } as const;
const ORDER_CODE = { LSB: 1, MSB: 2 } as const;

function parseView(file: FileBytes, container: Container, views: ViewCache): ElfFile {
  const stream = new FileStream(file);
  // Each root reads the identification and header from the start of the shared stream. No root holds
  // header table entries (records.ts decodes those); a root with a region reads one structure there.
  const readRoot = (region: Region = NO_REGION): ElfSchema.Root => {
    stream.seek(0);
    return new Elf(stream, null, null, file.size, CLASS_CODE[container.elfClass], ORDER_CODE[container.byteOrder], 0, 0,
      region.pos, region.size, region.unit);
  };
  const readRegion: RegionReader = (region) => readRoot(region).header;
  let root: ElfSchema.Root;
  try {
    root = readRoot();
  } catch (error) {
    // Only the identification and the fixed-size header are read eagerly, and
    // the stream is padded to cover them, so this is a schema/runtime fault.
    const elf = new ParsedElf(file, identificationOf(file.head), container, undefined, views, readRegion);
    elf.parseIssues.push({ message: `cannot read the ELF header: ${describe(error)}`, offset: 0 });
    return elf;
  }
  return new ParsedElf(file, copyIdent(root.ident), container, root.header, views, readRegion);
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
