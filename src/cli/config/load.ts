// Finding and reading configuration: `--config FILE`, or the nearest
// `.elf-lint.json` (or package.json with an `elf-lint` key) found by searching
// upward from each checked file's directory.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError, InputError } from '../exit-codes.js';
import { parseJsonText } from '../json-text.js';
import { systemMessage } from '../system-error.js';
import type { Config } from './settings.js';

export const CONFIG_FILE_NAME = '.elf-lint.json';
export const PACKAGE_KEY = 'elf-lint';

/** A configuration read from a file; globs in it are relative to `directory`. */
export interface LoadedConfig {
  /** The file it was read from (absolute). */
  readonly path: string;
  readonly directory: string;
  readonly config: Config;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read configuration ${path}: ${systemMessage(error)}`);
  }
}

/** Reads and validates a configuration file; a package.json is read for its `elf-lint` key. Throws UsageError (exit 3) or InputError. */
export async function loadConfigFile(path: string, shownAs: string = path): Promise<LoadedConfig> {
  const absolute = resolve(path);
  const text = readText(absolute);
  let document: unknown;
  try {
    document = parseJsonText(text);
  } catch (error) {
    throw new UsageError(`${shownAs}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const isPackage = basename(absolute) === 'package.json';
  if (isPackage) {
    const record = typeof document === 'object' && document !== null ? document as Record<string, unknown> : {};
    if (!(PACKAGE_KEY in record)) throw new UsageError(`${shownAs}: has no "${PACKAGE_KEY}" key`);
    document = record[PACKAGE_KEY];
  }
  const { configFromJson } = await import('./schema.js');
  const result = configFromJson(document, isPackage ? [PACKAGE_KEY] : []);
  if (!result.ok) throw new UsageError(`${shownAs}: ${result.errors.join('; ')}`);
  return { path: absolute, directory: dirname(absolute), config: result.config };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function packageHasKey(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  try {
    const document = parseJsonText(text);
    return typeof document === 'object' && document !== null && PACKAGE_KEY in document;
  } catch (error) {
    // A package.json that is not JSON is not ours to judge, unless it names our key: then it
    // probably holds the settings meant for these files, and skipping it would lint without them.
    if (text.includes(`"${PACKAGE_KEY}"`)) throw new UsageError(`${shortPath(path)}: invalid JSON (${(error as Error).message}); it has an "${PACKAGE_KEY}" key, so its settings cannot be applied`);
    return false;
  }
}

/** A found configuration as messages name it: relative to the working directory when it lies below it. */
function shortPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** Finds configurations upward from directories, reading each file once. */
export class ConfigFinder {
  private readonly byDirectory = new Map<string, LoadedConfig | undefined>();
  private readonly byFile = new Map<string, Promise<LoadedConfig>>();

  /** The configuration that applies to files in `directory`: the nearest one upward, if any. */
  async forDirectory(directory: string): Promise<LoadedConfig | undefined> {
    const absolute = resolve(directory);
    if (this.byDirectory.has(absolute)) return this.byDirectory.get(absolute);
    let found: LoadedConfig | undefined;
    const own = join(absolute, CONFIG_FILE_NAME);
    const manifest = join(absolute, 'package.json');
    if (isFile(own)) found = await this.load(own);
    else if (isFile(manifest) && packageHasKey(manifest)) found = await this.load(manifest);
    else {
      const parent = dirname(absolute);
      found = parent === absolute ? undefined : await this.forDirectory(parent);
    }
    this.byDirectory.set(absolute, found);
    return found;
  }

  private load(path: string): Promise<LoadedConfig> {
    let loaded = this.byFile.get(path);
    if (!loaded) {
      loaded = loadConfigFile(path, shortPath(path));
      this.byFile.set(path, loaded);
    }
    return loaded;
  }
}
