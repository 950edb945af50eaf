// The HTML report of a run: one self-contained page (no network requests, no
// external assets; a Content-Security-Policy forbids them) with the summary
// counts, a sortable and filterable table of the findings, each file's loader
// verdict and its layout map. The findings and the maps are embedded as JSON;
// a small inline script draws the table rows and, when a file's row is
// opened, its map, with the same renderMapSvg that `elf-lint map --format svg`
// uses, so that a page of thousands of files stays fast.
import type { FileReport } from './file-report.js';
import { totals } from './file-report.js';
import type { MapLayout } from './map.js';
import { renderMapSvg } from './map-svg.js';
import { escapePath } from './text.js';
import { plural } from '../model/hex.js';
import { VERDICTS } from '../model/loader-verdict.js';
import { docsBase } from './sarif.js';
import type { ToolInfo } from './json.js';

type HtmlTool = ToolInfo;

/** Where a rule's documentation lives: the files of the npm package of this version, as SARIF's helpUri. */
export function ruleDocUrl(tool: HtmlTool, rule: string): string {
  return `${docsBase(tool)}docs/rules/${encodeURIComponent(rule)}.md`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside a <script> element: nothing in it can close the element or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#111827;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.counts{display:flex;flex-wrap:wrap;gap:8px;padding:0;margin:8px 0;list-style:none}
.counts li{border:1px solid #d1d5db;border-radius:6px;padding:6px 10px}.counts b{font-size:18px;display:block}
.error{color:#b91c1c}.warning{color:#b45309}.info{color:#1d4ed8}.ok{color:#166534}.muted{color:#6b7280}
.filters{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td.offset,td.field{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
details.file{border:1px solid #e5e7eb;border-radius:6px;margin:4px 0;padding:4px 8px}details.file[open]{border-color:#9ca3af}
details.file summary{cursor:pointer;font-family:ui-monospace,Menlo,Consolas,monospace}
.verdict{font-weight:bold}.map{overflow-x:auto}.map svg{max-width:none}
`;

/**
 * The page's script: the findings table (filter, sort, at most ROWS rows at a
 * time) and the maps, drawn when a file's <details> opens.
 */
function pageScript(): string {
  return `(function () {
  "use strict";
  var renderMapSvg = ${renderMapSvg.toString()};
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var ROWS = 1000;
  var RANK = { error: 3, warning: 2, info: 1 };
  var state = { key: "file", dir: 1, all: false };
  var body = document.querySelector("#findings-table tbody");
  var status = document.getElementById("findings-status");
  var text = document.getElementById("filter");
  var severity = document.getElementById("severity");
  var rule = document.getElementById("rule");
  var more = document.getElementById("show-all");
  function cell(row, cls, content) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    if (typeof content === "string") td.textContent = content; else td.appendChild(content);
    row.appendChild(td);
  }
  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }
  function value(f, key) {
    if (key === "file") return data.files[f[0]].path;
    if (key === "severity") return RANK[f[2]];
    if (key === "offset") return f[4];
    if (key === "rule") return f[1];
    return f[3];
  }
  function draw() {
    var needle = text.value.trim().toLowerCase();
    var matching = data.findings.filter(function (f) {
      if (severity.value && f[2] !== severity.value) return false;
      if (rule.value && f[1] !== rule.value) return false;
      if (!needle) return true;
      return (data.files[f[0]].path + " " + f[1] + " " + f[3] + " " + f[5]).toLowerCase().indexOf(needle) >= 0;
    });
    matching.sort(function (a, b) {
      var x = value(a, state.key), y = value(b, state.key);
      var order = x < y ? -1 : x > y ? 1 : a[0] - b[0] || a[4] - b[4];
      return order * state.dir;
    });
    var shown = state.all ? matching : matching.slice(0, ROWS);
    var rows = document.createDocumentFragment();
    shown.forEach(function (f) {
      var tr = document.createElement("tr");
      tr.className = "finding-row " + f[2];
      cell(tr, "path", link("#file-" + f[0], data.files[f[0]].path));
      cell(tr, "rule", link(data.docs + encodeURIComponent(f[1]) + ".md", f[1]));
      cell(tr, "severity " + f[2], f[2]);
      cell(tr, "field", f[3]);
      cell(tr, "offset", "0x" + f[4].toString(16));
      cell(tr, "message", f[5]);
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    status.textContent = matching.length === data.findings.length
      ? "showing " + shown.length + " of " + data.findings.length + " findings"
      : "showing " + shown.length + " of " + matching.length + " matching findings (" + data.findings.length + " in all)";
    more.hidden = shown.length === matching.length;
  }
  document.querySelectorAll("#findings-table th[data-key]").forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      state.dir = state.key === key ? -state.dir : 1;
      state.key = key;
      document.querySelectorAll("#findings-table th[data-key]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      draw();
    });
  });
  [text, severity, rule].forEach(function (control) { control.addEventListener("input", function () { state.all = false; draw(); }); });
  more.addEventListener("click", function () { state.all = true; draw(); });
  function drawMap(details) {
    var holder = details.querySelector(".map");
    if (!holder || holder.getAttribute("data-drawn")) return;
    var index = Number(details.getAttribute("data-index"));
    var layout = data.maps[index];
    holder.setAttribute("data-drawn", "1");
    if (layout) holder.innerHTML = renderMapSvg(layout, { idPrefix: "map" + index + "-", standalone: false });
  }
  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target instanceof HTMLDetailsElement && target.open && target.classList.contains("file")) drawMap(target);
  }, true);
  function openFromHash() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target instanceof HTMLDetailsElement) { target.open = true; drawMap(target); }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.querySelectorAll("details.file[open]").forEach(drawMap);
  draw();
})();`;
}

function verdictClass(verdict: string | undefined): string {
  return verdict === 'runs' ? 'ok' : verdict === 'not-applicable' || verdict === undefined ? 'muted' : 'error';
}

function fileSection(report: FileReport, index: number, map: MapLayout | undefined, tool: HtmlTool): string {
  const path = html(escapePath(report.path));
  const counts = report.error !== undefined ? 'could not be read'
    : report.findings.length === 0 ? 'clean'
      : (['error', 'warning', 'info'] as const).map((severity) => [severity, report.findings.filter((finding) => finding.severity === severity).length] as const)
        .filter(([, count]) => count > 0).map(([severity, count]) => plural(count, severity)).join(', ');
  const loader = report.loader;
  const verdict = loader ? `${loader.verdict}${loader.uncertain ? ' (uncertain)' : ''}` : 'no verdict';
  const detail = loader ? [loader.errno, loader.signal].filter((part) => part !== null).join(', ') : '';
  const because = loader && loader.because.length > 0
    ? ` Because of: ${loader.because.map((rule) => `<a href="${html(ruleDocUrl(tool, rule))}">${html(rule)}</a>`).join(', ')}.` : '';
  const lines = [
    `<details class="file" id="file-${index}" data-index="${index}">`,
    `<summary><span class="path">${path}</span> <span class="verdict ${verdictClass(loader?.verdict)}">${html(verdict)}</span> <span class="muted">${html(counts)}</span></summary>`,
  ];
  if (report.error !== undefined) lines.push(`<p class="error">${html(report.error)}</p>`);
  if (report.elf) lines.push(`<p class="elf">${html(`${report.elf.class} ${report.elf.data} ${report.elf.type} ${report.elf.machine}`)}</p>`);
  if (loader) lines.push(`<p class="loader">loader: <b class="${verdictClass(loader.verdict)}">${html(verdict)}</b>${detail ? ` (${html(detail)})` : ''}: ${html(loader.reason)}.${because}</p>`);
  const why = report.error !== undefined ? '' : report.elf === undefined ? 'not an ELF file: no map' : 'map unavailable: the file cannot be read at its path';
  lines.push(map ? '<div class="map" role="region" aria-label="layout map"></div>' : `<p class="muted">${html(why)}</p>`);
  lines.push('</details>');
  return lines.join('\n');
}

export function renderHtml(reports: readonly FileReport[], maps: readonly (MapLayout | undefined)[], tool: HtmlTool): string {
  const sum = totals(reports);
  const checked = reports.filter((report) => report.error === undefined);
  const clean = checked.filter((report) => report.findings.length === 0).length;
  const verdicts = VERDICTS.map((verdict) => [verdict, reports.filter((report) => report.loader?.verdict === verdict).length] as const).filter(([, count]) => count > 0);
  const rules = [...new Set(reports.flatMap((report) => report.findings.map((finding) => finding.rule)))].sort();
  const data = {
    docs: ruleDocUrl(tool, '').replace(/\.md$/, ''),
    files: reports.map((report) => ({ path: escapePath(report.path) })),
    findings: reports.flatMap((report, index) => report.findings.map((finding) => [index, finding.rule, finding.severity, finding.field ?? '', finding.offset, finding.message])),
    maps: reports.map((_, index) => maps[index] ?? null),
  };
  const count = (label: string, value: number, cls = '') => `<li${cls ? ` class="${cls}"` : ''}><b>${value}</b>${html(label)}</li>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${html(`${tool.name} ${tool.version}`)}">
<title>${html(`elf-lint report: ${plural(reports.length, 'file')}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>elf-lint report</h1>
<p class="muted">${html(`${tool.name} ${tool.version}: ${plural(checked.length, 'file')} checked`)}</p>
<nav aria-label="sections">${html('Jump to ')}<a href="#findings">${html(`the findings (${data.findings.length})`)}</a>${html(', or to ')}<a href="#files">${html('the files, with their loader verdicts and layout maps')}</a></nav>
</header>
<main>
<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<ul class="counts">
${count('files checked', checked.length)}
${count('clean', clean, 'ok')}
${count('errors', sum.errors, 'error')}
${count('warnings', sum.warnings, 'warning')}
${count('infos', sum.infos, 'info')}
${sum.unreadable > 0 ? count('could not be read', sum.unreadable, 'error') : ''}
${sum.folded > 0 ? count('more folded', sum.folded) : ''}
</ul>
<p class="muted">Loader verdicts: what execve does with each file (the README's "What the loader will do" lists them).</p>
<ul class="counts verdicts" aria-label="loader verdicts">
${verdicts.map(([verdict, value]) => count(verdict, value, verdictClass(verdict))).join('\n')}
</ul>
</section>
<section id="findings" aria-labelledby="findings-title">
<h2 id="findings-title">Findings</h2>
<noscript><p>The findings table and the maps need JavaScript; each file's verdict is listed below.</p></noscript>
<div class="filters">
<label>Filter <input id="filter" type="search" placeholder="file, rule, field or message"></label>
<label>Severity <select id="severity"><option value="">all</option><option value="error">error</option><option value="warning">warning</option><option value="info">info</option></select></label>
<label>Rule <select id="rule"><option value="">all</option>${rules.map((rule) => `<option value="${html(rule)}">${html(rule)}</option>`).join('')}</select></label>
</div>
<table id="findings-table">
<thead><tr><th data-key="file" aria-sort="ascending"><button type="button">File</button></th><th data-key="rule"><button type="button">Rule</button></th><th data-key="severity"><button type="button">Severity</button></th><th data-key="field"><button type="button">Field</button></th><th data-key="offset"><button type="button">Offset</button></th><th>Message</th></tr></thead>
<tbody></tbody>
</table>
<p id="findings-status" aria-live="polite"></p>
<button type="button" id="show-all" hidden>show every matching finding</button>
</section>
<section id="files" aria-labelledby="files-title">
<h2 id="files-title">Files</h2>
<p class="muted">Open a file to see its loader verdict and its layout map: file offsets beside virtual memory, with the findings on the parts they name.</p>
${reports.map((report, index) => fileSection(report, index, maps[index], tool)).join('\n')}
</section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}
