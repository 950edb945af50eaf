// The write side of section and segment contents: symbol tables, relocations,
// dynamic tables, notes and string tables as bytes, laid out by the same
// ClassLayout structures the parser and the field locator read, in either
// byte order. Specs put the bytes in a section's or segment's `data`.
import type { ByteOrder, StructLayout } from '../model/layout.js';

/** One structure's fields; a field left out is zero. Values wider than the slot are cut to it. */
export type StructValues<Field extends string> = Partial<Record<Field, bigint | number>>;

function writeField(view: DataView, at: number, size: number, value: bigint, little: boolean): void {
  const masked = BigInt.asUintN(size * 8, value);
  switch (size) {
    case 1: view.setUint8(at, Number(masked)); break;
    case 2: view.setUint16(at, Number(masked), little); break;
    case 4: view.setUint32(at, Number(masked), little); break;
    case 8: view.setBigUint64(at, masked, little); break;
    default: throw new RangeError(`no field is ${size} bytes wide`);
  }
}

/** `records` as consecutive structures of `layout` (a symbol table, a relocation section, a dynamic table, ...). */
export function encodeStructs<Field extends string>(layout: StructLayout<Field>, byteOrder: ByteOrder, records: readonly StructValues<Field>[]): Uint8Array {
  const bytes = new Uint8Array(layout.size * records.length);
  const view = new DataView(bytes.buffer);
  for (const [index, record] of records.entries()) {
    for (const [field, value] of Object.entries(record) as [Field, bigint | number | undefined][]) {
      const slot = layout.fields[field];
      if (slot === undefined) throw new RangeError(`${field} is not a field of this structure`);
      if (value !== undefined) writeField(view, index * layout.size + slot.offset, slot.size, BigInt(value), byteOrder === 'LSB');
    }
  }
  return bytes;
}

/** Consecutive words of `size` bytes (a hash table, a versym array, RELR words, a core note's descriptor). */
export function encodeWords(size: 2 | 4 | 8, byteOrder: ByteOrder, values: readonly (bigint | number)[]): Uint8Array {
  const bytes = new Uint8Array(size * values.length);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => writeField(view, index * size, size, BigInt(value), byteOrder === 'LSB'));
  return bytes;
}

/** A string table: a leading NUL, then each distinct string with its NUL; `offsets` says where each starts. */
export function encodeStrings(strings: readonly string[]): { readonly bytes: Uint8Array; readonly offsets: ReadonlyMap<string, number> } {
  const offsets = new Map<string, number>([['', 0]]);
  const parts: number[] = [0];
  for (const text of strings) {
    if (offsets.has(text)) continue;
    offsets.set(text, parts.length);
    parts.push(...Buffer.from(text, 'utf8'), 0);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

export interface NoteSpec {
  /** The owner, written with its NUL (n_namesz counts it). */
  readonly name: string;
  readonly type: number;
  readonly desc: Uint8Array;
}

/**
 * Notes as a note section or PT_NOTE holds them: the 12-byte Elf_Nhdr (the same
 * in both classes), the name, then the descriptor at the next multiple of
 * `align` from the note's start, the note padded to `align` (4, or 8 for GNU
 * property notes in ELF64).
 */
export function encodeNotes(notes: readonly NoteSpec[], byteOrder: ByteOrder, align: 4 | 8): Uint8Array {
  const pad = (length: number) => Math.ceil(length / align) * align;
  const parts = notes.map((note) => {
    const name = Buffer.from(`${note.name}\0`, 'utf8');
    const descAt = pad(12 + name.length);
    const bytes = new Uint8Array(pad(descAt + note.desc.length));
    const view = new DataView(bytes.buffer);
    const little = byteOrder === 'LSB';
    view.setUint32(0, name.length, little);
    view.setUint32(4, note.desc.length, little);
    view.setUint32(8, note.type, little);
    bytes.set(name, 12);
    bytes.set(note.desc, descAt);
    return bytes;
  });
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
