// The settings that apply to one file: built-in defaults, then its
// configuration (top level, then each override whose `files` match, in
// order), then the command line.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CATEGORIES, type Category, type Severity } from '../../model/finding.js';
import type { LoaderVerdict } from '../../model/loader-verdict.js';
import { RULES } from '../../rules/registry.js';
import { matchesGlob, matchesGlobOrParent } from './glob.js';
import type { LoadedConfig } from './load.js';
import { FAILING_VERDICTS, type Profile, type RuleSetting, type Settings, type TargetConfig, type VerdictSetting } from './settings.js';

/**
 * By default a predicted failure to start fails the run: execve refusing the
 * file, the kernel killing it, or its first instruction faulting. An uncertain
 * prediction (it depends on address randomisation or on code the model does
 * not analyse) does not, unless `uncertain` is listed.
 */
export const DEFAULT_FAIL_ON_VERDICT: readonly VerdictSetting[] = FAILING_VERDICTS;
export const DEFAULT_PROFILE: Profile = 'recommended';
export const DEFAULT_FAIL_ON: Severity = 'error';

/** The rule categories each profile runs; `recommended` leaves the opt-in rules off. */
export const PROFILE_CATEGORIES: Readonly<Record<Profile, readonly Category[]>> = {
  recommended: CATEGORIES,
  loader: ['loader'],
  gabi: ['gabi', 'portability'],
  hardening: ['hardening'],
  all: CATEGORIES,
};

/** What the command line sets: only options given explicitly (a default never overrides a configuration). */
export interface CommandLineSettings {
  readonly profile?: Profile;
  readonly failOn?: Severity;
  readonly failOnVerdict?: readonly VerdictSetting[];
  readonly target: TargetConfig;
  /** Rule ids turned on at their default severity (--enable). */
  readonly enable: readonly string[];
  /** --rule ID=SEVERITY, in order. */
  readonly rules: readonly (readonly [string, RuleSetting])[];
  /** Rule ids turned off (--disable). */
  readonly disable: readonly string[];
}

export interface EffectiveSettings {
  /** The configuration file that applies, or null. */
  readonly config: string | null;
  /** The file matches the configuration's `ignores`: it is not checked. */
  readonly ignored: boolean;
  readonly profile: Profile;
  /** Every rule's setting. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly failOn: Severity;
  readonly failOnVerdict: readonly VerdictSetting[];
  readonly target: TargetConfig;
}

/** `path` relative to `directory` with `/` separators, or undefined when it lies outside. */
function relativeTo(directory: string, path: string): string | undefined {
  const inside = relative(directory, resolve(path));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return inside.split(sep).join('/');
}

function matchesAny(path: string | undefined, patterns: readonly string[], parents: boolean): boolean {
  if (path === undefined) return false;
  return patterns.some((pattern) => (parents ? matchesGlobOrParent(path, pattern) : matchesGlob(path, pattern)));
}

/** What the settings of a file depend on besides its path: the same for every file under one configuration with the same overrides. */
type SharedSettings = Omit<EffectiveSettings, 'ignored'>;

/** Stands for "no configuration file" among the configurations settings are made for. */
const NO_CONFIG = {};

/** Settings already made, per command line, per configuration (or none) and the overrides that match: files share one object. */
const made = new WeakMap<CommandLineSettings, WeakMap<object, Map<string, SharedSettings>>>();

/**
 * The settings for the file at `path` (undefined for standard input) under
 * `loaded` (the configuration that applies, if any) and the command line.
 */
export function effectiveSettings(path: string | undefined, loaded: LoadedConfig | undefined, commandLine: CommandLineSettings): EffectiveSettings {
  const config = loaded?.config;
  const inside = loaded && path !== undefined ? relativeTo(loaded.directory, path) : undefined;
  const overrides = (config?.overrides ?? []).flatMap((override, index) => (matchesAny(inside, override.files, false) ? [index] : []));
  let byConfig = made.get(commandLine);
  if (!byConfig) made.set(commandLine, (byConfig = new WeakMap()));
  let known = byConfig.get(loaded ?? NO_CONFIG);
  if (!known) byConfig.set(loaded ?? NO_CONFIG, (known = new Map()));
  const key = overrides.join(',');
  let shared = known.get(key);
  if (!shared) {
    const layers: Settings[] = config ? [config, ...overrides.map((index) => config.overrides![index]!)] : [];
    shared = settingsOf(loaded, layers, commandLine);
    known.set(key, shared);
  }
  return { ...shared, ignored: matchesAny(inside, config?.ignores ?? [], true) };
}

function settingsOf(loaded: LoadedConfig | undefined, layers: readonly Settings[], commandLine: CommandLineSettings): SharedSettings {
  let profile = DEFAULT_PROFILE;
  let failOn = DEFAULT_FAIL_ON;
  let failOnVerdict = DEFAULT_FAIL_ON_VERDICT;
  let target: TargetConfig = {};
  for (const layer of layers) {
    profile = layer.profile ?? profile;
    failOn = layer.failOn ?? failOn;
    failOnVerdict = layer.failOnVerdict ?? failOnVerdict;
    target = { ...target, ...layer.target };
  }
  profile = commandLine.profile ?? profile;
  failOn = commandLine.failOn ?? failOn;
  failOnVerdict = commandLine.failOnVerdict ?? failOnVerdict;
  target = { ...target, ...commandLine.target };

  const categories = PROFILE_CATEGORIES[profile];
  const rules: Record<string, RuleSetting> = {};
  const runs = (rule: (typeof RULES)[number]) => categories.includes(rule.category) && !(rule.optIn === true && profile === 'recommended');
  for (const rule of RULES) rules[rule.id] = runs(rule) ? rule.severity : 'off';
  for (const layer of layers) Object.assign(rules, layer.rules);
  for (const id of commandLine.enable) {
    if (rules[id] === 'off') rules[id] = RULES.find((rule) => rule.id === id)!.severity;
  }
  for (const [id, setting] of commandLine.rules) rules[id] = setting;
  for (const id of commandLine.disable) rules[id] = 'off';

  return { config: loaded?.path ?? null, profile, rules, failOn, failOnVerdict, target };
}

/** Whether a prediction fails the run under `settings` (a failure kind listed; uncertain only with `uncertain`). */
export function verdictFails(loader: LoaderVerdict | undefined, settings: readonly VerdictSetting[]): boolean {
  if (!loader) return false;
  const kinds: readonly string[] = settings;
  return kinds.includes(loader.verdict) && (loader.uncertain !== true || settings.includes('uncertain'));
}

/** The effective settings as JSON (--print-config): 64-bit values as hex strings, as a configuration accepts them. */
export function settingsJson(path: string, settings: EffectiveSettings): string {
  const { config, ignored, profile, rules, failOn, failOnVerdict, target } = settings;
  const document = { file: path, config, ignored, profile, rules, failOn, failOnVerdict, target };
  return `${JSON.stringify(document, (_key, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value), 2)}\n`;
}
