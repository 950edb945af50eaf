// Plain-text tables of a campaign: by mutated field and outcome.
import type { CampaignResult } from './campaign.js';

const OUTCOME_ORDER = ['runs', 'start-fault', 'exec-killed', 'exec-error', 'not-applicable'];

export function outcomeRank(key: string): number {
  const index = OUTCOME_ORDER.findIndex((prefix) => key.startsWith(prefix));
  return index < 0 ? OUTCOME_ORDER.length : index;
}

export function sortedOutcomeKeys(result: CampaignResult): string[] {
  const keys = new Set(Object.values(result.byField).flatMap((outcomes) => Object.keys(outcomes)));
  return [...keys].sort((a, b) => outcomeRank(a) - outcomeRank(b) || a.localeCompare(b));
}

export function fieldTable(result: CampaignResult): string {
  const keys = sortedOutcomeKeys(result);
  const fields = Object.keys(result.byField).sort();
  const header = ['field', ...keys, 'total'];
  const rows = fields.map((field) => {
    const outcomes = result.byField[field]!;
    const counts = keys.map((key) => outcomes[key]?.count ?? 0);
    return [field, ...counts.map((count) => (count === 0 ? '.' : String(count))), String(counts.reduce((a, b) => a + b, 0))];
  });
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function verdictLine(result: CampaignResult): string {
  const rate = result.durationMs > 0 ? Math.round((result.completed * 1000) / result.durationMs) : result.completed;
  const what = result.executed ? 'executed' : 'linted (not executed)';
  const base = `${result.completed} of ${result.requested} mutants ${what} in ${(result.durationMs / 1000).toFixed(1)} s (${rate}/s)`;
  if (!result.executed) return `${base}${result.interrupted ? ', interrupted' : ''}`;
  const unresolved = result.unresolved > 0 ? `, ${result.unresolved} uncertain predictions not confirmed` : '';
  const stopped = result.interpreterStopped > 0 ? `, ${result.interpreterStopped} stopped in the interpreter before the program's entry` : '';
  return `${base}: ${result.agreements} agree with the prediction, ${result.disagreements.length} disagree${unresolved}${stopped}${result.interrupted ? ', interrupted' : ''}`;
}
