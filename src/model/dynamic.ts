// Reading the dynamic table the way the dynamic linker does: by tag, with
// strings at DT_STRTAB + offset found through the PT_LOAD segments (no section
// headers needed, so a stripped or sstripped file reads the same).
import type { DynamicEntry, ElfFile } from './elf.js';
import { DF_TEXTREL, DT_FLAGS, DT_STRSZ, DT_STRTAB, DT_TEXTREL } from './constants.js';
import { offsetOfAddress } from './segments.js';

/** Every entry with `tag`, in table order. */
export function dynamicEntries(elf: ElfFile, tag: bigint): DynamicEntry[] {
  return (elf.dynamic ?? []).filter((entry) => entry.d_tag === tag);
}

export function hasDynamicTag(elf: ElfFile, tag: bigint): boolean {
  return (elf.dynamic ?? []).some((entry) => entry.d_tag === tag);
}

/** True when some entry with `tag` has a bit of `flag` set (DT_FLAGS, DT_FLAGS_1). */
export function hasDynamicFlag(elf: ElfFile, tag: bigint, flag: bigint): boolean {
  return (elf.dynamic ?? []).some((entry) => entry.d_tag === tag && (entry.d_val & flag) !== 0n);
}

/** The value of the first entry with `tag`, as ld.so takes it. */
export function dynamicValue(elf: ElfFile, tag: bigint): bigint | undefined {
  return elf.dynamic?.find((entry) => entry.d_tag === tag)?.d_val;
}

/** The entry that marks text relocations: DT_TEXTREL, else DT_FLAGS with DF_TEXTREL (ld.so makes the text writable while it relocates). */
export function textRelocationEntry(elf: ElfFile): DynamicEntry | undefined {
  return dynamicEntries(elf, DT_TEXTREL)[0] ?? elf.dynamic?.find((entry) => entry.d_tag === DT_FLAGS && (entry.d_val & DF_TEXTREL) !== 0n);
}

/** The longest dynamic string read (DT_RPATH lists can be long, but not this long). */
const MAX_DYNAMIC_STRING = 64 * 1024;
/** What a dynamic string's first read asks for. */
const FIRST_DYNAMIC_READ = 256;

/**
 * The string at `offset` in the dynamic string table (DT_STRTAB, DT_STRSZ
 * bytes), or undefined when the table or the string is not in the file or
 * the string has no NUL inside the table.
 */
export function dynamicString(elf: ElfFile, offset: bigint): string | undefined {
  const table = dynamicValue(elf, DT_STRTAB);
  const size = dynamicValue(elf, DT_STRSZ);
  if (table === undefined || size === undefined || offset >= size) return undefined;
  const length = size - offset < BigInt(MAX_DYNAMIC_STRING) ? size - offset : BigInt(MAX_DYNAMIC_STRING);
  const start = offsetOfAddress(elf, table + offset, 1n);
  if (start === undefined) return undefined;
  // Names are short: read a little first, and more only when no NUL has come (a read of a file on demand copies what spans its chunks).
  for (let want = Math.min(FIRST_DYNAMIC_READ, Number(length)); ; want = Math.min(want * 16, Number(length))) {
    const bytes = elf.slice(start, want);
    const end = bytes.indexOf(0);
    if (end >= 0) return Buffer.from(bytes.subarray(0, end)).toString('utf8');
    if (want >= Number(length) || bytes.length < want) return undefined;
  }
}
