// Fixed-size table entries (symbols, relocations, dynamic entries, words)
// decoded straight from the file's bytes, at the field offsets and widths of
// the class layout. The schema describes the same structures, and
// test/records.test.ts checks that both read the same values; going through
// the schema builds a Kaitai object per entry and another per 64-bit field,
// which made the big tables of real libraries most of a run's time.
import type { ByteOrder, FieldSlot } from '../model/layout.js';

/** Reads the fields of the records in one window of a table's bytes. */
export class RecordWindow {
  private readonly view: DataView;
  private readonly little: boolean;

  constructor(bytes: Uint8Array, byteOrder: ByteOrder) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.little = byteOrder === 'LSB';
  }

  /** A field of 1, 2 or 4 bytes at `at` (the record's start) + its slot's offset, as a number. */
  number(at: number, slot: FieldSlot): number {
    const where = at + slot.offset;
    switch (slot.size) {
      case 1: return this.view.getUint8(where);
      case 2: return this.view.getUint16(where, this.little);
      case 4: return this.view.getUint32(where, this.little);
      case 8: throw new RangeError('an 8-byte field is read with word()');
    }
  }

  /** An address-sized (4- or 8-byte) unsigned field, exact. */
  word(at: number, slot: FieldSlot): bigint {
    const where = at + slot.offset;
    return slot.size === 8 ? this.view.getBigUint64(where, this.little) : BigInt(this.number(at, slot));
  }

  /** The same field read as a signed value (r_addend). */
  signedWord(at: number, slot: FieldSlot): bigint {
    const where = at + slot.offset;
    return slot.size === 8 ? this.view.getBigInt64(where, this.little) : BigInt(this.view.getInt32(where, this.little));
  }
}
