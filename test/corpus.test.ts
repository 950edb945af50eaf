import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildElf } from '../src/gen/build.js';
import { CORPUS, corpusReadme } from '../src/gen/corpus.js';
import { RULES } from '../src/rules/registry.js';
import { lintBytes, ruleIds } from './support.js';
import { DEFAULT_ASSUMPTIONS } from '../src/model/assumptions.js';

const corpusFile = (name: string) => new URL(`../corpus/${name}`, import.meta.url);

/** sha256 of the 910-byte `hello` in Docker's hello-world image (assembled from its published source). */
const ORIGINAL_HELLO_SHA256 = '817269ff21689456842334ed879029c87e88d83359d9df789fe1bc604712557a';

describe('corpus', () => {
  it('hello is byte for byte the original hello-world executable', () => {
    const bytes = readFileSync(corpusFile('hello'));
    expect(bytes.length).toBe(910);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ORIGINAL_HELLO_SHA256);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s is committed as a fresh build', (name, entry) => {
    expect(Buffer.from(readFileSync(corpusFile(name))).equals(Buffer.from(buildElf(entry.spec)))).toBe(true);
  });

  it.each(CORPUS.map((entry) => [entry.name, entry] as const))('%s trips exactly the rules it is built for', (name, entry) => {
    const assumptions = entry.machine === undefined ? DEFAULT_ASSUMPTIONS : { ...DEFAULT_ASSUMPTIONS, machine: entry.machine };
    // The recommended rules, and the opt-in rules the entry names: the file must trip exactly those it lists.
    const optIn = new Set([...(entry.trips ? [entry.trips] : []), ...(entry.optInTrips ?? [])]);
    const rules = RULES.filter((rule) => rule.optIn !== true || optIn.has(rule.id));
    const expected = [...(entry.trips ? [entry.trips, ...(entry.alsoTrips ?? [])] : []), ...(entry.optInTrips ?? [])].sort();
    expect(ruleIds(lintBytes(readFileSync(corpusFile(name)), { assumptions, rules }))).toEqual(expected);
  });

  it('names only opt-in rules as optInTrips, and the opt-in rules do not fire by default', () => {
    for (const entry of CORPUS) {
      for (const id of entry.optInTrips ?? []) expect(RULES.find((rule) => rule.id === id)?.optIn, `${entry.name}: ${id}`).toBe(true);
    }
    const optInIds = new Set(RULES.filter((rule) => rule.optIn === true).map((rule) => rule.id));
    expect(ruleIds(lintBytes(readFileSync(corpusFile('hello')))).filter((id) => optInIds.has(id))).toEqual([]);
  });

  it('has a twin for every rule that a file can trip', () => {
    const tripped = new Set(CORPUS.flatMap((entry) => [...(entry.trips ? [entry.trips] : []), ...(entry.optInTrips ?? [])]));
    // parse-damage reports parser faults that no well-formed byte string reaches; see rules.test.ts.
    const missing = RULES.map((rule) => rule.id).filter((id) => id !== 'parse-damage' && !tripped.has(id));
    expect(missing).toEqual([]);
  });

  it('README lists every file', () => {
    expect(readFileSync(corpusFile('README.md'), 'utf8')).toBe(corpusReadme());
  });
});
