// Field-aware mutations of a seed file: boundary values, values on either
// side of each rule's threshold, bit flips and random values for every header
// and program header field; truncation; moved, duplicated and extra program
// header tables.
import type { ElfFile } from '../model/elf.js';
import { PT_GNU_PROPERTY, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_NOTE, PT_PHDR } from '../model/constants.js';
import { EI_MAG_SLOT, EI_PAD_SLOT, IDENT_LAYOUT, type ClassLayout } from '../model/layout.js';
import { resolveAssumptions, type LoaderAssumptions, type ResolvedAssumptions } from '../model/assumptions.js';
import { chooseHandler } from '../loader/predict.js';
import { hex } from '../model/hex.js';
import type { Random } from './random.js';

/** One mutant. Its bytes are built when first asked for: a campaign that has seen its key needs none. */
export class Mutant {
  #bytes: Uint8Array | undefined;
  readonly #build: () => Uint8Array;

  constructor(
    /** What was changed: a field path (`e_entry`, `phdr[0].p_vaddr`) or a structural change (`truncate`). */
    readonly field: string,
    /** The new value, as text (hex for numbers). */
    readonly value: string,
    /**
     * Names the bytes exactly, within one plan: two mutants with one key are the same file. Campaigns
     * examine a file once per key, as most mutants of a long campaign repeat an earlier one.
     */
    readonly key: string,
    build: () => Uint8Array,
  ) {
    this.#build = build;
  }

  get bytes(): Uint8Array {
    return (this.#bytes ??= this.#build());
  }
}

interface Slot {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

const U64 = (1n << 64n) - 1n;

/** A mutant whose field and value (and `detail`, when they leave bytes open) determine its bytes. */
function described(field: string, value: string, build: () => Uint8Array, detail?: string): Mutant {
  return new Mutant(field, value, detail === undefined ? `${field} ${value}` : `${field} ${value} ${detail}`, build);
}

/** A copy: Buffer#slice would share memory with the seed. */
function copyOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

function max(size: number): bigint {
  return (1n << BigInt(size * 8)) - 1n;
}

function readField(bytes: Uint8Array, offset: number, size: number, littleEndian: boolean): bigint {
  let value = 0n;
  for (let i = 0; i < size; i += 1) {
    const byte = BigInt(bytes[offset + (littleEndian ? size - 1 - i : i)] ?? 0);
    value = (value << 8n) | byte;
  }
  return value;
}

function writeField(bytes: Uint8Array, offset: number, size: number, value: bigint, littleEndian: boolean): void {
  for (let i = 0; i < size; i += 1) {
    const byte = Number((value >> BigInt(8 * i)) & 0xffn);
    const at = offset + (littleEndian ? i : size - 1 - i);
    if (at < bytes.length) bytes[at] = byte;
  }
}

/** Values worth trying in any field of `size` bytes whose current value is `current`. */
function genericValues(size: number, current: bigint, random: Random): bigint[] {
  const top = max(size);
  const bit = BigInt(random.below(size * 8));
  return [0n, 1n, top, top - 1n, 1n << BigInt(size * 8 - 1), (current + 1n) & top, (current - 1n) & top, current ^ (1n << bit), random.bits(size * 8)];
}

export interface SeedFacts {
  readonly seed: ElfFile;
  readonly assumptions: LoaderAssumptions;
}

/** The seed and the mutable field slots of it, computed once per campaign. */
export interface MutationPlan extends SeedFacts {
  readonly slots: readonly Slot[];
  readonly littleEndian: boolean;
  /** The seed's class layout: fields are mutated at their real widths. */
  readonly layout: ClassLayout;
  /** The target's facts as the seed's loader applies them (thresholds for page size, TASK_SIZE, mmap_min_addr). */
  readonly target: ResolvedAssumptions;
}

export function planMutations(facts: SeedFacts): MutationPlan {
  const { seed, assumptions } = facts;
  const target = chooseHandler(seed, assumptions)?.assumptions ?? resolveAssumptions(assumptions, undefined, seed.layout);
  return { ...facts, slots: fieldSlots(seed), littleEndian: seed.byteOrder === 'LSB', layout: seed.layout, target };
}

/** Values on either side of the thresholds the rules and the kernel care about, per field. */
function thresholdValues(name: string, facts: MutationPlan, random: Random): bigint[] {
  const { seed, target: assumptions } = facts;
  const size = BigInt(seed.size);
  const page = assumptions.pageSize;
  const task = assumptions.taskSize;
  const load = seed.programHeaders.find((phdr) => phdr.p_type === PT_LOAD);
  const vaddr = load?.p_vaddr ?? 0x400000n;
  const filesz = load?.p_filesz ?? size;
  const memsz = load?.p_memsz ?? size;
  const entry = seed.header?.e_entry ?? vaddr;
  const inSegment = vaddr + random.bits(32) % (memsz === 0n ? 1n : memsz);
  switch (name) {
    case 'e_type': return [0n, 1n, 2n, 3n, 4n, 5n, 0xfe00n, 0xff00n];
    case 'e_machine': return [0n, 3n, 40n, 62n, 183n, 243n, 0x3e00n];
    case 'e_phentsize': return [0n, 32n, 55n, 56n, 57n, 64n];
    case 'e_phnum': return [0n, 1n, 2n, 15n, 16n, 17n, 1170n, 1171n, 0xffffn];
    case 'e_phoff': return [0n, 1n, 8n, 56n, 63n, 64n, 65n, size - 56n, size - 55n, size, 1n << 32n, 1n << 63n];
    case 'e_entry': return [0n, vaddr, vaddr + 1n, entry - 1n, entry + 1n, vaddr + filesz - 1n, vaddr + filesz, vaddr + memsz,
      vaddr + page, inSegment, task - 1n, task, 1n << 63n];
    case 'EI_CLASS': return [0n, 1n, 2n, 3n];
    case 'EI_DATA': return [0n, 1n, 2n, 3n];
    case 'EI_VERSION': return [0n, 1n, 2n];
    case 'p_type': return [0n, 2n, BigInt(PT_INTERP), BigInt(PT_NOTE), 5n, BigInt(PT_PHDR), 7n, BigInt(PT_GNU_STACK), BigInt(PT_GNU_PROPERTY), 0x60000000n, 0x70000000n];
    case 'p_flags': return [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 0x8n | 5n, 0xf0000005n];
    case 'p_offset': return [0n, 1n, page - 1n, page, page + 1n, size - 1n, size, pageDown(size, page) + page, 1n << 32n, (1n << 63n) - 1n, 1n << 63n];
    case 'p_vaddr': return [0n, page, assumptions.mmapMinAddr - page, assumptions.mmapMinAddr, vaddr + 1n, vaddr - page, vaddr + page,
      0x10000n, task - page, task - pageUp(memsz, page), task - pageUp(memsz, page) + page, task, 1n << 47n, 1n << 63n, U64 - page + 1n];
    case 'p_filesz': return [0n, 1n, entry - vaddr, entry - vaddr + 1n, size - 1n, size, size + 1n, pageUp(size, page), pageUp(size, page) + 1n,
      memsz + 1n, 1n << 32n, 1n << 63n];
    case 'p_memsz': return [0n, filesz - 1n, filesz, filesz + 1n, page, pageUp(filesz, page) + page, 1n << 20n, 1n << 29n, 1n << 30n, 1n << 32n, task, 1n << 63n];
    case 'p_align': return [0n, 1n, 2n, 3n, page, page * 3n, 0x200000n, 1n << 40n, 1n << 63n];
    default: return [];
  }
}

function pageDown(value: bigint, page: bigint): bigint {
  return value - (value % page);
}

function pageUp(value: bigint, page: bigint): bigint {
  return pageDown(value + page - 1n, page);
}

function fieldSlots(seed: ElfFile): Slot[] {
  const slots: Slot[] = [
    { name: 'EI_MAG', offset: EI_MAG_SLOT.offset, size: EI_MAG_SLOT.length },
    { name: 'EI_PAD', offset: EI_PAD_SLOT.offset, size: EI_PAD_SLOT.length },
    ...Object.entries(IDENT_LAYOUT).map(([name, slot]) => ({ name, ...slot })),
    ...Object.entries(seed.layout.ehdr).map(([name, slot]) => ({ name, ...slot })),
  ];
  const header = seed.header;
  if (header) {
    seed.programHeaders.forEach((phdr) => {
      const base = Number(header.e_phoff) + phdr.index * header.e_phentsize;
      for (const [name, slot] of Object.entries(seed.layout.phdr)) slots.push({ name: `phdr[${phdr.index}].${name}`, offset: base + slot.offset, size: slot.size });
    });
  }
  return slots;
}

function fieldMutant(facts: MutationPlan, slot: Slot, random: Random, littleEndian: boolean): Mutant {
  const current = readField(facts.seed.bytes, slot.offset, slot.size, littleEndian);
  const shortName = slot.name.replace(/^phdr\[\d+\]\./, '');
  const thresholds = thresholdValues(shortName, facts, random);
  const pool = thresholds.length > 0 && random.below(4) !== 0 ? thresholds : genericValues(slot.size, current, random);
  const value = BigInt.asUintN(slot.size * 8, random.pick(pool));
  return described(slot.name, hex(value), () => {
    const bytes = copyOf(facts.seed.bytes);
    writeField(bytes, slot.offset, slot.size, value, littleEndian);
    return bytes;
  });
}

function truncation(facts: SeedFacts, random: Random): Mutant {
  const size = facts.seed.size;
  const sizes = [0, 3, 4, 16, 52, 63, 64, 100, 119, 120, 121, size - 1, random.below(size)];
  const length = Math.max(0, Math.min(size, random.pick(sizes)));
  return described('truncate', String(length), () => copyOf(facts.seed.bytes.subarray(0, length)));
}

/** The seed with its program header table (plus `extra` entries) written at a new offset. */
function relocatedTable(facts: MutationPlan, at: number, entries: Uint8Array[], littleEndian: boolean): Uint8Array {
  const seed = facts.seed.bytes;
  const { ehdr, phdrSize } = facts.layout;
  const table = new Uint8Array(entries.length * phdrSize);
  entries.forEach((entry, i) => table.set(entry, i * phdrSize));
  const bytes = new Uint8Array(Math.max(seed.length, at + table.length));
  bytes.set(seed);
  bytes.set(table, at);
  writeField(bytes, ehdr.e_phoff.offset, ehdr.e_phoff.size, BigInt(at), littleEndian);
  writeField(bytes, ehdr.e_phnum.offset, ehdr.e_phnum.size, BigInt(entries.length), littleEndian);
  return bytes;
}

function tableEntries(facts: MutationPlan): Uint8Array[] {
  const { seed, layout } = facts;
  const header = seed.header!;
  return seed.programHeaders.map((phdr) => {
    const start = Number(header.e_phoff) + phdr.index * header.e_phentsize;
    return copyOf(seed.bytes.subarray(start, start + layout.phdrSize));
  });
}

function extraEntry(facts: MutationPlan, random: Random, littleEndian: boolean): Uint8Array {
  const { phdr, phdrSize } = facts.layout;
  const entry = new Uint8Array(phdrSize);
  const type = random.pick([PT_LOAD, PT_INTERP, PT_GNU_STACK, PT_NOTE, PT_PHDR, 0]);
  const flags = random.pick([4, 5, 6, 7]);
  const page = facts.target.pageSize;
  const vaddr = random.pick([0x400000n, 0x600000n, 0x10000000n, facts.target.taskSize - page, 0n]);
  // The picks keep their historical order so that a seed and index give the same mutant as before.
  const offset = random.pick([0n, 0x40n, page]);
  const size = random.pick([0n, 0x20n, 0x78n, page]);
  const values: Record<keyof ClassLayout['phdr'], bigint> = {
    p_type: BigInt(type), p_flags: BigInt(flags), p_offset: offset, p_vaddr: vaddr, p_paddr: 0n,
    p_filesz: size, p_memsz: size + random.pick([0n, 0n, page]), p_align: random.pick([0n, 8n, page]),
  };
  for (const [name, slot] of Object.entries(phdr)) writeField(entry, slot.offset, slot.size, values[name as keyof typeof values], littleEndian);
  return entry;
}

function tableMutant(facts: MutationPlan, random: Random, littleEndian: boolean): Mutant {
  const entries = tableEntries(facts);
  const end = facts.seed.size;
  switch (random.below(4)) {
    case 0: {
      const at = random.pick([end, end + 1, (end + 7) & ~7, 8, 16]);
      return described('table:move', hex(BigInt(at)), () => relocatedTable(facts, at, entries, littleEndian));
    }
    case 1: {
      const index = random.below(entries.length);
      const copies = [...entries.slice(0, index + 1), entries[index]!, ...entries.slice(index + 1)];
      return described('table:duplicate', `entry ${index}`, () => relocatedTable(facts, (end + 7) & ~7, copies, littleEndian));
    }
    default: {
      const extra = extraEntry(facts, random, littleEndian);
      const before = random.below(2) === 0;
      const all = before ? [extra, ...entries] : [...entries, extra];
      const type = readField(extra, 0, 4, littleEndian);
      // The value names only the entry's type; its other fields are random, so the key carries them all.
      const value = `${before ? 'first' : 'last'} type ${hex(type)}`;
      return described('table:extra-segment', value, () => relocatedTable(facts, (end + 7) & ~7, all, littleEndian), Buffer.from(extra).toString('hex'));
    }
  }
}

/** One mutant: deterministic in (plan, random). */
export function mutate(plan: MutationPlan, random: Random): Mutant {
  const roll = random.below(100);
  if (roll < 4) return truncation(plan, random);
  if (roll < 10 && plan.seed.header && plan.seed.programHeaders.length > 0) return tableMutant(plan, random, plan.littleEndian);
  return fieldMutant(plan, random.pick(plan.slots), random, plan.littleEndian);
}
