// One place that turns reports into the text of an output format, for lint and merge.
import type { BaselineStateOf, FileReport } from '../report/file-report.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderGitLab } from '../report/gitlab.js';
import { renderText } from '../report/text.js';
import { renderHtml } from '../report/html.js';
import type { MapLayout } from '../report/map.js';
import { TOOL, useColor } from './io.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'gitlab' | 'html';

/** The document to write, or undefined when text output has nothing to say (no file at all, on stdout). */
export function renderReports(
  reports: readonly FileReport[],
  options: {
    readonly format: OutputFormat; readonly output?: string | undefined; readonly quiet: boolean; readonly baselineState?: BaselineStateOf | undefined;
    /** html: each report's layout map (by index), where there is one. */
    readonly maps?: readonly (MapLayout | undefined)[];
  },
): string | undefined {
  switch (options.format) {
    case 'html': return renderHtml(reports, options.maps ?? [], TOOL);
    case 'json': return renderJson(reports, TOOL, options.baselineState ? { baselineState: options.baselineState } : {});
    case 'sarif': return renderSarif(reports, TOOL, options.baselineState ? { baselineState: options.baselineState } : {});
    case 'gitlab': return renderGitLab(reports);
    default:
      if (reports.length === 0) return options.output === undefined ? undefined : '';
      // A file gets no colour: only a terminal does.
      return renderText(reports, { color: options.output === undefined && useColor(), quiet: options.quiet, ...(options.baselineState ? { baselineState: options.baselineState } : {}) });
  }
}
