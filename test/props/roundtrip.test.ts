// The generator and the parser keep each other honest.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildElf } from '../../src/gen/build.js';
import { specFromFile } from '../../src/gen/from-file.js';
import { specFromJson, specToJson } from '../../src/gen/json.js';
import type { ElfSpec } from '../../src/gen/spec.js';
import { CORPUS } from '../../src/gen/corpus.js';
import { parseElf } from '../../src/parse/parse.js';
import { lintParsed } from '../../src/rules/engine.js';
import type { ElfFile } from '../../src/model/elf.js';
import { anySpec, PROPERTY_OPTIONS, validSpec } from './arbitraries.js';

function parsed(bytes: Uint8Array): ElfFile {
  const file = parseElf(bytes);
  if (file.kind !== 'elf') throw new Error('not ELF');
  return file;
}

function rebuild(bytes: Uint8Array): Uint8Array {
  return buildElf(specFromFile(parsed(bytes)));
}

/** Every field the spec pins is what the parser reads back; data lands where the headers say. */
function expectMatches(spec: ElfSpec, file: ElfFile): void {
  for (const [name, value] of Object.entries(spec.header ?? {})) {
    expect(file.header?.[name as keyof NonNullable<ElfFile['header']>], name).toBe(value);
  }
  expect(file.ident.data).toBe(spec.ident?.data ?? 1);
  expect(file.ident.osAbi).toBe(spec.ident?.osabi ?? 0);
  const segments = spec.segments ?? [];
  expect(file.programHeaders).toHaveLength(segments.length);
  segments.forEach((segment, i) => {
    const phdr = file.programHeaders[i]!;
    for (const key of ['p_type', 'p_flags', 'p_vaddr', 'p_align', 'p_memsz'] as const) {
      if (segment[key] !== undefined) expect(phdr[key], `phdr[${i}].${key}`).toBe(segment[key]);
    }
    if (segment.data && !segment.withHeaders) {
      expect(phdr.p_filesz).toBe(BigInt(segment.data.length));
      const start = Number(phdr.p_offset);
      expect(Buffer.from(file.bytes.subarray(start, start + segment.data.length)).equals(Buffer.from(segment.data))).toBe(true);
    }
  });
  const sections = spec.sections ?? [];
  expect(file.sectionHeaders).toHaveLength(sections.length);
  sections.forEach((section, i) => {
    const shdr = file.sectionHeaders.at(i)!;
    expect(shdr.name ?? '', `shdr[${i}].name`).toBe(section.name ?? '');
    if (section.data) {
      const start = Number(shdr.sh_offset);
      expect(Buffer.from(file.bytes.subarray(start, start + section.data.length)).equals(Buffer.from(section.data))).toBe(true);
    }
  });
}

describe('valid specs', () => {
  it('parse(gen(s)) matches s field by field, and lint finds no error', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      const file = parsed(buildElf(spec));
      expectMatches(spec, file);
      expect(lintParsed(file).filter((f) => f.severity === 'error')).toEqual([]);
    }), PROPERTY_OPTIONS);
  });

  it('gen is deterministic', () => {
    fc.assert(fc.property(anySpec, (spec) => {
      expect(Buffer.from(buildElf(spec)).equals(Buffer.from(buildElf(spec)))).toBe(true);
    }), PROPERTY_OPTIONS);
  });

  it('specs survive their JSON form', () => {
    fc.assert(fc.property(anySpec, (spec) => {
      const again = specFromJson(JSON.parse(specToJson(spec)));
      expect(again.ok).toBe(true);
      if (again.ok) expect(Buffer.from(buildElf(again.spec)).equals(Buffer.from(buildElf(spec)))).toBe(true);
    }), PROPERTY_OPTIONS);
  });
});

describe('gen(spec(parse(b))) == b', () => {
  it('for arbitrary generated files: garbage, overlaps, truncation', () => {
    fc.assert(fc.property(anySpec, (spec) => {
      const bytes = buildElf(spec);
      fc.pre(parseElf(bytes).kind === 'elf');
      expect(Buffer.from(rebuild(bytes)).equals(Buffer.from(bytes))).toBe(true);
    }), PROPERTY_OPTIONS);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('for corpus/%s', (name) => {
    const bytes = readFileSync(new URL(`../../corpus/${name}`, import.meta.url));
    expect(Buffer.from(rebuild(bytes)).equals(bytes)).toBe(true);
  });

  it.each(['/usr/bin/ls', '/usr/bin/env', '/usr/lib/x86_64-linux-gnu/libc.so.6'])('for %s', (path) => {
    const bytes = readFileSync(path);
    expect(Buffer.from(rebuild(bytes)).equals(bytes)).toBe(true);
  });
});
