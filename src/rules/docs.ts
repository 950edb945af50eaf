// The docs/rules/ pages, rendered from the rules' own metadata so that the
// docs cannot drift from the code. scripts/make-docs.mjs writes them.
import type { RuleMeta } from '../model/finding.js';
import { ALL_RULE_METAS } from './registry.js';

export function ruleDocPage(meta: RuleMeta): string {
  return [
    `# ${meta.id}`,
    '',
    `- **Severity**: ${meta.severity}`,
    `- **Category**: ${meta.category}`,
    '',
    `${meta.summary}.`,
    '',
    meta.explanation,
    '',
    `Run \`elf-lint explain ${meta.id}\` to read this page in a terminal. Disable the rule with \`--disable ${meta.id}\`.`,
    '',
  ].join('\n');
}

function ruleTable(linkPrefix: string): string[] {
  return [
    '| id | severity | category | summary |',
    '| --- | --- | --- | --- |',
    ...ALL_RULE_METAS.map((meta) => `| [\`${meta.id}\`](${linkPrefix}${meta.id}.md) | ${meta.severity} | ${meta.category} | ${meta.summary} |`),
  ];
}

const README_START = '<!-- rules:start -->';
const README_END = '<!-- rules:end -->';

/** The README with its rule table (between the markers) brought up to date. */
export function readmeWithRuleTable(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the rules markers');
  return `${readme.slice(0, start + README_START.length)}\n${ruleTable('docs/rules/').join('\n')}\n${readme.slice(end)}`;
}

export function ruleIndexPage(): string {
  return [
    '# Rules',
    '',
    'Generated from the rule modules by `npm run docs`; `npm test` fails when a page is out of date.',
    '',
    'Severities: **error** means the file will not load or run correctly; **warning** means it violates the',
    'gABI or is very likely a mistake; **info** is worth knowing. Categories: **loader** (what Linux does at',
    'execve), **gabi** (the generic ELF ABI), **hardening** (exploit mitigations), **portability** (other systems',
    'and tools).',
    '',
    ...ruleTable(''),
    '',
  ].join('\n');
}

export function ruleDocFiles(): Map<string, string> {
  const files = new Map<string, string>([['README.md', ruleIndexPage()]]);
  for (const meta of ALL_RULE_METAS) files.set(`${meta.id}.md`, ruleDocPage(meta));
  return files;
}
