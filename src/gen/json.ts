// The JSON form of a spec: validated with zod on the way in (every error
// names its field), printed with exact hex strings on the way out.
import { z } from 'zod';
import { ELF_MACHINE_NAMES, ELF_TYPE_NAMES, PF_R, PF_W, PF_X, PT_NAMES } from '../model/constants.js';
import { hex } from '../model/hex.js';
import { MAX_FILE_BYTES } from '../model/layout.js';
import { rawPieces, type Piece } from './build.js';
import type { ElfSpec, IdentSpec, RawChunk, SectionSpec, SegmentSpec } from './spec.js';

const INTEGER_TEXT = /^(0x[0-9a-f]+|\d+)$/i;

const INTEGER_MESSAGE = 'expected a non-negative integer: a number, or a decimal or "0x..." string';
const integerText = z.string().regex(INTEGER_TEXT, 'expected a decimal or 0x-hex integer');

function unsigned(bits: number) {
  const max = (1n << BigInt(bits)) - 1n;
  return z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER, 'use a "0x..." string above 2^53'), integerText], { error: INTEGER_MESSAGE })
    .transform((value) => BigInt(value))
    .refine((value) => value <= max, `does not fit in ${bits} bits`);
}

const u64 = unsigned(64);
const asNumber = (bits: number) => unsigned(bits).transform(Number);

/** A numeric field that also takes its constant's name, with or without the prefix ("ET_EXEC" or "EXEC"). */
function named(table: ReadonlyMap<number, string>, prefix: string, bits: number) {
  const byName = new Map<string, number>();
  for (const [value, name] of table) {
    byName.set(`${prefix}${name}`, value);
    if (!INTEGER_TEXT.test(name)) byName.set(name, value);
  }
  const examples = [...table.values()].slice(0, 4).map((name) => `${prefix}${name}`).join(', ');
  const message = `expected a non-negative integer or a name such as ${examples}`;
  return z.union([
    asNumber(bits),
    z.string().refine((name) => byName.has(name), { message }).transform((name) => byName.get(name)!),
  ], { error: message });
}

const FLAG_TEXT = /^[R-][W-][X-]$/;
const FLAGS_MESSAGE = 'expected a non-negative integer or flags such as "R-X" (R or -, W or -, X or -)';
const segmentFlags = z.union([
  asNumber(32),
  z.string().regex(FLAG_TEXT, FLAGS_MESSAGE).transform((text) =>
    (text[0] === 'R' ? PF_R : 0) | (text[1] === 'W' ? PF_W : 0) | (text[2] === 'X' ? PF_X : 0)),
], { error: FLAGS_MESSAGE });

const HEX_MESSAGE = 'expected an even number of hex digits';
const HEX_DIGITS_MESSAGE = 'expected hex digits only (0-9, a-f)';
/**
 * Hex text as bytes. A plain character class and a length check: a repeated
 * group (/^([0-9a-f]{2})*$/) overflows the regexp stack on a large file's raw chunk.
 */
const hexBytes = z.string().regex(/^[0-9a-f]*$/i, HEX_DIGITS_MESSAGE).refine((text) => text.length % 2 === 0, HEX_MESSAGE)
  .transform((text) => new Uint8Array(Buffer.from(text, 'hex')));

const bytes = z.union([
  z.object({ hex: hexBytes }).strict().transform(({ hex: data }) => data),
  z.object({ text: z.string() }).strict().transform(({ text }) => Uint8Array.from(Buffer.from(text, 'utf8'))),
], { error: 'expected {"hex": "..."} or {"text": "..."}' });

const identSchema = z.object({
  magic: bytes.optional(), class: asNumber(8).optional(), data: asNumber(8).optional(), version: asNumber(8).optional(),
  osabi: asNumber(8).optional(), abiversion: asNumber(8).optional(), pad: bytes.optional(),
}).strict();

const headerSchema = z.object({
  e_type: named(ELF_TYPE_NAMES, 'ET_', 16).optional(), e_machine: named(ELF_MACHINE_NAMES, 'EM_', 16).optional(),
  e_version: asNumber(32).optional(), e_entry: u64.optional(), e_phoff: u64.optional(), e_shoff: u64.optional(),
  e_flags: asNumber(32).optional(), e_ehsize: asNumber(16).optional(), e_phentsize: asNumber(16).optional(),
  e_phnum: asNumber(16).optional(), e_shentsize: asNumber(16).optional(), e_shnum: asNumber(16).optional(),
  e_shstrndx: asNumber(16).optional(),
}).strict();

const segmentSchema = z.object({
  p_type: named(PT_NAMES, 'PT_', 32).optional(), p_flags: segmentFlags.optional(), p_offset: u64.optional(),
  p_vaddr: u64.optional(), p_paddr: u64.optional(), p_filesz: u64.optional(), p_memsz: u64.optional(),
  p_align: u64.optional(), data: bytes.optional(), withHeaders: z.boolean().optional(),
}).strict();

const sectionSchema = z.object({
  name: z.string().optional(), sh_name: asNumber(32).optional(), sh_type: asNumber(32).optional(),
  sh_flags: u64.optional(), sh_addr: u64.optional(), sh_offset: u64.optional(), sh_size: u64.optional(),
  sh_link: asNumber(32).optional(), sh_info: asNumber(32).optional(), sh_addralign: u64.optional(),
  sh_entsize: u64.optional(), data: bytes.optional(),
}).strict();

const rawSchema = z.object({
  offset: z.number().int().nonnegative().max(MAX_FILE_BYTES),
  hex: hexBytes,
}).strict().transform(({ offset, hex: data }): RawChunk => ({ offset, bytes: data }));

const specSchema = z.object({
  $schema: z.string().optional(),
  ident: identSchema.optional(),
  header: headerSchema.optional(),
  segments: z.array(segmentSchema).optional(),
  sections: z.array(sectionSchema).optional(),
  raw: z.array(rawSchema).optional(),
  size: z.number().int().nonnegative().max(MAX_FILE_BYTES).optional(),
}).strict();

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export type SpecParseResult = { ok: true; spec: ElfSpec } | { ok: false; errors: string[] };

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || '(top level)';
}

/** Validates parsed JSON; errors name the offending field, e.g. `segments[0].p_vaddr: does not fit in 64 bits`. */
export function specFromJson(document: unknown): SpecParseResult {
  const result = specSchema.safeParse(document);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`) };
  }
  const { ident, header, segments, sections, raw, size } = result.data;
  const spec: ElfSpec = dropUndefined({
    ident: ident && (dropUndefined(ident) as IdentSpec),
    header: header && dropUndefined(header),
    segments: segments?.map((segment) => dropUndefined(segment) as SegmentSpec),
    sections: sections?.map((section) => dropUndefined(section) as SectionSpec),
    raw,
    size,
  });
  return { ok: true, spec };
}

const NAMED_FIELDS: Record<string, { table: ReadonlyMap<number, string>; prefix: string }> = {
  e_type: { table: ELF_TYPE_NAMES, prefix: 'ET_' },
  e_machine: { table: ELF_MACHINE_NAMES, prefix: 'EM_' },
  p_type: { table: PT_NAMES, prefix: 'PT_' },
};

function jsonValue(key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return hex(value);
  if (value instanceof Uint8Array) return { hex: Buffer.from(value).toString('hex') };
  if (typeof value === 'number') {
    const naming = NAMED_FIELDS[key];
    const name = naming?.table.get(value);
    if (naming && name !== undefined) return `${naming.prefix}${name}`;
  }
  return value;
}

/** Bytes of raw hex per piece: 64 KiB of text, short enough to die young in V8's new space rather than pile up in its large-object space. */
const HEX_PIECE = 1 << 15;

function* hexPieces(chunk: Piece): Generator<string> {
  const buffer = Buffer.alloc(Math.min(HEX_PIECE, chunk.length));
  for (let at = 0; at < chunk.length; at += HEX_PIECE) {
    const piece = buffer.subarray(0, Math.min(HEX_PIECE, chunk.length - at));
    chunk.copy(piece, at);
    yield piece.toString('hex');
  }
}

/**
 * The JSON text of a spec in pieces, raw chunks last. A large file's raw hex
 * would pass V8's string limit (2^29 characters) as one string and costs several
 * copies on the way, so it is written as it is made. `raw` (by default the
 * spec's own chunks) may read each chunk from a file as it is printed.
 */
export function* specJsonPieces(spec: ElfSpec, raw: readonly Piece[] | undefined = rawPieces(spec)): Generator<string> {
  const { raw: _chunks, ...rest } = spec;
  const head = JSON.stringify(rest, (key, value: unknown) => jsonValue(key, value), 2);
  if (raw === undefined) {
    yield `${head}\n`;
    return;
  }
  // Reopen the object: "{}" or "{\n  ...\n}".
  yield head === '{}' ? '{\n' : `${head.slice(0, -2)},\n`;
  if (raw.length === 0) {
    yield '  "raw": []\n}\n';
    return;
  }
  yield '  "raw": [\n';
  for (const [index, chunk] of raw.entries()) {
    yield `    {\n      "offset": ${chunk.offset},\n      "hex": "`;
    yield* hexPieces(chunk);
    yield `"\n    }${index < raw.length - 1 ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

export function specToJson(spec: ElfSpec): string {
  return [...specJsonPieces(spec)].join('');
}
