// The process image as Linux maps it from the PT_LOAD segments, page by page,
// so that the first instruction can be fetched and its memory operands read.
import type { Access, MemoryView } from './first-instruction.js';
import type { ElfFile } from '../model/elf.js';

export interface Mapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
  /** File offset of `start` for a file mapping; undefined for anonymous memory. */
  readonly fileOffset?: bigint;
  /** Addresses from here on read as zero although file-backed (the kernel zeroed them). */
  readonly zeroFrom?: bigint;
}

export class ProcessImage implements MemoryView {
  private readonly mappings: Mapping[] = [];

  /**
   * `file` reads the file's bytes on demand: only the pages the analysis touches are read.
   * `fetchOrder` is the profile's fetchFault order: whether an instruction fetch faults the page
   * in before its permission is checked.
   */
  constructor(
    private readonly file: Pick<ElfFile, 'size' | 'slice'>,
    private readonly pageSize: bigint,
    private readonly fetchOrder: 'fault-in-first' | 'permission-first' = 'fault-in-first',
  ) {}

  /** Later mappings replace earlier ones where they overlap, as MAP_FIXED does. */
  map(mapping: Mapping): void {
    if (mapping.end > mapping.start) this.mappings.push(mapping);
  }

  mappingAt(address: bigint): Mapping | undefined {
    for (let i = this.mappings.length - 1; i >= 0; i -= 1) {
      const mapping = this.mappings[i]!;
      if (address >= mapping.start && address < mapping.end) return mapping;
    }
    return undefined;
  }

  byteAt(address: bigint, access: Access): number | 'unmapped' | 'denied' | 'bus-error' {
    const mapping = this.mappingAt(address);
    if (!mapping) return 'unmapped';
    // The x86 fault handler checks writes and PROT_NONE first, then faults the
    // page in as a read (an instruction fetch too): a page past the end of the
    // file raises SIGBUS before the missing X permission can raise SIGSEGV.
    // Where the handler checks VM_EXEC first (arm64, riscv64), SIGSEGV comes first.
    if (!(mapping.read || mapping.write || mapping.exec)) return 'denied';
    if (access === 'write' && !mapping.write) return 'denied';
    if (access === 'execute' && !mapping.exec && this.fetchOrder === 'permission-first') return 'denied';
    const byte = this.backingByte(mapping, address);
    if (byte === 'bus-error') return byte;
    return access === 'execute' && !mapping.exec ? 'denied' : byte;
  }

  private backingByte(mapping: Mapping, address: bigint): number | 'bus-error' {
    if (mapping.fileOffset === undefined || (mapping.zeroFrom !== undefined && address >= mapping.zeroFrom)) return 0;
    const offset = mapping.fileOffset + (address - mapping.start);
    const size = BigInt(this.file.size);
    if (offset < size) return this.file.slice(Number(offset), 1)[0]!;
    // Inside the page that holds the end of the file: zeros. Past it: SIGBUS.
    return offset - (offset % this.pageSize) < size ? 0 : 'bus-error';
  }
}
