// The layout maps and the HTML report as a person sees them: rendered by the
// CLI, opened in a real headless browser (Debian's chromium, driven over the
// DevTools protocol on a pipe, --remote-debugging-pipe: no download, no
// WebSocket), their DOM checked for the regions and labels, and screenshots
// checked for being drawn at all, with the findings in red. Every browser is
// killed (its process group and every process that carries its marker) in
// afterEach, whatever happened.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { killTracked, processesMarked, runCli, waitUntil } from './support.js';

const CHROMIUM = 'chromium';
const haveChromium = spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore' }).status === 0;
const CORPUS = new URL('../corpus/', import.meta.url);
const corpus = (name: string) => new URL(name, CORPUS).pathname;

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly sessionId?: string;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
  readonly params?: Record<string, unknown>;
}

/** One headless chromium and the DevTools session of its page. */
class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private readonly waiters: { method: string; resolve: () => void }[] = [];
  private input = '';
  private session = '';
  readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess, readonly marker: string, readonly profile: string) {
    const output = child.stdio[4] as NodeJS.ReadableStream;
    output.setEncoding('utf8');
    output.on('data', (text: string) => this.receive(text));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const { reject } of this.pending.values()) reject(new Error('chromium exited'));
      this.pending.clear();
    });
  }

  private receive(text: string): void {
    this.input += text;
    let end: number;
    while ((end = this.input.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.input.slice(0, end)) as Message;
      this.input = this.input.slice(end + 1);
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result ?? {});
      } else if (message.method) {
        for (const waiter of this.waiters.filter((each) => each.method === message.method)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, browserLevel = false): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = { id, method, params, ...(browserLevel ? {} : { sessionId: this.session }) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      (this.child.stdio[3] as NodeJS.WritableStream).write(`${JSON.stringify(message)}\0`);
    });
  }

  private next(method: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }

  async attach(): Promise<void> {
    const { targetInfos } = await this.send('Target.getTargets', {}, true) as { targetInfos: { type: string; targetId: string }[] };
    const page = targetInfos.find((target) => target.type === 'page');
    if (!page) throw new Error('chromium has no page');
    const { sessionId } = await this.send('Target.attachToTarget', { targetId: page.targetId, flatten: true }, true) as { sessionId: string };
    this.session = sessionId;
    await this.send('Page.enable');
  }

  async open(path: string, width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    const loaded = this.next('Page.loadEventFired');
    await this.send('Page.navigate', { url: pathToFileURL(path).href });
    await loaded;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }) as {
      result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (reply.exceptionDetails) throw new Error(`${expression}: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  async screenshot(): Promise<Png> {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' }) as { data: string };
    return decodePng(Buffer.from(data, 'base64'));
  }

  /** SIGKILLs the browser's process group and every process with its marker; waits until they are gone. */
  async kill(): Promise<void> {
    const round = () => {
      for (const pid of [this.child.pid, ...processesMarked(this.marker)]) {
        if (pid === undefined) continue;
        for (const target of [-pid, pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            // gone already
          }
        }
      }
    };
    round();
    await this.exited;
    round();
    // Chromium's helpers do not keep the marker in their environment, but stay in its process group.
    const group = this.child.pid;
    await waitUntil(() => processesMarked(this.marker).length === 0 && (group === undefined || groupMembers(group).length === 0),
      'the browser processes to end after SIGKILL', 30_000);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** Live (not zombie) processes of a process group, from /proc/PID/stat. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}

const browsers = new Set<Browser>();

async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'elf-lint-chromium-'));
  const marker = `ELF_LINT_BROWSER_MARK=${process.pid}.${randomBytes(4).toString('hex')}`;
  const [name, value] = marker.split('=') as [string, string];
  const child = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', `--user-data-dir=${profile}`,
    '--no-first-run', '--no-default-browser-check', '--hide-scrollbars', '--mute-audio', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, [name]: value } });
  const browser = new Browser(child, marker, profile);
  browsers.add(browser);
  await browser.attach();
  return browser;
}

afterEach(async () => {
  const open = [...browsers];
  browsers.clear();
  await Promise.all(open.map((browser) => browser.kill()));
  await killTracked();
});

interface Png {
  readonly width: number;
  readonly height: number;
  /** RGBA, row by row. */
  readonly pixels: Uint8Array;
}

/** A non-interlaced 8-bit RGB or RGBA PNG (what chromium writes), unfiltered into RGBA pixels. */
function decodePng(bytes: Buffer): Png {
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const depth = bytes[24];
  const colorType = bytes[25];
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || bytes[28] !== 0) throw new Error(`unexpected PNG: depth ${depth}, colour type ${colorType}`);
  const channels = colorType === 6 ? 4 : 3;
  const chunks: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= channels ? rows[y * stride + x - channels]! : 0;
      const up = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const corner = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      const paeth = () => {
        const p = left + up - corner;
        const [a, b, c] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
        return a <= b && a <= c ? left : b <= c ? up : corner;
      };
      const predicted = [0, left, up, (left + up) >> 1, paeth()][filter] ?? 0;
      rows[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    pixels.set(rows.subarray(i * channels, i * channels + 3), i * 4);
    pixels[i * 4 + 3] = channels === 4 ? rows[i * channels + 3]! : 255;
  }
  return { width, height, pixels };
}

/** The share of pixels that are not white, and how many are close to `color`. */
function inspect(png: Png, color: readonly [number, number, number]): { inked: number; matching: number } {
  let inked = 0;
  let matching = 0;
  for (let i = 0; i < png.width * png.height; i += 1) {
    const [r, g, b] = [png.pixels[i * 4]!, png.pixels[i * 4 + 1]!, png.pixels[i * 4 + 2]!];
    if (r < 235 || g < 235 || b < 235) inked += 1;
    if (Math.abs(r - color[0]) + Math.abs(g - color[1]) + Math.abs(b - color[2]) < 30) matching += 1;
  }
  return { inked: inked / (png.width * png.height), matching };
}

/** The error red of the maps (#b91c1c). */
const ERROR_RED = [0xb9, 0x1c, 0x1c] as const;

interface SvgFacts {
  readonly root: string;
  readonly title: string;
  readonly labelled: boolean;
  readonly fileKinds: string[];
  readonly memoryKinds: string[];
  readonly links: number;
  readonly marks: string[];
  readonly texts: string[];
  readonly overflowing: string[];
  readonly linkSpan: [number, number];
  readonly scripts: number;
}

const SVG_FACTS = `(() => {
  const svg = document.querySelector('svg');
  const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
  const box = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')];
  const link = svg.querySelector('path.link');
  const span = link ? link.getBBox() : { x: 0, width: 0 };
  return {
    root: svg.tagName, title: svg.querySelector('title').textContent,
    labelled: ids.length === 2 && ids.every((id) => document.getElementById(id) !== null) && svg.getAttribute('role') === 'img',
    fileKinds: [...svg.querySelectorAll('g.file-row')].map((g) => g.dataset.kind),
    memoryKinds: [...svg.querySelectorAll('g.memory-row')].map((g) => g.dataset.kind),
    links: svg.querySelectorAll('path.link').length,
    marks: [...svg.querySelectorAll('.finding-mark')].map((mark) => mark.getAttribute('data-rules')),
    texts: texts.map((text) => text.textContent),
    overflowing: texts.filter((text) => { const b = text.getBBox(); return b.x < 0 || b.x + b.width > box.width + 1; }).map((text) => text.textContent),
    linkSpan: [span.x, span.x + span.width],
    scripts: document.querySelectorAll('script').length,
  };
})()`;

describe.skipIf(!haveChromium)('the layout map in a browser', () => {
  it.each([
    ['hello', [], 0],
    ['hello-entry-outside', ['entry-in-load-segment', 'entry-in-load-segment'], 1],
  ] as const)('corpus/%s as SVG: the regions, labels, link and findings are there and drawn', async (name, marks, findings) => {
    const dir = mkdtempSync(join(tmpdir(), 'elf-lint-map-'));
    try {
      const svgPath = join(dir, `${name}.svg`);
      const run = await runCli(['map', '--format', 'svg', '-o', svgPath, `corpus/${name}`]);
      expect(run.code, run.stderr).toBe(0);
      const browser = await launch();
      await browser.open(svgPath, 1000, 400);
      const facts = await browser.evaluate<SvgFacts>(SVG_FACTS);
      expect(facts.root).toBe('svg');
      expect(facts.title).toBe(`Layout map of corpus/${name}`);
      expect(facts.labelled).toBe(true);
      expect(facts.scripts).toBe(0);
      expect(facts.fileKinds).toEqual(['header', 'phdrs', 'gap']);
      expect(facts.memoryKinds).toEqual(findings ? ['load', 'heap', 'entry', 'mmap', 'stack'] : ['load', 'entry', 'heap', 'mmap', 'stack']);
      expect(facts.links).toBe(1);
      expect(facts.marks.map((mark) => mark)).toEqual(marks.map((rule) => rule));
      expect(facts.texts).toEqual(expect.arrayContaining(['file offsets', 'virtual memory', '0x0-0x40 ELF header', '0x40-0x78 program headers (1)', 'segment 0: LOAD, file 0x0-0x38e']));
      expect(facts.texts.some((text) => text.startsWith('0x400000-0x401000 r-x LOAD 0'))).toBe(true);
      expect(facts.texts).toEqual(expect.arrayContaining(['0x7ffc00000000-0x7ffffffff000 stack top', 'the interpreter, libraries and other mappings go below the mmap base']));
      expect(facts.overflowing).toEqual([]);
      // The link joins the file column (right edge 396 plus the lane) to the memory column (600).
      expect(facts.linkSpan[0]).toBeGreaterThan(390);
      expect(facts.linkSpan[0]).toBeLessThan(420);
      expect(facts.linkSpan[1]).toBeCloseTo(600, 0);
      const shot = inspect(await browser.screenshot(), ERROR_RED);
      expect(shot.inked).toBeGreaterThan(0.05);
      if (findings) expect(shot.matching).toBeGreaterThan(100);
      else expect(shot.matching).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface PageFacts {
  readonly title: string;
  readonly counts: string[];
  readonly rows: string[][];
  readonly status: string;
  readonly files: number;
  readonly drawn: number;
  readonly resources: number;
  readonly docs: string[];
}

const PAGE_FACTS = `(() => ({
  title: document.title,
  counts: [...document.querySelectorAll('#summary li')].map((li) => li.textContent),
  rows: [...document.querySelectorAll('#findings-table tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
  status: document.getElementById('findings-status').textContent,
  files: document.querySelectorAll('details.file').length,
  drawn: document.querySelectorAll('.map svg').length,
  resources: performance.getEntriesByType('resource').length,
  docs: [...document.querySelectorAll('#findings-table tbody td.rule a')].map((a) => a.href),
}))()`;

describe.skipIf(!haveChromium)('the HTML report in a browser', () => {
  it('shows the summary, a table that filters and sorts, and draws a file\'s map when it is opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elf-lint-html-'));
    try {
      const page = join(dir, 'report.html');
      const run = await runCli(['lint', '--format', 'html', '-o', page, 'corpus/hello', 'corpus/hello-entry-outside', 'corpus/hello-wx']);
      expect(run.code, run.stderr).toBe(1);
      const browser = await launch();
      await browser.open(page, 1200, 900);
      const facts = await browser.evaluate<PageFacts>(PAGE_FACTS);
      expect(facts.title).toBe('elf-lint report: 3 files');
      expect(facts.counts).toEqual(expect.arrayContaining(['3files checked', '1clean', '1errors', '1warnings', '0infos', '2runs', '1start-fault']));
      expect(facts.rows.map((row) => row.slice(0, 5))).toEqual([
        ['corpus/hello-entry-outside', 'entry-in-load-segment', 'error', 'e_entry', '0x18'],
        ['corpus/hello-wx', 'wx-segment', 'warning', 'phdr[0].p_flags', '0x44'],
      ]);
      expect(facts.docs).toEqual([
        'https://unpkg.com/elf-lint@0.1.0/docs/rules/entry-in-load-segment.md', 'https://unpkg.com/elf-lint@0.1.0/docs/rules/wx-segment.md',
      ]);
      expect(facts.status).toBe('showing 2 of 2 findings');
      expect(facts.files).toBe(3);
      // Maps are drawn only when their file is opened, and nothing is fetched.
      expect(facts.drawn).toBe(0);
      expect(facts.resources).toBe(0);
      const before = inspect(await browser.screenshot(), ERROR_RED);
      expect(before.inked).toBeGreaterThan(0.02);

      // Filter by text, then by severity; sort by severity, both ways.
      const filtered = await browser.evaluate<PageFacts>(`(() => { const f = document.getElementById('filter'); f.value = 'WX'; f.dispatchEvent(new Event('input')); return ${PAGE_FACTS}; })()`);
      expect(filtered.rows.map((row) => row[1])).toEqual(['wx-segment']);
      expect(filtered.status).toBe('showing 1 of 1 matching findings (2 in all)');
      const bySeverity = await browser.evaluate<PageFacts>(`(() => {
        const f = document.getElementById('filter'); f.value = ''; f.dispatchEvent(new Event('input'));
        const s = document.getElementById('severity'); s.value = 'error'; s.dispatchEvent(new Event('input'));
        return ${PAGE_FACTS}; })()`);
      expect(bySeverity.rows.map((row) => row[1])).toEqual(['entry-in-load-segment']);
      const sorted = await browser.evaluate<string[][]>(`(() => {
        const s = document.getElementById('severity'); s.value = ''; s.dispatchEvent(new Event('input'));
        const button = document.querySelector('th[data-key=severity] button');
        button.click();
        const up = [...document.querySelectorAll('#findings-table tbody tr')].map((tr) => tr.children[2].textContent);
        button.click();
        const down = [...document.querySelectorAll('#findings-table tbody tr')].map((tr) => tr.children[2].textContent);
        return [up, down, [document.querySelector('th[data-key=severity]').getAttribute('aria-sort')]];
      })()`);
      expect(sorted).toEqual([['warning', 'error'], ['error', 'warning'], ['descending']]);

      // Opening the broken twin draws its map, with the finding on it.
      const opened = await browser.evaluate<{ svgs: number; marks: string[]; title: string; loader: string }>(`(() => {
        // The page draws a map on the toggle event (in the capture phase, before this listener): wait for that event, not a frame.
        const details = document.querySelector('#file-1');
        return new Promise((resolve) => {
          details.addEventListener('toggle', () => {
            const holder = details.querySelector('.map');
            resolve({ svgs: document.querySelectorAll('.map svg').length, marks: [...holder.querySelectorAll('.finding-mark')].map((m) => m.getAttribute('data-rules')),
              title: holder.querySelector('svg title').textContent, loader: details.querySelector('.loader').textContent });
          }, { once: true });
          details.querySelector('summary').click();
        });
      })()`);
      expect(opened).toEqual({
        svgs: 1, marks: ['entry-in-load-segment', 'entry-in-load-segment'], title: 'Layout map of corpus/hello-entry-outside',
        loader: 'loader: start-fault (SIGSEGV): nothing is mapped at the entry point 0x500000. Because of: entry-in-load-segment.',
      });
      await browser.evaluate('document.querySelector("#file-1").scrollIntoView()');
      const after = inspect(await browser.screenshot(), ERROR_RED);
      expect(after.matching).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stays usable with 2,000 files: every file listed, maps drawn only on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'elf-lint-html-many-'));
    try {
      const files = join(dir, 'files');
      mkdirSync(files);
      const names = readdirSync(CORPUS).filter((name) => name !== 'README.md').sort();
      for (let i = 0; i < 2000; i += 1) copyFileSync(corpus(names[i % names.length]!), join(files, `${String(i).padStart(4, '0')}-${names[i % names.length]}`));
      const page = join(dir, 'report.html');
      const run = await runCli(['lint', '--format', 'html', '--jobs', '2', '-o', page, files]);
      expect(run.code, run.stderr).toBe(1);
      const browser = await launch();
      await browser.open(page, 1200, 900);
      const facts = await browser.evaluate<PageFacts>(PAGE_FACTS);
      expect(facts.files).toBe(2000);
      expect(facts.drawn).toBe(0);
      expect(facts.rows.length).toBeGreaterThan(0);
      expect(facts.rows.length).toBeLessThanOrEqual(1000);
      const last = await browser.evaluate<number>(`(() => { location.hash = '#file-1999'; return new Promise((resolve) => addEventListener('hashchange', () => resolve(document.querySelectorAll('#file-1999 .map svg').length))); })()`);
      expect(last).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
