// Shared helpers for the tests: build a file from a spec, lint it, and look
// at the rule ids that fired.
import { buildElf } from '../src/gen/build.js';
import type { ElfSpec } from '../src/gen/spec.js';
import { parseElf } from '../src/parse/parse.js';
import { lintParsed, type LintOptions } from '../src/rules/engine.js';
import type { ElfFile } from '../src/model/elf.js';
import type { Finding } from '../src/model/finding.js';
import { DOCKER_HELLO_MESSAGE, helloSpec } from '../src/gen/templates.js';

export const HELLO: ElfSpec = helloSpec(Buffer.from(DOCKER_HELLO_MESSAGE, 'utf8'));

export function lintBytes(bytes: Uint8Array, options?: LintOptions): Finding[] {
  return lintParsed(parseElf(bytes), options);
}

export function lintSpec(spec: ElfSpec, options?: LintOptions): Finding[] {
  return lintBytes(buildElf(spec), options);
}

export function ruleIds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

export function parseSpec(spec: ElfSpec): ElfFile {
  const file = parseElf(buildElf(spec));
  if (file.kind !== 'elf') throw new Error('spec did not build an ELF file');
  return file;
}

/** hello with some header fields pinned. */
export function helloWithHeader(header: NonNullable<ElfSpec['header']>): ElfSpec {
  return { ...HELLO, header: { ...HELLO.header, e_entry: 0x400078n, ...header } };
}

/** hello with its only segment changed (entry kept at the code). */
export function helloWithSegment(fields: NonNullable<ElfSpec['segments']>[number]): ElfSpec {
  return { ...HELLO, header: { ...HELLO.header, e_entry: 0x400078n }, segments: [{ ...HELLO.segments![0]!, ...fields }] };
}
