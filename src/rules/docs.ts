// The docs/rules/ pages, rendered from the rules' own metadata so that the
// docs cannot drift from the code. scripts/make-docs.mjs writes them.
import type { RuleMeta } from '../model/finding.js';
import { archTable } from '../model/arch/docs.js';
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

/** Replaces the lines between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function replaceBetween(text: string, name: string, lines: readonly string[]): string {
  const startMarker = `<!-- ${name}:start -->`;
  const start = text.indexOf(startMarker);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${name} markers`);
  return `${text.slice(0, start + startMarker.length)}\n${lines.join('\n')}\n${text.slice(end)}`;
}

/** The README with its generated tables (rules, architecture profiles) brought up to date. */
export function readmeWithRuleTable(readme: string): string {
  return replaceBetween(replaceBetween(readme, 'rules', ruleTable('docs/rules/')), 'arches', archTable());
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
