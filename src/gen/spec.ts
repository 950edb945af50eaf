// A readable description of an ELF64 file, in the spirit of LLVM's yaml2obj.
// Field names are the model's own. Every field is optional: what is left out
// is laid out automatically, what is given is written exactly as given, even
// when it is invalid.
import type { FileHeader, ProgramHeader, SectionHeader } from '../model/elf.js';

export interface IdentSpec {
  readonly magic?: Uint8Array;
  readonly class?: number;
  readonly data?: number;
  readonly version?: number;
  readonly osabi?: number;
  readonly abiversion?: number;
  readonly pad?: Uint8Array;
}

export type HeaderSpec = Partial<FileHeader>;

type SegmentFields = Omit<ProgramHeader, 'index' | 'interpreter'>;
export interface SegmentSpec extends Partial<SegmentFields> {
  /** Bytes this segment maps; placed after the tables, congruent with p_vaddr. */
  readonly data?: Uint8Array;
  /** The segment starts at file offset 0 and maps the ELF header and program headers before its data. */
  readonly withHeaders?: boolean;
}

type SectionFields = Omit<SectionHeader, 'index' | 'name'>;
export interface SectionSpec extends Partial<SectionFields> {
  /** Name stored in .shstrtab unless sh_name is given. */
  readonly name?: string;
  readonly data?: Uint8Array;
}

export interface RawChunk {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface ElfSpec {
  readonly ident?: IdentSpec;
  readonly header?: HeaderSpec;
  readonly segments?: readonly SegmentSpec[];
  readonly sections?: readonly SectionSpec[];
  /** Bytes written last, over everything else: for overlaps, garbage and damage. */
  readonly raw?: readonly RawChunk[];
  /** Exact file size: truncates or zero-extends the laid-out file. */
  readonly size?: number;
}
