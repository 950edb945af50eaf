// The settings a configuration file can hold: their names, allowed values and
// types. The zod schema that validates a file (schema.ts) is loaded only when a
// file is read, so that a run without configuration does not pay for zod.
import type { Severity } from '../../model/finding.js';
import { SEVERITIES } from '../../model/finding.js';
import type { Overcommit } from '../../model/assumptions.js';

export const RULE_SETTINGS = ['off', ...SEVERITIES] as const;
export type RuleSetting = (typeof RULE_SETTINGS)[number];

/** Which rule categories run: `all` of them, or one group. */
export const PROFILES = ['recommended', 'loader', 'gabi', 'hardening', 'all'] as const;
export type Profile = (typeof PROFILES)[number];

/** Verdicts that can fail a run, and `uncertain` (count uncertain predictions of those too). */
export const FAILING_VERDICTS = ['exec-error', 'exec-killed', 'start-fault'] as const;
export type FailingVerdict = (typeof FAILING_VERDICTS)[number];
export const VERDICT_SETTINGS = [...FAILING_VERDICTS, 'uncertain'] as const;
export type VerdictSetting = (typeof VERDICT_SETTINGS)[number];

/** Why a verdict list means something else than it seems, or undefined: `uncertain` qualifies the verdicts listed with it, and alone fails nothing. */
export function verdictListProblem(settings: readonly VerdictSetting[]): string | undefined {
  if (settings.length > 0 && settings.every((setting) => setting === 'uncertain')) {
    return `uncertain only adds the uncertain predictions of the verdicts listed with it, so alone it fails nothing; list them too (${FAILING_VERDICTS.join(',')},uncertain)`;
  }
  return undefined;
}

export interface TargetConfig {
  readonly machine?: string;
  readonly pageSize?: bigint;
  readonly mmapMinAddr?: bigint;
  readonly privileged?: boolean;
  readonly without?: readonly string[];
  readonly memory?: bigint;
  readonly overcommit?: Overcommit;
  readonly cpuidFaults?: boolean;
}

/** What a configuration (or one of its overrides) sets; absent keys leave the value to the level below. */
export interface Settings {
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  readonly profile?: Profile;
  readonly failOn?: Severity;
  readonly failOnVerdict?: readonly VerdictSetting[];
  readonly target?: TargetConfig;
}

export interface Override extends Settings {
  readonly files: readonly string[];
}

export interface Config extends Settings {
  readonly overrides?: readonly Override[];
  readonly ignores?: readonly string[];
}
