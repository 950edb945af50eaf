// JSON files people write (configurations, baselines, specs): a leading byte-order mark, which
// some editors save, is not an error, and a syntax error says its line and column.

/** JSON.parse of a file's text; a SyntaxError names the line and column where JSON.parse gave a position. */
export function parseJsonText(text: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const position = /at position (\d+)/.exec(error.message);
    if (!position) throw error;
    const before = body.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new SyntaxError(`${error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/ at position \d+.*$/s, '')} at line ${line}, column ${column}`);
  }
}
