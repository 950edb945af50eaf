// The layout map as a standalone, accessible SVG: a title and description,
// text labels, no scripts. The file column on the left (with a lane per
// segment's file image), the memory column on the right, a band joining each
// PT_LOAD's file image to its mapping, and the findings outlined on the rows
// whose bytes they name, with their rule ids.
//
// renderMapSvg uses nothing outside its own body (only types are imported):
// the HTML report embeds its source (Function.prototype.toString) and draws a
// file's map in the browser when its row is opened, so the page and
// `elf-lint map --format svg` draw the same picture from the same code.
import type { MapLayout } from './map.js';

export interface MapSvgOptions {
  /** Prefix of the element ids, unique per map on a page. */
  readonly idPrefix: string;
  /** With the XML declaration, for a file of its own. */
  readonly standalone: boolean;
}

export function renderMapSvg(layout: MapLayout, options: MapSvgOptions): string {
  const WIDTH = 1000;
  const MARGIN = 16;
  const ROW = 24;
  const STEP = 27;
  const TOP = 96;
  const LEFT_X = MARGIN;
  const LEFT_W = 380;
  const LANE_W = 9;
  const RIGHT_X = 600;
  const RIGHT_W = WIDTH - MARGIN - RIGHT_X;
  const CHAR = 7.3;
  const SEVERITY_COLOR: Record<string, string> = { error: '#b91c1c', warning: '#b45309', info: '#1d4ed8' };
  const SEVERITY_GLYPH: Record<string, string> = { error: '✖', warning: '▲', info: '●' };
  const FILE_FILL: Record<string, string> = {
    header: '#dbeafe', phdrs: '#e0e7ff', shdrs: '#e0e7ff', section: '#ecfccb', strtab: '#fef9c3', sections: '#d9f99d', gap: '#f3f4f6', tail: '#e5e7eb',
  };
  const LINK_COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
  const laneColor = (segment: number): string => {
    const load = layout.links.findIndex((link) => link.segment === segment);
    return load < 0 ? '#9ca3af' : LINK_COLORS[load % LINK_COLORS.length]!;
  };
  const PERMS_FILL: Record<string, string> = { 'r-x': '#fde68a', 'rw-': '#bbf7d0', 'r--': '#e5e7eb', 'rwx': '#fecaca', '--x': '#fde68a', '-w-': '#bbf7d0', '-wx': '#fecaca', '---': '#f3f4f6' };

  const esc = (text: string): string => text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const cut = (text: string, width: number): string => {
    const room = Math.max(4, Math.floor(width / CHAR));
    const chars = Array.from(text);
    return chars.length <= room ? text : `${chars.slice(0, room - 1).join('')}…`;
  };
  const rowY = (index: number): number => TOP + index * STEP;
  const worst = (indices: readonly number[]): string | undefined =>
    ['error', 'warning', 'info'].find((severity) => indices.some((index) => layout.findings[index]?.severity === severity));
  const rules = (indices: readonly number[]): string[] => {
    const seen: string[] = [];
    for (const index of indices) {
      const rule = layout.findings[index]?.rule;
      if (rule !== undefined && !seen.includes(rule)) seen.push(rule);
    }
    return seen;
  };
  const findingMarks = (indices: readonly number[], right: number, y: number): string => {
    if (indices.length === 0) return '';
    const names = rules(indices);
    const severity = worst(indices) ?? 'info';
    const text = `${SEVERITY_GLYPH[severity]} ${names[0]}${names.length > 1 ? ` +${names.length - 1}` : ''}`;
    return `<text class="finding-mark" data-rules="${esc(names.join(' '))}" x="${right - 6}" y="${y + 16}" text-anchor="end" fill="${SEVERITY_COLOR[severity]}" font-weight="bold">${esc(text)}</text>`;
  };
  const outline = (indices: readonly number[]): string => {
    const severity = worst(indices);
    return severity ? ` stroke="${SEVERITY_COLOR[severity]}" stroke-width="2.5"` : ' stroke="#6b7280" stroke-width="0.8"';
  };
  const findingsText = (indices: readonly number[]): string =>
    indices.map((index) => layout.findings[index]).filter((finding) => finding !== undefined)
      .map((finding) => `; ${finding.severity} [${finding.rule}] at 0x${finding.offset.toString(16)}${finding.field ? ` (${finding.field})` : ''}`).join('');

  const id = options.idPrefix;
  const lanesWidth = layout.lanes.length * LANE_W;
  const rowsShown = Math.max(layout.fileRows.length, layout.memoryRows.length);
  const legendTop = rowY(rowsShown) + 24;
  const FINDING_LINES = 40;
  const legend: string[] = [];
  layout.lanes.forEach((lane) => legend.push(`segment ${lane.segment}: ${lane.type}, file 0x${lane.start.toString(16)}-0x${lane.end.toString(16)}`));
  if (layout.lanesOmitted > 0) legend.push(`${layout.lanesOmitted} more program headers with file contents are not drawn`);
  if (layout.grouped > 0) legend.push(`${layout.grouped} small sections are grouped into runs`);
  legend.push(...layout.processNotes);
  if (layout.findings.length > FINDING_LINES) legend.push(`${layout.findings.length - FINDING_LINES} more findings are outlined on the rows but not listed`);
  const findingLines = layout.findings.slice(0, FINDING_LINES).map((finding) =>
    `${SEVERITY_GLYPH[finding.severity]} 0x${finding.offset.toString(16)}${finding.field ? ` ${finding.field}` : ''} ${finding.severity} [${finding.rule}]: ${finding.message}`);
  const height = legendTop + (legend.length + findingLines.length) * 18 + MARGIN;

  const parts: string[] = [];
  const title = `Layout map of ${layout.path}`;
  const description = `${layout.summary}, ${layout.size} bytes: ${layout.fileRows.length} file regions, ${layout.memoryRows.length} memory regions, `
    + `${layout.links.length} mapped segments, ${layout.findings.length} findings${layout.verdict ? `; loader: ${layout.verdict.label}: ${layout.verdict.reason}` : ''}`;
  if (options.standalone) parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="elf-map" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}title ${id}desc" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`);
  parts.push(`<title id="${id}title">${esc(title)}</title><desc id="${id}desc">${esc(description)}</desc>`);
  parts.push(`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text class="map-title" x="${MARGIN}" y="24" font-size="15" font-weight="bold">${esc(cut(`${layout.path}: ${layout.summary}, ${layout.size} bytes`, WIDTH * 0.95))}</text>`);
  parts.push(`<text x="${MARGIN}" y="44">${esc(`${layout.memory}, page ${layout.pageSize}${layout.bias ? `; the image's addresses add the load bias, ${layout.bias.low} to ${layout.bias.high}` : ''}`)}</text>`);
  if (layout.verdict) {
    const failing = layout.verdict.verdict !== 'runs' && layout.verdict.verdict !== 'not-applicable';
    parts.push(`<text class="map-verdict" x="${MARGIN}" y="62" fill="${failing ? SEVERITY_COLOR['error'] : '#166534'}">${esc(cut(`loader: ${layout.verdict.label}: ${layout.verdict.reason}`, WIDTH - 2 * MARGIN))}</text>`);
  }
  parts.push(`<text class="column-title" x="${LEFT_X}" y="${TOP - 10}" font-weight="bold">file offsets</text>`);
  parts.push(`<text class="column-title" x="${RIGHT_X}" y="${TOP - 10}" font-weight="bold">virtual memory</text>`);

  // Links first, so that the rows are drawn over their ends.
  parts.push(`<g class="links" aria-label="mapped segments">`);
  const fromX = LEFT_X + LEFT_W + lanesWidth;
  for (const link of layout.links) {
    const y1 = rowY(link.firstRow);
    const y2 = rowY(link.lastRow) + ROW;
    const y3 = rowY(link.memoryRow);
    const y4 = y3 + ROW;
    const mid = (fromX + RIGHT_X) / 2;
    const color = laneColor(link.segment);
    parts.push(`<path class="link" data-segment="${link.segment}" d="M ${fromX} ${y1} C ${mid} ${y1}, ${mid} ${y3}, ${RIGHT_X} ${y3} L ${RIGHT_X} ${y4} C ${mid} ${y4}, ${mid} ${y2}, ${fromX} ${y2} Z" fill="${color}" fill-opacity="0.12" stroke="${color}" stroke-opacity="0.7"><title>${esc(`segment ${link.segment} (PT_LOAD): file rows ${link.firstRow + 1} to ${link.lastRow + 1} map to memory row ${link.memoryRow + 1}`)}</title></path>`);
  }
  parts.push('</g>');

  parts.push(`<g class="file-rows" role="list" aria-label="file offsets">`);
  layout.fileRows.forEach((row, index) => {
    const y = rowY(index);
    const range = `0x${row.start.toString(16)}-0x${row.end.toString(16)}`;
    const full = `${range} ${row.label} (${row.end - row.start} bytes)${findingsText(row.findings)}`;
    const marks = findingMarks(row.findings, LEFT_X + LEFT_W, y);
    const markRoom = row.findings.length > 0 ? Math.min(LEFT_W / 2, (rules(row.findings)[0]?.length ?? 0) * CHAR + 40) : 0;
    const dash = row.kind === 'gap' || row.kind === 'tail' ? ' stroke-dasharray="4 3"' : '';
    parts.push(`<g class="file-row" data-kind="${row.kind}" role="listitem" aria-label="${esc(full)}"><title>${esc(full)}</title>`
      + `<rect x="${LEFT_X}" y="${y}" width="${LEFT_W}" height="${ROW}" rx="3" fill="${FILE_FILL[row.kind] ?? '#ffffff'}"${outline(row.findings)}${dash}/>`
      + `<text x="${LEFT_X + 6}" y="${y + 16}">${esc(cut(`${range} ${row.label}`, LEFT_W - 12 - markRoom))}</text>${marks}</g>`);
  });
  parts.push('</g>');

  parts.push(`<g class="lanes" aria-label="segments' file images">`);
  layout.lanes.forEach((lane, k) => {
    if (lane.firstRow < 0) return;
    const x = LEFT_X + LEFT_W + 2 + k * LANE_W;
    const y = rowY(lane.firstRow);
    const h = rowY(lane.lastRow) + ROW - y;
    const fill = laneColor(lane.segment);
    parts.push(`<rect class="lane" data-segment="${lane.segment}" x="${x}" y="${y}" width="${LANE_W - 3}" height="${h}" rx="2" fill="${fill}"><title>${esc(`segment ${lane.segment}: ${lane.type}, file 0x${lane.start.toString(16)}-0x${lane.end.toString(16)}`)}</title></rect>`);
  });
  parts.push('</g>');

  parts.push(`<g class="memory-rows" role="list" aria-label="virtual memory">`);
  layout.memoryRows.forEach((row, index) => {
    const y = rowY(index);
    const range = row.kind === 'entry' ? `▶ ${row.start}` : `${row.start}-${row.end}`;
    const text = `${range} ${row.perms ? `${row.perms} ` : ''}${row.label}`;
    const full = `${text}${findingsText(row.findings)}`;
    const fill = row.kind === 'load' || row.kind === 'bss' ? PERMS_FILL[row.perms] ?? '#ffffff' : row.kind === 'entry' ? '#fff7ed' : '#f8fafc';
    const dash = row.kind === 'bss' || row.kind === 'heap' || row.kind === 'mmap' || row.kind === 'stack' ? ' stroke-dasharray="4 3"' : '';
    const markRoom = row.findings.length > 0 ? Math.min(RIGHT_W / 2, (rules(row.findings)[0]?.length ?? 0) * CHAR + 40) : 0;
    parts.push(`<g class="memory-row" data-kind="${row.kind}" role="listitem" aria-label="${esc(full)}"><title>${esc(full)}</title>`
      + `<rect x="${RIGHT_X}" y="${y}" width="${RIGHT_W}" height="${ROW}" rx="3" fill="${fill}"${outline(row.findings)}${dash}/>`
      + `<text x="${RIGHT_X + 6}" y="${y + 16}">${esc(cut(text, RIGHT_W - 12 - markRoom))}</text>${findingMarks(row.findings, RIGHT_X + RIGHT_W, y)}</g>`);
  });
  parts.push('</g>');

  parts.push(`<g class="legend">`);
  legend.forEach((line, index) => parts.push(`<text x="${MARGIN}" y="${legendTop + index * 18}" fill="#374151">${esc(cut(line, WIDTH - 2 * MARGIN))}</text>`));
  findingLines.forEach((line, index) => {
    const finding = layout.findings[index]!;
    parts.push(`<text class="finding" data-rule="${esc(finding.rule)}" x="${MARGIN}" y="${legendTop + (legend.length + index) * 18}" fill="${SEVERITY_COLOR[finding.severity]}">${esc(cut(line, WIDTH - 2 * MARGIN))}</text>`);
  });
  parts.push('</g></svg>');
  return `${parts.join('\n')}\n`;
}
