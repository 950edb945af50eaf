// The configuration file (.elf-lint.json, or `elf-lint` in package.json),
// validated with zod: unknown keys, unknown rule ids and bad values are
// refused, and every error names its key path (`rules.foo`, `overrides[0].files[1]`).
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import type { Overcommit } from '../../model/assumptions.js';
import { RULES, findRuleMeta } from '../../rules/registry.js';
import { parseAddress64, parsePageSize } from '../numbers.js';
import { globToRegExp, GlobError } from './glob.js';
import { parseMachine, knownLoaderNames, unknownLoaderNames } from './target.js';

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

/** A value given as a number or as text, parsed by one of the command line's parsers (which throw). */
function parsed<T>(parse: (text: string) => T) {
  return z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER, 'use a "0x..." string above 2^53'), z.string()])
    .transform((value, context) => {
      try {
        return parse(String(value));
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message.replace(/\.$/, '') : String(error) });
        return z.NEVER;
      }
    });
}

const loaderList = z.array(z.string()).superRefine((names, context) => {
  for (const name of unknownLoaderNames(names)) {
    context.addIssue({ code: 'custom', path: [names.indexOf(name)], message: `unknown loader "${name}"; loaders: ${knownLoaderNames().join(', ')}` });
  }
});

const targetSchema = z.object({
  machine: parsed(parseMachine).optional(),
  pageSize: parsed(parsePageSize).optional(),
  mmapMinAddr: parsed(parseAddress64).optional(),
  privileged: z.boolean().optional(),
  without: loaderList.optional(),
  memory: parsed(parseAddress64).optional(),
  overcommit: z.enum(['guess', 'always', 'never']).optional(),
  cpuidFaults: z.boolean().optional(),
}).strict();

/** Ids a configuration may set: the rules, not the engine's own findings (not-elf, internal-error). */
const ruleSettings = z.record(z.string(), z.enum(RULE_SETTINGS)).superRefine((rules, context) => {
  for (const id of Object.keys(rules)) {
    if (RULES.some((rule) => rule.id === id)) continue;
    const message = findRuleMeta(id)
      ? `"${id}" is a finding of the engine, not a rule, and cannot be configured`
      : `unknown rule id "${id}" (see \`elf-lint rules\`)`;
    context.addIssue({ code: 'custom', path: [id], message });
  }
});

const glob = z.string().superRefine((pattern, context) => {
  try {
    globToRegExp(pattern);
  } catch (error) {
    if (!(error instanceof GlobError)) throw error;
    context.addIssue({ code: 'custom', message: `bad glob: ${error.message}` });
  }
});

const verdictList = z.array(z.enum(VERDICT_SETTINGS));

const settingsShape = {
  rules: ruleSettings.optional(),
  profile: z.enum(PROFILES).optional(),
  failOn: z.enum(SEVERITIES).optional(),
  failOnVerdict: verdictList.optional(),
  target: targetSchema.optional(),
};

const overrideSchema = z.object({ files: z.array(glob).min(1, 'expected at least one glob'), ...settingsShape }).strict();

const configSchema = z.object({
  $schema: z.string().optional(),
  ...settingsShape,
  overrides: z.array(overrideSchema).optional(),
  ignores: z.array(glob).optional(),
}).strict();

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '') || '(top level)';
}

export type ConfigParseResult = { ok: true; config: Config } | { ok: false; errors: string[] };

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/** Validates a parsed configuration document; errors read `overrides[0].rules.foo: unknown rule id "foo"`. */
export function configFromJson(document: unknown): ConfigParseResult {
  const result = configSchema.safeParse(document);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`) };
  }
  const { $schema: _schema, ...config } = result.data;
  const clean = (settings: Settings): Settings => withoutUndefined({ ...settings, target: settings.target && withoutUndefined(settings.target) });
  return {
    ok: true,
    config: withoutUndefined({
      ...clean(config),
      overrides: config.overrides?.map((override) => ({ ...clean(override), files: override.files })),
      ignores: config.ignores,
    }),
  };
}
