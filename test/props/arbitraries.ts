// fast-check arbitraries for specs: valid programs, and anything at all.
import fc from 'fast-check';
import type { ElfSpec, SectionSpec, SegmentSpec } from '../../src/gen/spec.js';
import { encodeNotes } from '../../src/gen/contents.js';
import { ET_DYN, ET_EXEC, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_NOTE } from '../../src/model/constants.js';

/** Runs per property: `npm run test:props -- --runs N` sets it; `npm test` uses the default. */
export const RUNS = Number(process.env['ELF_LINT_PROP_RUNS'] ?? 500);
const seedText = process.env['ELF_LINT_PROP_SEED'];
/** Replays a failure: `npm run test:props -- --seed S`. */
export const PROPERTY_OPTIONS: fc.Parameters<unknown> = { numRuns: RUNS, ...(seedText ? { seed: Number(seedText) } : {}) };

const PAGE = 0x1000n;
const bytes = (max: number) => fc.uint8Array({ minLength: 1, maxLength: max });

interface ValidShape {
  readonly elfClass: number;
  readonly type: number;
  readonly data: number;
  readonly base: bigint;
  readonly align: bigint;
  readonly code: Uint8Array;
  readonly extras: readonly { readonly kind: 'data' | 'note' | 'stack'; readonly bytes: Uint8Array; readonly bss: bigint; readonly gapPages: bigint }[];
  readonly sections: readonly { readonly name: string; readonly bytes: Uint8Array; readonly align: bigint }[] | undefined;
  readonly osabi: number;
}

const shape: fc.Arbitrary<ValidShape> = fc.record({
  // All four containers: ELF32 and ELF64, little- and big-endian.
  elfClass: fc.constantFrom(1, 2),
  type: fc.constantFrom(ET_EXEC, ET_DYN),
  data: fc.constantFrom(1, 2),
  base: fc.bigInt({ min: 0x10n, max: 0x7f0000n }).map((pages) => pages * 0x200000n),
  align: fc.constantFrom(0x1000n, 0x200000n),
  code: bytes(64),
  extras: fc.array(fc.record({
    kind: fc.constantFrom<'data' | 'note' | 'stack'>('data', 'note', 'stack'),
    bytes: bytes(48),
    bss: fc.bigInt({ min: 0n, max: 0x3000n }),
    gapPages: fc.bigInt({ min: 1n, max: 16n }),
  }), { maxLength: 3 }),
  sections: fc.option(fc.array(fc.record({
    name: fc.stringMatching(/^\.[a-z]{1,8}$/),
    bytes: bytes(32),
    align: fc.constantFrom(0n, 1n, 4n, 8n, 16n),
  }), { maxLength: 4 }), { nil: undefined }),
  osabi: fc.constantFrom(0, 3),
});

/** Builds a valid spec: code first (mapping the headers), then data segments above it. */
function toValidSpec(s: ValidShape): ElfSpec {
  // An ELF32 image must fit below 4 GiB: keep its base under 1 GiB.
  const base = s.type === ET_DYN ? 0n : s.elfClass === 1 ? 0x400000n + (s.base % 0x3f000000n) : s.base;
  const segments: SegmentSpec[] = [{ p_type: PT_LOAD, p_flags: PF_R | PF_X, p_vaddr: base, p_align: s.align, withHeaders: true, data: s.code }];
  let next = base + 0x10000000n;
  for (const extra of s.extras) {
    if (extra.kind === 'data') {
      const vaddr = next + extra.gapPages * PAGE;
      segments.push({ p_type: PT_LOAD, p_flags: PF_R | PF_W, p_vaddr: vaddr, p_align: PAGE, data: extra.bytes, p_memsz: BigInt(extra.bytes.length) + extra.bss });
      next = vaddr + BigInt(extra.bytes.length) + extra.bss;
    } else if (extra.kind === 'note') {
      // A well-formed note of an owner of our own, carrying the random bytes as its descriptor.
      segments.push({ p_type: PT_NOTE, p_flags: PF_R, p_align: 4n, data: encodeNotes([{ name: 'elf-lint', type: 1, desc: extra.bytes }], s.data === 2 ? 'MSB' : 'LSB', 4) });
    } else {
      segments.push({ p_type: PT_GNU_STACK, p_flags: PF_R | PF_W, p_align: 16n });
    }
  }
  const sections: SectionSpec[] | undefined = s.sections && [
    {},
    ...s.sections.map((section) => ({ name: section.name, sh_type: 1, data: section.bytes, sh_addralign: section.align })),
    { name: '.shstrtab' },
  ];
  return {
    ident: { class: s.elfClass, data: s.data, osabi: s.osabi },
    header: { e_type: s.type },
    segments,
    ...(sections ? { sections } : {}),
  };
}

export const validSpec: fc.Arbitrary<ElfSpec> = shape.map(toValidSpec);

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 0x2000n }));
const small = fc.bigInt({ min: 0n, max: 0x1800n });

/** Any pin of any header field, including nonsense. Offsets stay small so files stay small. */
const headerPins = fc.record({
  e_type: u16, e_machine: u16, e_version: u32, e_entry: u64, e_phoff: small, e_shoff: small, e_flags: u32,
  e_ehsize: u16, e_phentsize: fc.constantFrom(0, 32, 56, 64, 0xffff), e_phnum: u16, e_shentsize: fc.constantFrom(0, 40, 64, 80),
  e_shnum: u16, e_shstrndx: u16,
}, { requiredKeys: [] });

const segmentPins = fc.record({
  p_type: u32, p_flags: u32, p_offset: u64, p_vaddr: u64, p_paddr: u64, p_filesz: u64, p_memsz: u64, p_align: u64,
}, { requiredKeys: [] });

const identPins = fc.record({
  class: fc.integer({ min: 0, max: 255 }), data: fc.integer({ min: 0, max: 255 }), version: fc.integer({ min: 0, max: 255 }),
  osabi: fc.integer({ min: 0, max: 255 }), abiversion: fc.integer({ min: 0, max: 255 }), pad: fc.uint8Array({ maxLength: 7 }),
}, { requiredKeys: [] });

const rawChunk = fc.record({ offset: fc.nat({ max: 0x1800 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 24 }) });

/** Anything the generator accepts: a valid spec with random pins, garbage, overlaps and truncation. */
export const anySpec: fc.Arbitrary<ElfSpec> = fc.record({
  valid: validSpec,
  ident: identPins,
  header: headerPins,
  segmentPins: fc.array(segmentPins, { maxLength: 4 }),
  raw: fc.array(rawChunk, { maxLength: 4 }),
  size: fc.option(fc.nat({ max: 0x1800 }), { nil: undefined }),
}).map(({ valid, ident, header, segmentPins: pins, raw, size }) => {
  const merged = { ...valid.ident, ...ident };
  // An ELF32 file has 4-byte addresses and offsets: pins keep to the width of their field.
  const fit = (record: object) => merged.class !== 1 ? record
    : Object.fromEntries(Object.entries(record).map(([name, value]) => [name, typeof value === 'bigint' ? BigInt.asUintN(32, value) : value]));
  return {
    ...valid,
    ident: merged,
    header: { ...fit(valid.header ?? {}), ...fit(header) },
    segments: valid.segments!.map((segment, i) => ({ ...fit(segment), ...fit(pins[i] ?? {}) })),
    raw,
    size: size ?? 0x1800,
  };
});
