// The README's Performance table, written by `npm run bench` between
// <!-- bench:start --> and <!-- bench:end -->.
import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
const NAMES = { a: '(a) start-up', b: '(b) batch', c: '(c) large file', d: '(d) fuzz', e: '(e) spec, gen', k: '(k) guest kernels', scaling: 'scaling' };
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

export function readmeTable({ facts, invocation, rows, notes, cli }) {
  const lines = [
    START,
    `<!-- written by \`${invocation}\`; edit the text outside these markers -->`,
    `\`${invocation}\` on ${facts.date}: ${facts.cpu}, ${facts.kernel}, ${facts.node}, commit ${facts.commit},`,
    `load average ${facts.load} when it started; command under test \`node ${cli}\`. Times are wall times, median (min–max).`,
    '',
    '| | what | command | result | ratio | target |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${NAMES[r.measure]} | ${cell(r.what)} | ${r.command ? `\`${cell(r.command)}\`` : ''} | ${cell(r.result)} | ${cell(r.ratio)} | ${cell(r.target)} |`),
  ];
  if (notes.length > 0) lines.push('', ...notes.map((note) => `- ${note}`));
  lines.push(END);
  return lines.join('\n');
}

/** Replaces the text between the markers (which must be there) with the table. */
export function writeReadmeTable(path, table) {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${START} ... ${END} markers`);
  writeFileSync(path, `${text.slice(0, start)}${readmeTable(table)}${text.slice(end + END.length)}`);
}
