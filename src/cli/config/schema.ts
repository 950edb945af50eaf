// The configuration file (.elf-lint.json, or `elf-lint` in package.json),
// validated with zod: unknown keys, unknown rule ids and bad values are
// refused, and every error names its key path (`rules.foo`, `overrides[0].files[1]`).
import { z } from 'zod';
import { SEVERITIES } from '../../model/finding.js';
import { RULES, findRuleMeta } from '../../rules/registry.js';
import { parseAddress64, parsePageSize } from '../numbers.js';
import { globToRegExp, GlobError } from './glob.js';
import { parseMachine, knownLoaderNames, unknownLoaderNames } from './target.js';
import { FAILING_VERDICTS, PROFILES, RULE_SETTINGS, VERDICT_SETTINGS, verdictListProblem, type Config, type Settings } from './settings.js';
import { BASELINE_VERSION, type BaselineDocument } from './baseline.js';

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
    context.addIssue({ code: 'custom', message: `bad glob "${pattern}": ${error.message}` });
  }
});

const verdictList = z.array(z.enum(VERDICT_SETTINGS)).superRefine((settings, context) => {
  const problem = verdictListProblem(settings);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

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

/**
 * Validates a parsed configuration document; errors read `overrides[0].rules.foo: unknown rule id "foo"`,
 * under `root` (package.json's key) when the document is inside another.
 */
export function configFromJson(document: unknown, root: readonly PropertyKey[] = []): ConfigParseResult {
  const result = configSchema.safeParse(document);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((issue) => `${pathText([...root, ...issue.path])}: ${issue.message}`) };
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

const baselineSchema = z.object({
  elfLintBaseline: z.literal(BASELINE_VERSION),
  findings: z.array(z.object({ rule: z.string(), field: z.string(), path: z.string() }).strict()),
  verdicts: z.array(z.object({ path: z.string(), verdict: z.enum(FAILING_VERDICTS) }).strict()),
}).strict();

/** Validates a parsed baseline file; the error names the first bad key (`findings[3].rule: ...`). */
export function baselineFromJson(document: unknown): { ok: true; document: BaselineDocument } | { ok: false; error: string } {
  const result = baselineSchema.safeParse(document);
  if (result.success) return { ok: true, document: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `${pathText(issue.path)}: ${issue.message}` };
}
