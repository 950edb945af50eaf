// A finding's identity across runs and machines: its rule, the field it names
// (with table indices: `phdr[1].p_vaddr`) and the file's path relative to the
// working directory. Byte offsets are left out on purpose: a finding keeps its
// identity when unrelated parts of the file grow or move. The baseline
// (--baseline) and SARIF's partialFingerprints both use these functions.
import { createHash } from 'node:crypto';
import { relative, resolve, sep } from 'node:path';
import type { Finding } from '../model/finding.js';

/** The path of a report as fingerprints name it: relative to `cwd`, `/`-separated; `<stdin>` stays as it is. */
export function fingerprintPath(path: string, cwd: string = process.cwd()): string {
  if (path.startsWith('<') && path.endsWith('>')) return path;
  return relative(cwd, resolve(cwd, path)).split(sep).join('/');
}

/** What identifies a finding: rule id, field path (empty when the finding names none), file path. */
export interface FindingKey {
  readonly rule: string;
  readonly field: string;
  readonly path: string;
}

export function findingKey(finding: Pick<Finding, 'rule' | 'field'>, path: string, cwd?: string): FindingKey {
  return { rule: finding.rule, field: finding.field ?? '', path: fingerprintPath(path, cwd) };
}

/** The key as one readable string: `rule|field|path` (`|` cannot occur in a rule id or a field path). */
export function fingerprintText(key: FindingKey): string {
  return `${key.rule}|${key.field}|${key.path}`;
}

/**
 * A stable fingerprint of a finding in a file: the SHA-256 (hex) of
 * fingerprintText. The same on every machine for the same relative path.
 */
export function fingerprint(finding: Pick<Finding, 'rule' | 'field'>, path: string, cwd?: string): string {
  return createHash('sha256').update(fingerprintText(findingKey(finding, path, cwd))).digest('hex');
}
