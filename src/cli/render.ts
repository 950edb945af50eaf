// One place that turns reports into the text of an output format, for lint and merge.
import type { FileReport } from '../report/file-report.js';
import { renderJson, type JsonOptions } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderGitLab } from '../report/gitlab.js';
import { renderText } from '../report/text.js';
import { TOOL, useColor } from './io.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'gitlab';

/** The document to write, or undefined when text output has nothing to say (no file at all, on stdout). */
export function renderReports(
  reports: readonly FileReport[],
  options: { readonly format: OutputFormat; readonly output?: string | undefined; readonly quiet: boolean; readonly json?: JsonOptions },
): string | undefined {
  switch (options.format) {
    case 'json': return renderJson(reports, TOOL, options.json ?? {});
    case 'sarif': return renderSarif(reports, TOOL);
    case 'gitlab': return renderGitLab(reports);
    default:
      if (reports.length === 0) return options.output === undefined ? undefined : '';
      // A file gets no colour: only a terminal does.
      return renderText(reports, { color: options.output === undefined && useColor(), quiet: options.quiet });
  }
}
