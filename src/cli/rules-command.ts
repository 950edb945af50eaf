// `elf-lint rules` and `elf-lint explain ID`.
import type { Command } from 'commander';
import { Option } from 'commander';
import { ALL_RULE_METAS, findRuleMeta } from '../rules/registry.js';
import { LOADER_VERDICT_META } from '../report/sarif.js';
import { READ_ERROR_META } from '../report/gitlab.js';
import { EXIT_OK, UsageError } from './exit-codes.js';
import { write } from './io.js';

function rulesText(): string {
  const width = Math.max(...ALL_RULE_METAS.map((meta) => meta.id.length));
  return `${ALL_RULE_METAS.map((meta) => `${meta.id.padEnd(width)}  ${meta.severity.padEnd(7)}  ${meta.category.padEnd(11)}  ${meta.summary}`).join('\n')}\n`;
}

function rulesJson(): string {
  const list = ALL_RULE_METAS.map(({ id, category, severity, summary }) => ({ id, category, severity, summary }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** Ids the reports use beside the rules': SARIF's ruleId and GitLab's check_name for a failing verdict, GitLab's for an unreadable file. */
const REPORT_METAS = [LOADER_VERDICT_META, READ_ERROR_META];

export function explainText(id: string): string {
  const meta = findRuleMeta(id) ?? REPORT_METAS.find((candidate) => candidate.id === id);
  if (!meta) throw new UsageError(`unknown rule id "${id}" (see \`elf-lint rules\`)`);
  return `${meta.id} (${meta.severity}, ${meta.category})\n${meta.summary}\n\n${meta.explanation}\n`;
}

export function registerRules(program: Command, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description('list every rule with its id, severity and category')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: 'text' | 'json' }) => {
      write(options.format === 'json' ? rulesJson() : rulesText());
      setExit(EXIT_OK);
    });
  program
    .command('explain')
    .description('explain one rule: what it checks, what Linux does, how to fix it')
    .argument('<id>', 'rule id, as printed in brackets after each finding')
    .action((id: string) => {
      write(explainText(id));
      setExit(EXIT_OK);
    });
}
