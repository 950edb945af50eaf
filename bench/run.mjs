// `npm run bench`: elf-lint against its anchors (Node's start-up, eu-elflint,
// readelf, a plain C fork/exec loop) in one run, on this machine, with the
// ratios and targets of issue 12, and the README's Performance table.
//
//   npm run bench [-- --runs N] [--quick] [--only a,b,c,d,e,k,scaling] [--cli PATH] [--no-build] [DIR...]
//
// (a) start-up, (b) a batch over every ELF file under DIR... (default /usr/bin
// and /usr/lib/x86_64-linux-gnu), (c) the largest ELF file on the machine and
// a generated 1 GiB one, (d) fuzz rates, (e) spec and gen --from on a 100 MB+
// file, (k) executed fuzz rates inside guest kernels (issue 13), and the scaling check (time and peak RSS against file size and table
// size; docs/bench-scaling.svg). A full run (no --only) rewrites the README
// between its bench markers.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE, ROOT, fingerprint, measure, median, shellWords, stats } from './measure.mjs';
import { writeReadmeTable } from './report.mjs';

const MEASURES = ['a', 'b', 'c', 'd', 'e', 'k', 'scaling'];
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const FLOOR = join(ROOT, 'bench', 'floor.mjs');

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      runs: { type: 'string' }, quick: { type: 'boolean', default: false }, only: { type: 'string' },
      cli: { type: 'string' }, 'no-build': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('usage: npm run bench [-- --runs N] [--quick] [--only a,b,c,d,e,k,scaling] [--cli PATH] [--no-build] [DIR...]');
    process.exit(0);
  }
  const only = values.only ? values.only.split(',').map((name) => name.trim()).filter(Boolean) : MEASURES;
  const unknown = only.filter((name) => !MEASURES.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown measure ${unknown.join(', ')} (choose from ${MEASURES.join(', ')})`);
  const runs = values.runs === undefined ? (values.quick ? 3 : 5) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  return { runs, quick: values.quick, only: new Set(only), full: values.only === undefined, cli: values.cli, build: !values['no-build'], dirs: positionals };
}

// ---------------------------------------------------------------- output

const ms = (value) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`);
const timeRange = (s) => (s.n > 1 ? `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})` : ms(s.median));
const sizeName = (bytes) => (bytes >= GiB ? `${Math.round(bytes / GiB)} GiB` : `${Math.round(bytes / 1e6)} MB`);
const mib = (value) => `${Math.round(value)} MB`;
const rate = (value) => `${Math.round(value).toLocaleString('en-US')}/s`;
const met = (ok) => (ok ? 'met' : 'NOT met');
const rows = [];
const notes = [];

function heading(text) {
  console.log(`\n== ${text}`);
}

/** One result line, printed and kept for the README. */
function row(measure, what, command, result, ratio = '', target = '', ok = undefined, { print = true } = {}) {
  rows.push({ measure, what, command, result, ratio, target: target && ok !== undefined ? `${target}: ${met(ok)}` : target });
  if (print) console.log(`  ${what}: ${result}${ratio ? `; ${ratio}` : ''}${target ? `  [target ${target}: ${ok === undefined ? 'n/a' : met(ok)}]` : ''}`);
}

function commandLine(words) {
  console.log(`  $ ${shellWords(words)}`);
}

function statusNote(what, result) {
  if (result.status === 0 || result.status === 1) return;
  const first = result.stderr.trim().split('\n')[0] ?? '';
  const note = `${what}: exit status ${result.status}${first ? ` (${first.slice(0, 160)})` : ''}`;
  notes.push(note);
  console.log(`  note: ${note}`);
}

// ---------------------------------------------------------------- set-up

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The tool, installed with apt-get when absent; false when it still is not there. */
function ensureTool(command, aptPackage) {
  if (has(command)) return true;
  console.log(`${command} not found: apt-get install -y ${aptPackage}`);
  spawnSync('apt-get', ['install', '-y', aptPackage], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (has(command)) return true;
  console.log(`${command}: still not installed, its rows are skipped`);
  return false;
}

function commitOf() {
  const git = (dir, args) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  for (const [dir, where] of [[ROOT, ''], [resolve(realpathSync(join(ROOT, 'node_modules')), '..'), ' (of the checkout this copy was made from)']]) {
    const head = git(dir, ['rev-parse', '--short', 'HEAD']);
    if (head.status !== 0) continue;
    const dirty = (git(dir, ['status', '--porcelain', '--untracked-files=no']).stdout ?? '').trim() !== '';
    return `${head.stdout.trim()}${dirty ? ' + uncommitted changes' : ''}${where}`;
  }
  return 'unknown';
}

function machineFacts() {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores`,
    kernel: `Linux ${release()}`,
    node: `Node ${process.version}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: commitOf(),
    load: loadavg().map((value) => value.toFixed(2)).join(' '),
  };
}

/** The command under test: `bin.elf-lint` of package.json, or --cli. */
function cliPath(override) {
  if (override) return resolve(override);
  const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return join(ROOT, typeof bin === 'string' ? bin : bin['elf-lint']);
}

function hasElfMagic(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Every regular ELF file under the directories (symbolic links not followed, each inode once), sorted. */
function elfFiles(dirs) {
  const seen = new Set();
  const files = [];
  let bytes = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const stat = lstatSync(path);
        const id = `${stat.dev}:${stat.ino}`;
        if (seen.has(id) || !hasElfMagic(path)) continue;
        seen.add(id);
        files.push(path);
        bytes += stat.size;
      }
    }
  };
  for (const dir of dirs) walk(dir);
  return { files: files.sort(), bytes };
}

/** ELF files of 1 MB and more in the usual places, largest first. */
function bigElfFiles() {
  const found = spawnSync('find', ['/usr/lib', '/usr/lib64', '/usr/libexec', '/usr/local', '/opt', '/usr/bin', '/usr/sbin', '-xdev', '-type', 'f', '-size', '+1M', '-printf', '%s\t%p\n'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return (found.stdout ?? '').split('\n').filter(Boolean)
    .map((line) => { const tab = line.indexOf('\t'); return { size: Number(line.slice(0, tab)), path: line.slice(tab + 1) }; })
    .sort((a, b) => b.size - a.size)
    .filter(({ path }) => hasElfMagic(path));
}

/** Argument lists that fit ARG_MAX with room for the environment: one batch when possible, the same batches for every tool. */
function batches(files, fixedWords = 8) {
  const argMax = Number(execFileSync('getconf', ['ARG_MAX'], { encoding: 'utf8' }).trim()) || 131072;
  const environment = Object.entries(process.env).reduce((sum, [key, value]) => sum + key.length + (value ?? '').length + 2 + 8, 0);
  const budget = argMax / 2 - environment - fixedWords * 256;
  const lists = [[]];
  let used = 0;
  for (const file of files) {
    const cost = Buffer.byteLength(file) + 1 + 8;
    if (used + cost > budget && lists.at(-1).length > 0) {
      lists.push([]);
      used = 0;
    }
    lists.at(-1).push(file);
    used += cost;
  }
  return { lists, argMax };
}

/** One measurement of `words` over every batch: times added, the largest peak RSS. */
function measureBatches(words, lists, stdoutFor = () => '/dev/null', timeoutSeconds = 900) {
  let total = 0;
  let peak = 0;
  let worst = { status: 0, stderr: '' };
  lists.forEach((list, i) => {
    const result = measure(words[0], [...words.slice(1), ...list], { stdout: stdoutFor(i), timeoutSeconds });
    total += result.ms;
    peak = Math.max(peak, result.rssMB);
    if (result.status !== 0 && result.status !== 1) worst = result;
  });
  return { ms: total, rssMB: peak, status: worst.status, stderr: worst.stderr };
}

/** "identical", or where two outputs part. */
function compareOutputs(a, b) {
  if (a.equals(b)) return 'identical';
  const left = a.toString('utf8').split('\n');
  const right = b.toString('utf8').split('\n');
  let differing = 0;
  let first = -1;
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    if (left[i] !== right[i]) {
      differing += 1;
      if (first < 0) first = i + 1;
    }
  }
  return `DIFFERENT: ${a.length} and ${b.length} bytes, ${differing} of ${Math.max(left.length, right.length)} lines differ, the first at line ${first}`;
}

function freeBytes(dir) {
  const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)?.split(/\s+/) ?? [];
  return Number(out[3]) * 1024;
}

// ---------------------------------------------------------------- the measures

function measureStartup(ctx) {
  heading('(a) start-up: elf-lint corpus/hello against node -e 0');
  const pairs = Math.max(15, ctx.runs * 3);
  const elf = [process.execPath, ctx.cli, 'corpus/hello'];
  const node = [process.execPath, '-e', '0'];
  commandLine(elf);
  commandLine(node);
  const times = { elf: [], node: [] };
  for (let i = 0; i < pairs; i += 1) {
    // Interleaved, and in alternating order, so drift on a shared machine hits both.
    const order = i % 2 === 0 ? ['elf', 'node'] : ['node', 'elf'];
    for (const which of order) {
      const words = which === 'elf' ? elf : node;
      const result = measure(words[0], words.slice(1));
      if (which === 'elf' && i === 0) statusNote('elf-lint corpus/hello', result);
      times[which].push(result.ms);
    }
  }
  const e = stats(times.elf);
  const n = stats(times.node);
  const ratio = e.median / n.median;
  row('a', `\`node -e 0\` (${pairs} runs)`, 'node -e 0', timeRange(n));
  row('a', `\`elf-lint corpus/hello\` (${pairs} runs, paired with the above)`, `node ${ctx.cliShown} corpus/hello`, timeRange(e), `${ratio.toFixed(2)}× node -e 0`, '≤ 1.5×', ratio <= 1.5);
}

function measureBatch(ctx) {
  const dirs = ctx.dirs.length > 0 ? ctx.dirs : ['/usr/bin', '/usr/lib/x86_64-linux-gnu'];
  heading(`(b) one process over every ELF file under ${dirs.join(' and ')}`);
  const { files, bytes } = elfFiles(dirs);
  if (files.length === 0) throw new Error(`no ELF file under ${dirs.join(', ')}`);
  const listFile = join(CACHE, 'elf-files.txt');
  writeFileSync(listFile, `${files.join('\n')}\n`);
  const { lists, argMax } = batches(files);
  console.log(`  ${files.length} ELF files, ${(bytes / 1e6).toFixed(0)} MB (list in ${listFile}); ARG_MAX ${argMax}: ${lists.length === 1 ? 'one invocation per tool' : `${lists.length} batches, the same for every tool`}`);
  const tools = [
    { key: 'elf', name: 'elf-lint --format json (default --jobs)', words: [process.execPath, ctx.cli, 'lint', '--format', 'json'] },
    { key: 'elf1', name: 'elf-lint --format json --jobs 1', words: [process.execPath, ctx.cli, 'lint', '--format', 'json', '--jobs', '1'] },
    { key: 'elf2', name: 'elf-lint --format json --jobs 2', words: [process.execPath, ctx.cli, 'lint', '--format', 'json', '--jobs', '2'] },
    ...(ctx.euElflint ? [{ key: 'eu', name: 'eu-elflint --gnu-ld --quiet', words: ['eu-elflint', '--gnu-ld', '--quiet'] }] : []),
    ...(ctx.readelf ? [{ key: 'readelf', name: 'readelf -a -W', words: ['readelf', '-a', '-W'] }] : []),
    // The floor (bench/floor.mjs): what any Node process pays to read the bytes these checks need, and to do the two checks that walk the most of them.
    { key: 'floorRead', name: 'floor: Node reading only the tables the checks walk', words: [process.execPath, FLOOR, 'read', listFile], whole: true },
    { key: 'floorCheck', name: 'floor: the same, hashing every dynamic name and walking every relocation, 2 threads', words: [process.execPath, FLOOR, 'check', listFile, '--threads', '2'], whole: true },
  ];
  for (const tool of tools) commandLine(tool.whole ? tool.words : [...tool.words, 'FILES']);
  const shown = (words) => shellWords(words[0] !== process.execPath ? words : words[1] === FLOOR ? ['node', 'bench/floor.mjs', ...words.slice(2, 3), 'LIST', ...words.slice(4)] : ['node', ctx.cliShown, ...words.slice(2)]);
  const times = Object.fromEntries(tools.map((tool) => [tool.key, []]));
  const rss = Object.fromEntries(tools.map((tool) => [tool.key, []]));
  const outputs = { elf: join(CACHE, 'batch-jobs-default'), elf1: join(CACHE, 'batch-jobs-1'), elf2: join(CACHE, 'batch-jobs-2') };
  for (let rep = 0; rep < ctx.runs; rep += 1) {
    for (const tool of tools) {
      // The first run of each elf-lint variant keeps its output, to compare; every other run writes to /dev/null.
      const keep = rep === 0 && tool.key in outputs;
      const result = tool.whole ? measure(tool.words[0], tool.words.slice(1)) : measureBatches(tool.words, lists, (i) => (keep ? `${outputs[tool.key]}-${i}.json` : '/dev/null'));
      if (rep === 0 && tool.key.startsWith('elf')) statusNote(tool.name, result);
      times[tool.key].push(result.ms);
      rss[tool.key].push(result.rssMB);
    }
    console.log(`  run ${rep + 1}/${ctx.runs} done`);
  }
  const medianOf = (key) => stats(times[key]).median;
  const perFile = (key) => `${Math.round((files.length * 1000) / medianOf(key)).toLocaleString('en-US')} files/s`;
  for (const tool of tools) {
    const s = stats(times[tool.key]);
    const extra = `${perFile(tool.key)}, peak RSS ${mib(median(rss[tool.key]))}`;
    if (tool.key === 'elf' && times.eu) {
      const ratio = medianOf('elf') / medianOf('eu');
      row('b', `\`${tool.name}\`, ${files.length} files`, `${shown(tool.words)} FILES`, `${timeRange(s)}; ${extra}`, `${ratio.toFixed(2)}× eu-elflint's time`, '≤ 0.5×', ratio <= 0.5);
    } else if (tool.whole) {
      const ratio = times.eu ? `${(medianOf(tool.key) / medianOf('eu')).toFixed(2)}× eu-elflint's time` : '';
      row('b', tool.name, shown(tool.words), `${timeRange(s)}; ${extra}`, ratio);
    } else {
      const ratio = tool.key === 'elf' ? '' : `${(medianOf(tool.key) / medianOf('elf')).toFixed(2)}× elf-lint's time`;
      row('b', `\`${tool.name}\``, `${shown(tool.words)} FILES`, `${timeRange(s)}; ${extra}`, ratio);
    }
  }
  for (const other of ['elf1', 'elf2']) {
    const verdict = lists.map((_, i) => compareOutputs(readFileSync(`${outputs.elf}-${i}.json`), readFileSync(`${outputs[other]}-${i}.json`)));
    const same = verdict.every((v) => v === 'identical');
    row('b', `JSON of \`--jobs ${other.slice(3)}\` against the default \`--jobs\``, '', same ? 'identical' : verdict.filter((v) => v !== 'identical').join('; '), '', 'byte-identical', same);
  }
}

/** A generated file (see bench/elf-gen.mjs) from the cache, written first if needed; undefined when the disk is short (df). */
async function generated(options, label) {
  const { bigElfPath, cachedBigElf, planBigElf } = await import('./elf-gen.mjs');
  const path = bigElfPath(CACHE, fingerprint, options);
  if (existsSync(path)) {
    console.log(`  ${label}: ${path} (cached)`);
    return path;
  }
  // Sparse, so it takes about its tables on disk; ask for the whole size and 1 GiB more, for file systems without holes.
  const needed = planBigElf(options).size + GiB;
  if (freeBytes(CACHE) < needed) {
    console.log(`  ${label}: skipped, less than ${(needed / GiB).toFixed(1)} GiB free in ${CACHE} (df)`);
    return undefined;
  }
  const started = performance.now();
  cachedBigElf(CACHE, fingerprint, options);
  console.log(`  ${label}: written in ${ms(performance.now() - started)} to ${path}`);
  return path;
}

async function measureLarge(ctx) {
  heading('(c) large files: time and peak RSS of lint');
  const [largest] = ctx.bigFiles;
  const targets = [];
  if (largest) targets.push({ label: `largest ELF file here, ${basename(largest.path)} (${(largest.size / 1e6).toFixed(0)} MB)`, path: largest.path });
  if (ctx.quick) console.log('  --quick: the generated 1 GiB file is skipped');
  else {
    const path = await generated({ bytes: GiB, symbols: 1_000_000, sections: 1_000_000 }, 'generated 1 GiB file with 10^6 symbols and 10^6 sections');
    if (path) targets.push({ label: 'a generated 1 GiB file with 10^6 symbols and 10^6 sections', path });
  }
  const reps = Math.max(3, ctx.runs);
  const base = [process.execPath, ctx.cli, 'lint', '--profile', 'loader', 'corpus/hello'];
  commandLine(base);
  for (const target of targets) {
    console.log(`  ${target.label}: ${target.path}`);
    const loader = [process.execPath, ctx.cli, 'lint', '--profile', 'loader', target.path];
    const all = [process.execPath, ctx.cli, 'lint', '--profile', 'all', target.path];
    commandLine(loader);
    commandLine(all);
    const samples = { base: [], loader: [], all: [] };
    for (let rep = 0; rep < reps; rep += 1) {
      for (const [key, words] of [['base', base], ['loader', loader], ['all', all]]) {
        const result = measure(words[0], words.slice(1), { timeoutSeconds: 300 });
        if (rep === 0 && key !== 'base') statusNote(`lint --profile ${key} ${target.path}`, result);
        samples[key].push(result);
      }
    }
    const t = (key) => stats(samples[key].map((s) => s.ms));
    const r = (key) => stats(samples[key].map((s) => s.rssMB));
    const beyond = t('loader').median - t('base').median;
    const short = target.path.startsWith(CACHE) ? 'GENERATED_1GiB' : target.path;
    const shown = (words) => shellWords(['node', ctx.cliShown, ...words.slice(2)]);
    row('c', `${target.label}: header/segment rules (\`--profile loader\`)`, shown(loader).replace(target.path, short),
      `${timeRange(t('loader'))}, peak RSS ${mib(r('loader').median)}`, `${beyond < 0 ? `${ms(beyond)} (within noise)` : ms(beyond)} beyond start-up (${ms(t('base').median)} on corpus/hello)`, '< 100 ms beyond start-up', beyond < 100);
    row('c', `${target.label}: every rule (\`--profile all\`)`, shown(all).replace(target.path, short),
      `${timeRange(t('all'))}, peak RSS ${mib(r('all').median)} (${mib(r('all').min)}–${mib(r('all').max)})`, '', '< 80 MB peak RSS', r('all').median < 80);
  }
}

async function measureFuzz(ctx) {
  heading('(d) fuzz rates against a plain C fork/exec loop (corpus/hello)');
  const { cliCampaignRate, forkExecLoop } = await import('./fuzz.mjs');
  const count = ctx.quick ? 2_000 : 10_000;
  const lintCount = ctx.quick ? 10_000 : 50_000;
  // A long lint-only campaign, for information: its rate grows with its length, as more of its mutants repeat earlier ones.
  const longCount = ctx.quick ? 200_000 : 1_000_000;
  const reps = ctx.quick ? 1 : Math.min(ctx.runs, 3);
  const loop = forkExecLoop();
  try {
    console.log(`  $ bench/forkexec.c: 2 × ${loop.command} (COUNT ${count / 2})`);
    console.log(`  \`elf-lint fuzz corpus/hello --jobs 2 --count ${count}\` and \`--no-exec --jobs 2 --count ${lintCount}\` (and ${longCount}), each a fresh process, rated by the campaign's own time (its report's durationMs: without the CLI's start-up)`);
    const c = [];
    const executed = [];
    const linted = [];
    const long = [];
    for (let rep = 0; rep < reps; rep += 1) {
      c.push(loop.rate(2, count));
      executed.push(cliCampaignRate(ctx.cli, { exec: true, jobs: 2, count }));
      linted.push(cliCampaignRate(ctx.cli, { exec: false, jobs: 2, count: lintCount }));
      long.push(cliCampaignRate(ctx.cli, { exec: false, jobs: 2, count: longCount }));
    }
    const ratio = median(executed) / median(c);
    const range = (values) => (values.length > 1 ? ` (${rate(Math.min(...values))}–${rate(Math.max(...values))})` : '');
    row('d', 'plain C fork/execve/waitpid loop, 2 processes', 'cc -O2 bench/forkexec.c; 2 loops at once', `${rate(median(c))}${range(c)}`);
    row('d', 'executed mutants, `fuzz --jobs 2`', `fuzz corpus/hello --jobs 2 --count ${count}`, `${rate(median(executed))}${range(executed)}`, `${ratio.toFixed(2)} of the C loop`, '≥ 0.5', ratio >= 0.5);
    row('d', 'linted mutants, `fuzz --no-exec --jobs 2`', `fuzz corpus/hello --no-exec --jobs 2 --count ${lintCount}`, `${rate(median(linted))}${range(linted)}`, '', '≥ 50,000/s', median(linted) >= 50_000);
    row('d', 'linted mutants of a long campaign (for information)', `fuzz corpus/hello --no-exec --jobs 2 --count ${longCount}`, `${rate(median(long))}${range(long)}`);
  } finally {
    loop.close();
  }
}

/** The rate in a fuzz summary line: "... in 10.1 s (496/s): ...". */
function fuzzRate(output) {
  const match = /\(([\d,]+)\/s\)/.exec(output);
  return match ? Number(match[1].replaceAll(',', '')) : undefined;
}

async function measureKernels(ctx) {
  heading('(k) guest kernels (issue 13): executed mutants/s inside qemu-system against the host runner');
  const guests = [
    { spec: 'amd64:6.1', qemu: 'qemu-system-x86_64', arch: undefined },
    { spec: 'arm64:6.1', qemu: 'qemu-system-aarch64', arch: 'aarch64' },
  ].filter((guest) => {
    if (has(guest.qemu)) return true;
    console.log(`  ${guest.spec}: skipped, ${guest.qemu} is not installed (apt-get install qemu-system-x86 qemu-system-arm)`);
    return false;
  });
  if (guests.length === 0) return;
  const count = ctx.quick ? 100 : 400;
  const fuzz = (seed, extra) => {
    const words = [process.execPath, ctx.cli, 'fuzz', seed, '--count', String(count), '--seed', '7', ...extra];
    commandLine(words);
    const result = spawnSync(words[0], words.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 1_800_000 });
    const value = fuzzRate(`${result.stdout}\n${result.stderr}`);
    if (value === undefined) statusNote(`fuzz ${seed} ${extra.join(' ')}`, { status: result.status ?? 'killed', stderr: result.stderr ?? '' });
    return value;
  };
  const host = fuzz('corpus/hello', ['--jobs', '1']);
  if (host !== undefined) row('k', 'host runner, `fuzz --jobs 1` (with start-up)', `fuzz corpus/hello --jobs 1 --count ${count}`, rate(host));
  for (const guest of guests) {
    let seed = 'corpus/hello';
    if (guest.arch) {
      seed = join(CACHE, `hello-${guest.arch}`);
      execFileSync(process.execPath, [ctx.cli, 'gen', 'hello', '--arch', guest.arch, '-o', seed]);
    }
    const value = fuzz(seed, ['--kernel', guest.spec]);
    if (value === undefined) continue;
    const shownSeed = guest.arch ? `hello-${guest.arch}` : seed;
    row('k', `guest ${guest.spec} (boot included, TCG)`, `fuzz ${shownSeed} --kernel ${guest.spec} --count ${count}`, rate(value),
      host ? `${(value / host).toFixed(3)} of the host runner` : '');
  }
}

async function measureSpec(ctx) {
  heading('(e) spec and gen --from on a 100 MB+ file');
  // The ELF file of 100 MB or more nearest the issue's 120 MB, else a generated one of 128 MiB.
  const candidates = ctx.bigFiles.filter((file) => file.size >= 100e6).sort((a, b) => Math.abs(a.size - 120e6) - Math.abs(b.size - 120e6));
  let target = candidates[0];
  if (!target) {
    const path = await generated({ bytes: 128 * MiB, symbols: 100_000, sections: 1_000 }, 'generated 128 MiB file');
    if (!path) return;
    target = { path, size: 128 * MiB };
  }
  console.log(`  ${target.path} (${(target.size / 1e6).toFixed(0)} MB)`);
  const reps = ctx.quick ? 1 : Math.min(ctx.runs, 3);
  for (const [name, words] of [['spec', [process.execPath, ctx.cli, 'spec', target.path]], ['gen --from', [process.execPath, ctx.cli, 'gen', '--from', target.path, '-o', '-']]]) {
    commandLine(words);
    const samples = [];
    for (let rep = 0; rep < reps; rep += 1) samples.push(measure(words[0], words.slice(1), { timeoutSeconds: 300 }));
    statusNote(`${name} ${target.path}`, samples[0]);
    const t = stats(samples.map((s) => s.ms));
    const r = stats(samples.map((s) => s.rssMB));
    row('e', `\`${name}\` on ${basename(target.path)} (${(target.size / 1e6).toFixed(0)} MB)`, `${shellWords(['node', ctx.cliShown, ...words.slice(2)]).replace(target.path, 'FILE')} > /dev/null`,
      `${timeRange(t)}, peak RSS ${mib(r.median)}`, '', '< 3 s and < 200 MB', t.median < 3000 && r.median < 200);
  }
}

async function measureScaling(ctx) {
  heading('scaling: lint time and peak RSS against file size and table size');
  const sizes = [1e6, 1e7, 1e8, ...(ctx.quick ? [] : [GiB])];
  const tables = [1e3, 1e4, 1e5, 1e6];
  const points = [
    ...sizes.map((bytes) => ({ axis: 'size', x: bytes, options: { bytes, symbols: 100, sections: 100 } })),
    ...tables.map((n) => ({ axis: 'table', x: n, options: { bytes: 0, symbols: n, sections: n } })),
  ];
  if (ctx.quick) console.log('  --quick: the 1 GiB point is skipped');
  const reps = ctx.quick ? 1 : Math.min(ctx.runs, 3);
  console.log(`  each point: ${shellWords(['node', ctx.cliShown, 'lint', '--profile', 'loader|all', 'FILE'])}, median of ${reps}`);
  console.log(`  ${'file'.padEnd(34)} ${'size'.padStart(9)} ${'loader'.padStart(9)} ${'RSS'.padStart(7)} ${'all'.padStart(9)} ${'RSS'.padStart(7)}`);
  const results = [];
  for (const point of points) {
    const label = point.axis === 'size' ? `${sizeName(point.x)}, 100 symbols and sections` : `10^${Math.round(Math.log10(point.x))} symbols and sections`;
    const path = await generated(point.options, label);
    if (!path) continue;
    const measured = {};
    for (const profile of ['loader', 'all']) {
      const samples = [];
      for (let rep = 0; rep < reps; rep += 1) samples.push(measure(process.execPath, [ctx.cli, 'lint', '--profile', profile, path], { timeoutSeconds: 300 }));
      statusNote(`lint --profile ${profile} (${label})`, samples[0]);
      measured[profile] = { ms: median(samples.map((s) => s.ms)), rss: median(samples.map((s) => s.rssMB)) };
    }
    const size = lstatSync(path).size;
    results.push({ ...point, label, size, ...measured });
    console.log(`  ${label.padEnd(34)} ${`${(size / 1e6).toFixed(1)} MB`.padStart(9)} ${ms(measured.loader.ms).padStart(9)} ${mib(measured.loader.rss).padStart(7)} ${ms(measured.all.ms).padStart(9)} ${mib(measured.all.rss).padStart(7)}`);
  }
  for (const result of results) {
    row('scaling', `${result.label} (${(result.size / 1e6).toFixed(1)} MB)`, `node ${ctx.cliShown} lint --profile loader|all FILE`,
      `loader ${ms(result.loader.ms)}, ${mib(result.loader.rss)}; all ${ms(result.all.ms)}, ${mib(result.all.rss)}`, '', '', undefined, { print: false });
  }
  return results;
}

async function writePlot(results, facts) {
  const { chartGrid } = await import('./svg.mjs');
  const series = (axis, key) => ['loader', 'all'].map((profile) => ({
    name: profile === 'loader' ? 'header/segment rules (--profile loader)' : 'every rule (--profile all)',
    points: results.filter((r) => r.axis === axis).map((r) => [r.x, r[profile][key]]),
  }));
  const countTick = (x) => `10^${Math.round(Math.log10(x))}`;
  const svg = chartGrid([
    { xTick: sizeName, charts: [{ title: 'time against file size (100 entries)', yLabel: 'ms', series: series('size', 'ms') }, { title: 'peak RSS against file size', yLabel: 'MB', series: series('size', 'rss') }] },
    { xTick: countTick, charts: [{ title: 'time against symbols and sections', yLabel: 'ms', series: series('table', 'ms') }, { title: 'peak RSS against symbols and sections', yLabel: 'MB', series: series('table', 'rss') }] },
  ], `npm run bench, ${facts.date}, ${facts.cpu}, ${facts.node}: median wall time and peak RSS of a lint process`);
  const path = join(ROOT, 'docs', 'bench-scaling.svg');
  writeFileSync(path, svg);
  console.log(`  plot written to ${path}`);
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = options();
  if (opts.build) {
    console.log('$ npm run build');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  mkdirSync(CACHE, { recursive: true });
  const cli = cliPath(opts.cli);
  if (!existsSync(cli)) throw new Error(`the command under test does not exist: ${cli}`);
  const ctx = {
    ...opts, cli, cliShown: cli.startsWith(`${ROOT}/`) ? cli.slice(ROOT.length + 1) : cli,
    euElflint: opts.only.has('b') && ensureTool('eu-elflint', 'elfutils'),
    readelf: opts.only.has('b') && ensureTool('readelf', 'binutils'),
    bigFiles: opts.only.has('c') || opts.only.has('e') ? bigElfFiles() : [],
  };
  const facts = machineFacts();
  console.log(`\nmachine: ${facts.cpu}; ${facts.kernel}; ${facts.node}; load average ${facts.load}`);
  console.log(`date: ${facts.date}; commit ${facts.commit}; command under test: node ${ctx.cliShown}`);
  console.log(`repetitions: ${opts.runs}${opts.quick ? ' (--quick)' : ''}; wall time and peak RSS (ru_maxrss) from wait4 in bench/rusage.c`);
  if (opts.only.has('a')) measureStartup(ctx);
  if (opts.only.has('b')) measureBatch(ctx);
  if (opts.only.has('c')) await measureLarge(ctx);
  if (opts.only.has('d')) await measureFuzz(ctx);
  if (opts.only.has('e')) await measureSpec(ctx);
  if (opts.only.has('k')) await measureKernels(ctx);
  let scaling = [];
  if (opts.only.has('scaling')) scaling = await measureScaling(ctx);
  if (scaling.length > 0) await writePlot(scaling, facts);
  const targets = rows.filter((r) => r.target.includes(': '));
  heading(targets.length > 0 ? `targets: ${targets.filter((r) => r.target.endsWith(': met')).length} of ${targets.length} met` : 'no targets in this part');
  for (const r of targets) console.log(`  (${r.measure}) ${r.what}: ${r.target}`);
  if (opts.full) {
    const invocation = `npm run bench${opts.quick || opts.runs !== 5 ? ` -- ${[opts.quick ? '--quick' : '', opts.runs !== (opts.quick ? 3 : 5) ? `--runs ${opts.runs}` : ''].filter(Boolean).join(' ')}` : ''}`;
    writeReadmeTable(join(ROOT, 'README.md'), { facts, invocation, rows, notes, cli: ctx.cliShown, runs: opts.runs });
    console.log(`\nREADME.md: Performance table rewritten (${invocation})`);
  } else console.log('\nREADME.md not rewritten: --only runs a part of the bench');
}

try {
  await main();
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
