// JSON that people write: a byte-order mark is not an error, and a syntax error names its line and column.
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../src/cli/json-text.js';

describe('parseJsonText', () => {
  it('reads past a leading byte-order mark', () => {
    expect(parseJsonText('\uFEFF{"failOn": "warning"}')).toEqual({ failOn: 'warning' });
  });

  it('names the line and column of a syntax error', () => {
    expect(() => parseJsonText('{\n  "failOn": "warning",\n}')).toThrow(/^Expected double-quoted property name at line 3, column 1$/);
    expect(() => parseJsonText('{"a" 1}')).toThrow(/ at line 1, column 6$/);
    expect(() => parseJsonText('')).toThrow(SyntaxError);
  });
});
