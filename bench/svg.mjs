// The scaling plot of `npm run bench` (docs/bench-scaling.svg): small line
// charts with a logarithmic x axis, drawn as a self-contained SVG.
const WIDTH = 360;
const HEIGHT = 220;
const MARGIN = { left: 56, right: 26, top: 28, bottom: 40 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const escape = (text) => String(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const round = (n) => Math.round(n * 10) / 10;

/** A "nice" upper bound and tick step for values up to `max`. */
function niceScale(max) {
  const raw = Math.max(max, 1e-9) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return { top: Math.ceil(max / step) * step || step, step };
}

/**
 * One chart at (x0, y0): `series` is [{ name, points: [[x, y], ...] }],
 * x on a log scale labelled by `xTick(x)`.
 */
function chart({ x0, y0, title, yLabel, series, xTick }) {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  if (xs.length === 0) return '';
  const lo = Math.log10(Math.min(...xs));
  const hi = Math.max(Math.log10(Math.max(...xs)), lo + 1);
  const { top, step } = niceScale(Math.max(...ys));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x) => round(x0 + MARGIN.left + ((Math.log10(x) - lo) / (hi - lo)) * plotW);
  const py = (y) => round(y0 + MARGIN.top + plotH - (y / top) * plotH);
  const parts = [`<text x="${x0 + WIDTH / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  for (let y = 0; y <= top + step / 2; y += step) {
    parts.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + WIDTH - MARGIN.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + MARGIN.left - 4}" y="${py(y) + 4}" text-anchor="end">${round(y)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    parts.push(`<text x="${px(x)}" y="${y0 + HEIGHT - MARGIN.bottom + 14}" text-anchor="middle">${escape(xTick(x))}</text>`);
  }
  parts.push(`<text x="${x0 + 12}" y="${y0 + MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${y0 + MARGIN.top + plotH / 2})">${escape(yLabel)}</text>`);
  parts.push(`<rect x="${x0 + MARGIN.left}" y="${y0 + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const sorted = [...s.points].sort((a, b) => a[0] - b[0]);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}"/>`);
    for (const [x, y] of sorted) parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${color}"><title>${escape(`${s.name}: ${xTick(x)}, ${round(y)} ${yLabel}`)}</title></circle>`);
  });
  return parts.join('\n');
}

/**
 * `rows` of charts (each row: { x label, tick formatter, charts: [{ title, yLabel, series }] }),
 * with one legend for the series names of the first chart and a caption line.
 */
export function chartGrid(rows, caption) {
  const columns = Math.max(...rows.map((row) => row.charts.length));
  const legendNames = rows[0]?.charts[0]?.series.map((s) => s.name) ?? [];
  const width = columns * WIDTH;
  const height = rows.length * HEIGHT + 40;
  const body = rows.flatMap((row, r) => row.charts.map((c, col) => chart({ ...c, x0: col * WIDTH, y0: r * HEIGHT, xTick: row.xTick })));
  let x = 10;
  const legend = legendNames.map((name, i) => {
    const item = `<line x1="${x}" x2="${x + 24}" y1="${height - 26}" y2="${height - 26}" stroke="${COLORS[i % COLORS.length]}" stroke-width="2"/><text x="${x + 30}" y="${height - 22}">${escape(name)}</text>`;
    x += 30 + name.length * 6.5 + 20;
    return item;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body, ...legend,
    `<text x="10" y="${height - 6}" fill="#555" font-size="10">${escape(caption)}</text>`,
    '</svg>', '',
  ].join('\n');
}
