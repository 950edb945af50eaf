// Glob patterns for configuration files (`overrides[].files`, `ignores`).
// Node 20's path.matchesGlob is experimental (it prints an ExperimentalWarning
// on stderr) and missing before 20.17, so patterns are compiled here:
// `*` any characters but `/`, `**` as a whole segment any number of
// directories, `?` one character but `/`, `[abc]`, `[a-z]`, `[!abc]` or
// `[^abc]` one character of (or not of) a class, `\x` the character x.
// A pattern is matched against the whole path relative to the configuration
// file's directory, with `/` separators; a leading `./` is ignored.

const SPECIAL = /[.+^${}()|[\]\\*?]/;

function escapeChar(char: string): string {
  return SPECIAL.test(char) || char === '/' ? `\\${char}` : char;
}

/** Thrown for a pattern that cannot be compiled (an unclosed `[`). */
export class GlobError extends Error {
  override readonly name = 'GlobError';
}

/** The regular expression of a character class starting at pattern[start] === '['; returns it and the index after `]`. */
function charClass(pattern: string, start: number): { source: string; end: number } {
  let index = start + 1;
  let negate = false;
  if (pattern[index] === '!' || pattern[index] === '^') {
    negate = true;
    index += 1;
  }
  let body = '';
  let first = true;
  while (index < pattern.length && (pattern[index] !== ']' || first)) {
    const char = pattern[index]!;
    if (char === '\\' && index + 1 < pattern.length) {
      const escaped = pattern[index + 1]!;
      body += /[A-Za-z0-9]/.test(escaped) ? escaped : `\\${escaped}`;
      index += 2;
    } else {
      // '-' keeps its range meaning; everything else is literal inside a class.
      body += char === '-' ? '-' : char === ']' || char === '\\' || char === '^' || char === '[' ? `\\${char}` : char;
      index += 1;
    }
    first = false;
  }
  if (index >= pattern.length) throw new GlobError('unclosed "["');
  // A class never matches the separator.
  return { source: negate ? `[^/${body}]` : `(?!/)[${body}]`, end: index + 1 };
}

/** The anchored regular expression of a glob pattern. Throws GlobError. */
export function globToRegExp(pattern: string): RegExp {
  const text = pattern.replace(/^(\.\/)+/, '');
  if (text === '') throw new GlobError('empty pattern');
  // Paths are matched relative to the configuration's directory: an absolute pattern would never match.
  if (text.startsWith('/')) throw new GlobError("patterns are relative to the configuration file's directory; remove the leading /");
  const segments = text.split('/');
  let source = '';
  segments.forEach((segment, at) => {
    const last = at === segments.length - 1;
    if (segment === '**') {
      // `a/**/b` matches a/b, a/x/b, a/x/y/b; a trailing `**` matches everything below.
      source += last ? '.*' : '(?:[^/]*/)*';
      return;
    }
    let index = 0;
    while (index < segment.length) {
      const char = segment[index]!;
      if (char === '*') {
        while (segment[index] === '*') index += 1;
        source += '[^/]*';
      } else if (char === '?') {
        source += '[^/]';
        index += 1;
      } else if (char === '[') {
        const compiled = charClass(segment, index);
        source += compiled.source;
        index = compiled.end;
      } else if (char === '\\' && index + 1 < segment.length) {
        source += escapeChar(segment[index + 1]!);
        index += 2;
      } else {
        source += escapeChar(char);
        index += 1;
      }
    }
    if (!last) source += '/';
  });
  return new RegExp(`^${source}$`);
}

const compiled = new Map<string, RegExp>();

/** globToRegExp, compiled once per pattern (a tree of many files meets the same few patterns). */
function cached(pattern: string | RegExp): RegExp {
  if (typeof pattern !== 'string') return pattern;
  let regexp = compiled.get(pattern);
  if (!regexp) {
    regexp = globToRegExp(pattern);
    compiled.set(pattern, regexp);
  }
  return regexp;
}

/** Whether `path` (relative, `/`-separated) matches `pattern`. */
export function matchesGlob(path: string, pattern: string | RegExp): boolean {
  const regexp = cached(pattern);
  return regexp.test(path.replace(/^(\.\/)+/, ''));
}

/** Whether `path` or one of its parent directories matches: `build` and `build/**` both ignore build/x/y. */
export function matchesGlobOrParent(path: string, pattern: string | RegExp): boolean {
  const regexp = cached(pattern);
  const parts = path.replace(/^(\.\/)+/, '').split('/');
  for (let end = parts.length; end > 0; end -= 1) if (regexp.test(parts.slice(0, end).join('/'))) return true;
  return false;
}
