// Hints for paths that do not exist but look like something else: the value
// of an option that `npm exec` (and some npx versions) took as its own
// (`npm exec elf-lint --format json f` runs `elf-lint json f`), or a misspelt
// subcommand (`elf-lint rule`, which the default lint command reads as a path).
// Only for paths that do not exist: a file named `rule` or `json` is linted.
import { statSync } from 'node:fs';
import { SEVERITIES } from '../model/finding.js';
import { PROFILES, VERDICT_SETTINGS } from './config/settings.js';
import { findRuleMeta } from '../rules/registry.js';
import { parseMachine } from './config/target.js';
import { COMMANDS } from './commands.js';

export const FORMATS: readonly string[] = ['text', 'json', 'sarif', 'gitlab', 'html'];

function isMachine(text: string): boolean {
  if (!/^[a-z]/i.test(text)) return false;
  try {
    parseMachine(text);
    return true;
  } catch {
    return false;
  }
}

/** The option a bare word is most likely the value of, if any. */
export function optionFor(word: string): string | undefined {
  if (FORMATS.includes(word)) return '--format';
  if ((PROFILES as readonly string[]).includes(word)) return '--profile';
  if ((SEVERITIES as readonly string[]).includes(word)) return '--fail-on';
  const verdicts = word.split(',');
  if (word === 'none' || verdicts.every((verdict) => (VERDICT_SETTINGS as readonly string[]).includes(verdict))) return '--fail-on-verdict';
  if (['guess', 'always', 'never'].includes(word)) return '--overcommit';
  if (/^[a-z0-9-]+=(off|info|warning|error)$/.test(word)) return '--rule';
  if (/^\d+\/\d+$/.test(word)) return '--shard';
  if (word.split(',').every((id) => findRuleMeta(id) !== undefined)) return '--disable';
  if (isMachine(word)) return '--machine';
  return undefined;
}

/** Optimal string alignment distance (Levenshtein plus transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The subcommand a word is a likely typo of (one edit; two for names of 7 letters or more). */
export function commandFor(word: string): string | undefined {
  let found: { name: string; distance: number } | undefined;
  for (const name of COMMANDS) {
    const distance = editDistance(word.toLowerCase(), name);
    const allowed = Math.max(word.length, name.length) >= 7 ? 2 : 1;
    if (distance <= allowed && (!found || distance < found.distance)) found = { name, distance };
  }
  return found?.name;
}

function missing(path: string): boolean {
  if (path === '-') return false;
  try {
    statSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** A word as a shell would need it written (for the suggested command line). */
function shellWord(word: string): string {
  return /^[\w./,=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hint lines (without a newline) for the paths of one lint run; empty when
 * nothing looks mistyped. `paths` are the lint command's positional words, in order.
 */
export function pathHints(paths: readonly string[]): string[] {
  const hints: string[] = [];
  const first = paths[0];
  if (first !== undefined && missing(first) && optionFor(first) === undefined) {
    const command = commandFor(first);
    if (command !== undefined && command !== first) {
      return [`${first}: cannot read: no such file or directory; did you mean ${command}? (elf-lint ${command}${command === 'help' ? '' : ' --help'} says how to use it)`];
    }
  }
  const options: string[] = [];
  const rest: string[] = [];
  let firstValue: string | undefined;
  for (const path of paths) {
    const option = missing(path) ? optionFor(path) : undefined;
    if (option === undefined) {
      rest.push(shellWord(path));
      continue;
    }
    firstValue ??= path;
    options.push(option, shellWord(path));
  }
  if (firstValue !== undefined) {
    const meant = options.join(' ');
    const line = ['npx -- elf-lint', ...options, ...rest].join(' ');
    hints.push(`${firstValue}: cannot read: no such file or directory; did you mean ${meant}? `
      + `With npx, write: ${line} (npm exec and some npx versions take the options of a command as their own; a -- before the package name passes them on)`);
  }
  return hints;
}

/** Writes the hints for a lint run's paths on stderr (one `elf-lint:` line each). */
export function hintMistypedPaths(paths: readonly string[]): void {
  for (const hint of pathHints(paths)) process.stderr.write(`elf-lint: ${hint}\n`);
}
