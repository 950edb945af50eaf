// SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF consumers.
// The document is built from its own types below, field by field; no internal
// object is serialised as it is.
//
// - Every rule of ALL_RULE_METAS is a reportingDescriptor of tool.driver.rules,
//   followed by `loader-verdict`, the descriptor of the loader model's predictions.
// - A finding is a result: ruleId, ruleIndex, level (error, warning, note for
//   info), message, a physicalLocation (artifact relative to the working
//   directory under the uriBaseId %SRCROOT%; region with byteOffset, byteLength
//   and startLine 1), the field path as a logicalLocation, and partialFingerprints.
// - The loader verdict: a file whose predicted verdict is a failure (exec-error,
//   exec-killed, start-fault) gets a `loader-verdict` result (level error; warning
//   when the prediction is uncertain); every file's verdict, whatever it is, is in
//   run.artifacts[i].properties.loader, in the JSON report's shape.
// - A file that could not be read is a toolExecutionNotification of the invocation.
// - helpUri and informationUri point at the files the npm package ships, as
//   https://unpkg.com/elf-lint@VERSION/ + the path in the repository
//   (README.md, docs/rules/ID.md), so that a link always matches the version
//   that wrote the log.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleMeta, Severity } from '../model/finding.js';
import type { LoaderVerdict } from '../model/loader-verdict.js';
import { ALL_RULE_METAS } from '../rules/registry.js';
import type { BaselineStateOf, ElfSummary, FileReport } from './file-report.js';
import { totals } from './file-report.js';
import type { ToolInfo } from './json.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The uriBaseId of every artifact under the working directory. */
export const SRCROOT = '%SRCROOT%';
/** The id of the loader model's results. */
export const LOADER_VERDICT_RULE = 'loader-verdict';
/** The partialFingerprints key (versioned: a change of the hashed fields gets a new key). */
export const FINGERPRINT_KEY = 'elfLintFinding/v1';

// ---- the SARIF 2.1.0 types this writer uses (a subset of the schema) ----

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

export interface SarifMessage {
  readonly text: string;
  readonly markdown?: string;
}

export interface SarifMultiformatMessage {
  readonly text: string;
  readonly markdown?: string;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMultiformatMessage;
  readonly fullDescription: SarifMultiformatMessage;
  readonly help: SarifMultiformatMessage;
  readonly helpUri: string;
  readonly defaultConfiguration: { readonly level: SarifLevel; readonly enabled: boolean };
  readonly properties: { readonly category: string; readonly tags: readonly string[] };
}

export interface SarifArtifactLocation {
  readonly uri?: string;
  readonly uriBaseId?: string;
  readonly index?: number;
  readonly description?: SarifMessage;
}

export interface SarifRegion {
  readonly startLine: number;
  readonly byteOffset: number;
  readonly byteLength: number;
}

export interface SarifLocation {
  readonly physicalLocation: { readonly artifactLocation: SarifArtifactLocation; readonly region?: SarifRegion };
  readonly logicalLocations?: readonly { readonly fullyQualifiedName: string; readonly kind: string }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly baselineState?: 'new' | 'unchanged';
  readonly properties: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}

export interface SarifLoaderProperties {
  readonly verdict: string;
  readonly errno: string | null;
  readonly signal: string | null;
  readonly because: readonly string[];
  readonly reason: string;
  readonly uncertain: boolean;
  readonly stage: string | null;
}

export interface SarifArtifact {
  readonly location: SarifArtifactLocation;
  readonly properties: {
    readonly elf: ElfSummary | null;
    readonly loader: SarifLoaderProperties | null;
    readonly error?: string;
  };
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolExecutionNotifications: readonly SarifNotification[];
}

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly version: string;
      readonly semanticVersion: string;
      readonly informationUri: string;
      readonly rules: readonly SarifReportingDescriptor[];
    };
  };
  readonly invocations: readonly SarifInvocation[];
  readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string; readonly description: SarifMessage }>>;
  readonly artifacts: readonly SarifArtifact[];
  readonly results: readonly SarifResult[];
  readonly columnKind: 'unicodeCodePoints';
  readonly properties: { readonly summary: ReturnType<typeof totals> };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly SarifRun[];
}

// ---- building ----

export interface SarifOptions {
  /** The directory artifact paths are relative to (%SRCROOT%); default process.cwd(). */
  readonly cwd?: string;
  /** With a baseline: each result's `baselineState` ("new" or "unchanged"). */
  readonly baselineState?: BaselineStateOf;
}

/** Where the docs of this version live: the files of the npm package. */
export function docsBase(tool: ToolInfo): string {
  return `https://unpkg.com/${tool.name}@${tool.version}/`;
}

export function levelOf(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

/** `entry-in-load-segment` → `EntryInLoadSegment` (reportingDescriptor.name is a PascalCase identifier). */
function ruleName(id: string): string {
  return id.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function firstParagraph(text: string): string {
  return text.split(/\n\s*\n/)[0]!.replace(/\s*\n\s*/g, ' ').trim();
}

function ruleDescriptor(meta: RuleMeta, tool: ToolInfo): SarifReportingDescriptor {
  const helpUri = `${docsBase(tool)}docs/rules/${meta.id}.md`;
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: endSentence(meta.summary) },
    fullDescription: { text: endSentence(firstParagraph(meta.explanation)) },
    help: {
      text: `${meta.explanation}\n\nSee ${helpUri}`,
      markdown: `**${meta.id}** (${meta.severity}, ${meta.category}): ${meta.summary}\n\n${meta.explanation}\n\n[Documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: levelOf(meta.severity), enabled: true },
    properties: { category: meta.category, tags: ['elf', meta.category] },
  };
}

function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export const LOADER_VERDICT_META: RuleMeta = {
  id: LOADER_VERDICT_RULE,
  category: 'loader',
  severity: 'error',
  summary: 'The Linux loader is predicted to refuse the program or to kill it before its first instruction completes',
  explanation: `elf-lint models what execve does with each file on the target Linux kernel (load_elf_binary in
fs/binfmt_elf.c). This result is reported when the prediction is a failure: exec-error (execve returns
an errno), exec-killed (the kernel kills the process after the point of no return) or start-fault (the
first instruction of the program raises a signal). Its properties hold the verdict, errno, signal, the
stage, and in \`because\` the rules whose findings explain it; fix those findings. A prediction that
rests on what the model cannot know is \`uncertain\` and reported as a warning.

Every file's verdict, including \`runs\` and \`not-applicable\`, is in the properties of its artifact.`,
};

function loaderDescriptor(tool: ToolInfo): SarifReportingDescriptor {
  const descriptor = ruleDescriptor(LOADER_VERDICT_META, tool);
  // No docs/rules page: the README explains the verdicts.
  return { ...descriptor, helpUri: `${docsBase(tool)}README.md#what-the-loader-will-do` };
}

/** A relative path as a URI reference: each segment percent-encoded, `/` between them. */
function relativeUri(path: string): string {
  return path.split(sep).map((segment) => encodeURIComponent(segment)).join('/');
}

interface ArtifactPlace {
  readonly location: SarifArtifactLocation;
  /** The path hashed into fingerprints: relative to the working directory, or absolute outside it. */
  readonly key: string;
}

/**
 * The artifact location of a report's path: relative to `cwd` under %SRCROOT%
 * when the file lies inside it, an absolute file: URI otherwise.
 */
function placeOf(path: string, cwd: string, index: number): ArtifactPlace {
  // Standard input: the report's name `<stdin>`, percent-encoded (GitHub requires a uri).
  if (path === '<stdin>') return { location: { uri: encodeURIComponent(path), index, description: { text: 'standard input' } }, key: path };
  const absolute = resolve(cwd, path);
  const inside = relative(cwd, absolute);
  if (inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside)) {
    return { location: { uri: relativeUri(inside), uriBaseId: SRCROOT, index }, key: inside.split(sep).join('/') };
  }
  return { location: { uri: pathToFileURL(absolute).href, index }, key: absolute };
}

/** The path of a report as fingerprints and GitLab see it: relative to `cwd` (with `/`) inside it, absolute outside. */
export function reportPathKey(path: string, cwd: string = process.cwd()): string {
  return placeOf(path, resolve(cwd), 0).key;
}

/**
 * Fingerprints of one file's findings, stable across runs and machines: the
 * SHA-256 of the rule id, the field path (or the verdict), the file's path
 * relative to the working directory and the occurrence number of that
 * rule and field in the file (report order). Offsets and messages are left
 * out, so that a finding keeps its fingerprint when unrelated parts of the
 * file change.
 */
export class Fingerprints {
  readonly #seen = new Map<string, number>();
  constructor(private readonly pathKey: string) {}

  next(rule: string, field: string): string {
    const base = `${rule}\u0000${field}`;
    const occurrence = this.#seen.get(base) ?? 0;
    this.#seen.set(base, occurrence + 1);
    return createHash('sha256').update([rule, field, this.pathKey, String(occurrence)].join('\u0000')).digest('hex');
  }
}

function loaderProperties(loader: LoaderVerdict): SarifLoaderProperties {
  return {
    verdict: loader.verdict, errno: loader.errno, signal: loader.signal, because: [...loader.because],
    reason: loader.reason, uncertain: loader.uncertain === true, stage: loader.stage ?? null,
  };
}

/** The verdicts that are reported as a `loader-verdict` result (SARIF) or issue (GitLab). */
export const FAILING_VERDICTS: ReadonlySet<string> = new Set(['exec-error', 'exec-killed', 'start-fault']);

function findingProperties(finding: Finding): SarifResult['properties'] {
  return {
    category: finding.category,
    severity: finding.severity,
    ...(finding.field !== undefined ? { field: finding.field } : {}),
    ...(finding.actual !== undefined ? { actual: finding.actual } : {}),
    ...(finding.expected !== undefined ? { expected: finding.expected } : {}),
    ...(finding.folded !== undefined ? { folded: finding.folded } : {}),
  };
}

export function buildSarif(reports: readonly FileReport[], tool: ToolInfo, options: SarifOptions = {}): SarifLog {
  const cwd = resolve(options.cwd ?? process.cwd());
  const metas = [...ALL_RULE_METAS];
  const rules = [...metas.map((meta) => ruleDescriptor(meta, tool)), loaderDescriptor(tool)];
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const artifacts: SarifArtifact[] = [];
  const results: SarifResult[] = [];
  const notifications: SarifNotification[] = [];

  for (const [index, report] of reports.entries()) {
    const place = placeOf(report.path, cwd, index);
    artifacts.push({
      location: place.location,
      properties: {
        elf: report.elf ?? null,
        loader: report.loader ? loaderProperties(report.loader) : null,
        ...(report.error !== undefined ? { error: report.error } : {}),
      },
    });
    if (report.error !== undefined) {
      notifications.push({
        level: 'error',
        message: { text: `${report.path}: ${report.error}` },
        locations: [{ physicalLocation: { artifactLocation: place.location } }],
      });
      continue;
    }
    const fingerprints = new Fingerprints(place.key);
    const fingerprint = (rule: string, field: string): Record<string, string> => ({ [FINGERPRINT_KEY]: fingerprints.next(rule, field) });
    const baselineState = (finding: Finding | undefined) => {
      const state = options.baselineState?.(report, finding);
      return state !== undefined ? { baselineState: state } : {};
    };
    for (const finding of report.findings) {
      const index = ruleIndex.get(finding.rule);
      if (index === undefined) throw new Error(`SARIF: finding of unknown rule ${finding.rule}`);
      results.push({
        ruleId: finding.rule,
        ruleIndex: index,
        level: levelOf(finding.severity),
        message: { text: finding.message },
        locations: [{
          physicalLocation: {
            artifactLocation: place.location,
            region: { startLine: 1, byteOffset: finding.offset, byteLength: finding.length },
          },
          ...(finding.field !== undefined ? { logicalLocations: [{ fullyQualifiedName: finding.field, kind: 'member' }] } : {}),
        }],
        partialFingerprints: fingerprint(finding.rule, finding.field ?? ''),
        ...baselineState(finding),
        properties: findingProperties(finding),
      });
    }
    const loader = report.loader;
    if (loader && FAILING_VERDICTS.has(loader.verdict)) {
      const detail = [loader.errno, loader.signal].filter((part) => part !== null).join(', ');
      const uncertain = loader.uncertain === true;
      results.push({
        ruleId: LOADER_VERDICT_RULE,
        ruleIndex: ruleIndex.get(LOADER_VERDICT_RULE)!,
        level: uncertain ? 'warning' : 'error',
        message: { text: `loader: ${loader.verdict}${detail ? ` (${detail})` : ''}${uncertain ? ' (uncertain)' : ''}: ${loader.reason}` },
        locations: [{ physicalLocation: { artifactLocation: place.location, region: { startLine: 1, byteOffset: 0, byteLength: 0 } } }],
        partialFingerprints: fingerprint(LOADER_VERDICT_RULE, loader.verdict),
        ...baselineState(undefined),
        properties: { ...loaderProperties(loader) },
      });
    }
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [{
      tool: {
        driver: {
          name: tool.name,
          version: tool.version,
          semanticVersion: tool.version,
          informationUri: `${docsBase(tool)}README.md`,
          rules,
        },
      },
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      originalUriBaseIds: {
        [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : `${cwd}${sep}`).href, description: { text: 'The working directory of elf-lint' } },
      },
      artifacts,
      results,
      columnKind: 'unicodeCodePoints',
      properties: { summary: totals(reports) },
    }],
  };
}

export function renderSarif(reports: readonly FileReport[], tool: ToolInfo, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(reports, tool, options), null, 2)}\n`;
}
