import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeWithRuleTable, ruleDocFiles } from '../src/rules/docs.js';

const directory = new URL('../docs/rules/', import.meta.url);

describe('docs/rules', () => {
  const expected = ruleDocFiles();
  it('has exactly one page per rule, plus the index (run `npm run docs` to refresh)', () => {
    expect(readdirSync(directory).sort()).toEqual([...expected.keys()].sort());
  });
  it.each([...expected.entries()])('%s is current', (name, text) => {
    expect(readFileSync(new URL(name, directory), 'utf8')).toBe(text);
  });
});

describe('README', () => {
  it('lists every rule (run `npm run docs` to refresh)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(readmeWithRuleTable(readme));
  });
});
