// `npm run compare`: elf-lint beside eu-elflint (elfutils) and readelf --lint (binutils) on the
// same files, written to docs/comparison.md.
//
//   node scripts/compare.mjs [--out FILE] [--jobs N] [--sample N] [--zoo DIR] [--no-corpus]
//
// The files: every ELF file (by its magic; regular files, not symlinks) under /usr/bin and
// /usr/lib/<triplet>, an evenly spaced sample of --sample (300) of those under /usr/sbin,
// /usr/libexec and the rest of /usr/lib, the toolchain zoo (scripts/toolchain-zoo.mjs, built into
// --zoo, by default node_modules/.cache/elf-lint-zoo/KEY) and, apart, elf-lint's own corpus of
// broken twins, which shows what each peer says about what each rule catches.
//
// Every eu-elflint line and readelf warning is reduced to a message class (quoted names, symbol
// names, section indices and numbers become %), and each class is looked up in
// scripts/compare-map.mjs: the elf-lint rule that reports the same fault, or why none does. elf-lint
// findings are counted by rule id. The peers run once per file, --jobs (2) at a time; elf-lint runs
// in batches of files in the same pool.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, lstatSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EU_ELFLINT, FAMILIES, READELF, RULE_FAMILIES } from './compare-map.mjs';
import { buildZoo, zooKey } from './toolchain-zoo.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'docs', 'comparison.md') },
    jobs: { type: 'string', default: '2' },
    sample: { type: 'string', default: '300' },
    zoo: { type: 'string' },
    'no-corpus': { type: 'boolean', default: false },
  },
});
const JOBS = Math.max(1, Number(values.jobs));
const SAMPLE = Math.max(0, Number(values.sample));
const TIMEOUT_MS = 300_000;
const BATCH = 150;
const say = (line) => console.log(`compare: ${line}`);

// ---- the files ----

const MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

function isElf(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.equals(MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Regular ELF files under `dir`, sorted, one path per inode; directories in `skip` are left out. */
function elfFilesUnder(dir, skip = new Set(), seen = new Set()) {
  const found = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(path)) found.push(...elfFilesUnder(path, skip, seen));
    } else if (entry.isFile()) {
      let stat;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      const id = `${stat.dev}:${stat.ino}`;
      if (seen.has(id) || stat.size < 52 || !isElf(path)) continue;
      seen.add(id);
      found.push(path);
    }
  }
  return found;
}

/** `count` paths spread evenly over `paths` (all of them when there are fewer). */
function evenSample(paths, count) {
  if (paths.length <= count) return paths;
  return Array.from({ length: count }, (_, i) => paths[Math.floor((i * paths.length) / count)]);
}

function hostTriplet() {
  const result = spawnSync('gcc', ['-dumpmachine'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : `${process.arch === 'x64' ? 'x86_64' : process.arch}-linux-gnu`;
}

// ---- running the tools ----

function available(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? `${result.stdout}${result.stderr}`.split('\n')[0].trim() : undefined;
}

/** Runs a command to completion (killed with its group after TIMEOUT_MS); resolves with its output. */
function runTool(command, args, keepStdout) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'], detached: true, env: { ...process.env, LC_ALL: 'C' } });
    const out = [];
    let err = '';
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => { err += text; });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, TIMEOUT_MS);
    child.once('error', (error) => { clearTimeout(timer); resolvePromise({ code: null, signal: null, stdout: '', stderr: `spawn failed: ${error.message}` }); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
  });
}

/** Runs `tasks` (functions returning promises) `jobs` at a time. */
async function pool(tasks, jobs, progress) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task();
      done += 1;
      if (done % 500 === 0) progress(done, tasks.length);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
}

// ---- message classes ----

/** A peer's message with everything file-specific replaced by %: its message class. */
function messageClass(line, path) {
  let text = line.trim();
  if (path) text = text.split(path).join('FILE');
  return text
    .replace(/^readelf: /, '')
    .replace(/'[^']*'/g, "'%'")
    .replace(/\bsymbol (\d+|%) \(.*?\)(?=[:) ]|$)/g, 'symbol % (%)')
    .replace(/\[\s*\d+\]/g, '[%]')
    .replace(/0x[0-9a-fA-F]+/g, '%')
    .replace(/(?<![A-Za-z_%])\d+(?![A-Za-z_])/g, '%')
    .replace(/\s+/g, ' ');
}

function lookup(map, cls) {
  return map.find((entry) => (entry.match instanceof RegExp ? entry.match.test(cls) : entry.match === cls));
}

function familyOf(cls, entry) {
  if (entry?.family) return entry.family;
  return FAMILIES.find(([, pattern]) => pattern.test(cls))?.[0] ?? 'other';
}

function ruleFamily(rule, category) {
  return RULE_FAMILIES.find(([, pattern]) => pattern.test(rule))?.[0] ?? (category === 'hardening' ? 'hardening' : 'other');
}

// ---- the run ----

const started = performance.now();
const triplet = hostTriplet();
const fullRoots = ['/usr/bin', `/usr/lib/${triplet}`];
const seen = new Set();
const groups = [];
const fullFiles = fullRoots.flatMap((dir) => elfFilesUnder(dir, new Set(), seen));
groups.push({ id: 'usr', title: `every ELF file under ${fullRoots.join(' and ')}`, files: fullFiles, real: true });
const sampleRoots = ['/usr/sbin', '/usr/libexec', '/usr/lib', '/usr/local'];
const elsewhere = sampleRoots.flatMap((dir) => elfFilesUnder(dir, new Set(fullRoots), seen));
groups.push({ id: 'sample', title: `an even sample of ${Math.min(SAMPLE, elsewhere.length)} of the ${elsewhere.length.toLocaleString('en-US')} ELF files under ${sampleRoots.join(', ')} (not the above)`, files: evenSample(elsewhere, SAMPLE), real: true });
const zooDir = resolve(values.zoo ?? join(ROOT, 'node_modules', '.cache', 'elf-lint-zoo', zooKey()));
const zoo = buildZoo(zooDir, (line) => say(`zoo: ${line}`));
groups.push({ id: 'zoo', title: `the toolchain zoo (scripts/toolchain-zoo.mjs: ${zoo.outputs.length} outputs)`, files: zoo.outputs.map((output) => output.path), real: true });
if (!values['no-corpus']) {
  const corpus = elfFilesUnder(join(ROOT, 'corpus'));
  groups.push({ id: 'corpus', title: "elf-lint's corpus (hand-made files, most broken on purpose; not toolchain output)", files: corpus, real: false });
}
const groupOf = new Map();
for (const group of groups) for (const file of group.files) groupOf.set(file, group.id);
const allFiles = groups.flatMap((group) => group.files);
say(`${allFiles.length} files: ${groups.map((group) => `${group.id} ${group.files.length}`).join(', ')}`);

const euVersion = available('eu-elflint', ['--version']);
const readelfVersion = available('readelf', ['--version']);
const readelfLint = readelfVersion !== undefined && /--lint/.test(spawnSync('readelf', ['--help'], { encoding: 'utf8' }).stdout ?? '');

/** Per tool: message class → { files: Map(group → Set(file)), lines } */
const peerClasses = { eu: new Map(), readelf: new Map() };
const failures = { eu: [], readelf: [] };
function record(tool, cls, file) {
  let entry = peerClasses[tool].get(cls);
  if (!entry) peerClasses[tool].set(cls, (entry = { files: new Set(), lines: 0 }));
  entry.files.add(file);
  entry.lines += 1;
}

/** elf-lint: rule → { severity, category, files: Set, findings }; per file: rules; totals per group. */
const ruleHits = new Map();
const rulesOfFile = new Map();
const lintTotals = new Map(groups.map((group) => [group.id, { files: 0, errorFiles: 0, errors: 0, warnings: 0, infos: 0, unreadable: 0, verdicts: new Map() }]));
const lintFailures = [];

const tasks = [];
for (let i = 0; i < allFiles.length; i += BATCH) {
  const batch = allFiles.slice(i, i + BATCH);
  tasks.push(async () => {
    const result = await runTool(process.execPath, [CLI, 'lint', '--format', 'json', '--profile', 'all', '--fail-on-verdict', 'none', '--', ...batch], true);
    let report;
    try {
      report = JSON.parse(result.stdout);
    } catch {
      lintFailures.push(`batch of ${batch.length} from ${batch[0]}: exit ${result.code ?? result.signal}: ${result.stderr.trim().split('\n')[0] ?? ''}`);
      return;
    }
    for (const file of report.files) {
      const totals = lintTotals.get(groupOf.get(file.path));
      if (!totals) continue;
      totals.files += 1;
      if (file.error !== undefined) totals.unreadable += 1;
      const verdict = file.loader?.verdict ?? 'none';
      totals.verdicts.set(verdict, (totals.verdicts.get(verdict) ?? 0) + 1);
      const rules = new Set();
      let errors = 0;
      for (const finding of file.findings ?? []) {
        if (finding.severity === 'error') errors += 1;
        else if (finding.severity === 'warning') totals.warnings += 1;
        else totals.infos += 1;
        rules.add(finding.rule);
        let hit = ruleHits.get(finding.rule);
        if (!hit) ruleHits.set(finding.rule, (hit = { severity: finding.severity, category: finding.category, files: new Set(), findings: 0 }));
        hit.files.add(file.path);
        hit.findings += 1;
      }
      totals.errors += errors;
      if (errors > 0) totals.errorFiles += 1;
      rulesOfFile.set(file.path, rules);
    }
  });
}
if (euVersion) {
  for (const file of allFiles) {
    tasks.push(async () => {
      const result = await runTool('eu-elflint', ['--gnu-ld', '--quiet', file], true);
      if (result.signal || (result.code !== 0 && result.code !== 1)) failures.eu.push(`${file}: ${result.signal ?? `exit ${result.code}`}`);
      for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
        if (line.trim() === '' || line.trim() === 'No errors') continue;
        record('eu', messageClass(line, file), file);
      }
    });
  }
}
if (readelfLint) {
  for (const file of allFiles) {
    tasks.push(async () => {
      const result = await runTool('readelf', ['--lint', '-a', '-W', file], false);
      if (result.signal) failures.readelf.push(`${file}: ${result.signal}`);
      for (const line of result.stderr.split('\n')) {
        if (!/^readelf: (Warning|Error): /.test(line)) continue;
        record('readelf', messageClass(line, file), file);
      }
    });
  }
}
await pool(tasks, JOBS, (done, total) => say(`${done}/${total} tool runs`));
const seconds = (performance.now() - started) / 1000;
say(`done in ${seconds.toFixed(0)} s`);

// ---- the document ----

const fmt = (n) => n.toLocaleString('en-US');
const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text) => `\`${String(text).replace(/`/g, "'")}\``;
const realGroups = groups.filter((group) => group.real);
const countIn = (files, groupId) => [...files].filter((file) => groupOf.get(file) === groupId).length;
const realCount = (files) => realGroups.reduce((sum, group) => sum + countIn(files, group.id), 0);

function verdictText(entry) {
  if (!entry) return 'unmapped';
  if (entry.rule) return `${code(entry.rule)}${entry.note ? `: ${entry.note}` : ''}`;
  if (entry.falsePositive) return `false positive: ${entry.falsePositive}`;
  return `not matched: ${entry.notMatched}`;
}

/** How many files with this class also get a finding of the mapped rule. */
function agreement(files, entry) {
  if (!entry?.rule) return '';
  const rules = entry.rule.split(/,\s*/);
  return fmt([...files].filter((file) => rules.some((rule) => rulesOfFile.get(file)?.has(rule))).length);
}

/** A file to look at: the first in path order, a real one before a corpus file, named briefly. */
function example(files) {
  const sorted = [...files].sort((a, b) => Number(groupOf.get(a) === 'corpus') - Number(groupOf.get(b) === 'corpus') || (a < b ? -1 : 1));
  const file = sorted[0];
  if (!file) return '';
  if (file.startsWith(zooDir)) return code(`zoo/${relative(zooDir, file)}`);
  const inRepo = relative(ROOT, file);
  return code(inRepo.startsWith('..') ? file : inRepo);
}

function peerSection(tool, title, map) {
  const classes = [...peerClasses[tool].entries()].map(([cls, data]) => {
    const entry = lookup(map, cls);
    return { cls, data, entry, family: familyOf(cls, entry) };
  });
  const lines = [];
  const header = `| message class | ${groups.map((group) => group.id).join(' | ')} | elf-lint also reports it (files) | elf-lint | for example |`;
  const rule = `| --- | ${groups.map(() => '---:').join(' | ')} | ---: | --- | --- |`;
  for (const family of [...FAMILIES.map(([name]) => name), 'other']) {
    const rows = classes.filter((row) => row.family === family).sort((a, b) => realCount(b.data.files) - realCount(a.data.files) || b.data.files.size - a.data.files.size || (a.cls < b.cls ? -1 : 1));
    if (rows.length === 0) continue;
    lines.push(`#### ${title}: ${family}`, '', header, rule);
    for (const row of rows) {
      lines.push(`| ${code(cell(row.cls))} | ${groups.map((group) => fmt(countIn(row.data.files, group.id))).join(' | ')} | ${agreement(row.data.files, row.entry)} | ${cell(verdictText(row.entry))} | ${example(row.data.files)} |`);
    }
    lines.push('');
  }
  const unmapped = classes.filter((row) => !row.entry);
  const filesWith = new Set(classes.flatMap((row) => [...row.data.files]));
  return { lines, classes, unmapped, filesWith };
}

const machine = `${spawnSync('uname', ['-srm'], { encoding: 'utf8' }).stdout.trim()}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`;
const commit = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || 'unknown';
const dirty = (spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout ?? '').trim() !== '';
const today = new Date().toISOString().slice(0, 16).replace('T', ' ');
const doc = [];
doc.push('# elf-lint beside eu-elflint and readelf --lint', '');
doc.push(`Generated by \`npm run compare\` (scripts/compare.mjs) on ${today} UTC, on ${machine}, ` +
  `Node ${process.version}. elf-lint ${commit}${dirty ? ' with uncommitted changes under src/' : ''}; ${euVersion ?? 'eu-elflint not installed'}; ${readelfVersion ?? 'readelf not installed'}. Took ${seconds.toFixed(0)} s with ${JOBS} jobs.`, '');
doc.push('The commands, per file:', '', '```sh',
  'node dist/cli/main.js lint --format json --profile all --fail-on-verdict none -- FILE...   # in batches',
  euVersion ? 'eu-elflint --gnu-ld --quiet FILE' : '# eu-elflint: not installed',
  readelfLint ? 'readelf --lint -a -W FILE >/dev/null   # its warnings and errors on stderr' : `# readelf: ${readelfVersion ? 'this readelf has no --lint' : 'not installed'}`,
  '```', '');
doc.push('A peer message becomes a *message class*: quoted names, symbol names, section indices and numbers are replaced by `%`. ' +
  'Each class is looked up in [scripts/compare-map.mjs](../scripts/compare-map.mjs), which says which elf-lint rule reports the same fault ' +
  '("elf-lint also reports it" counts the files where that rule fired too), or why none does: *not matched* (a check elf-lint does not have yet, or leaves to other tools) ' +
  'or *false positive* (the peer is wrong about correct toolchain output, so elf-lint deliberately says nothing). *unmapped* classes are not in the map yet. ' +
  'Counts are files (a class counted once per file, however many lines).', '');
doc.push('## Files', '', '| group | files | what |', '| --- | ---: | --- |');
for (const group of groups) doc.push(`| ${group.id} | ${fmt(group.files.length)} | ${cell(group.title)} |`);
doc.push('');
if (zoo.skipped.length > 0) {
  doc.push('Zoo recipes skipped:', '');
  for (const skip of zoo.skipped) doc.push(`- ${code(skip.name)}: ${cell(skip.reason)}`);
  doc.push('');
} else {
  doc.push(`No zoo recipe was skipped (gcc, gcc -m32, gcc -mx32 and every cross binutils on this machine).`, '');
}

const summaries = [];
if (euVersion) summaries.push(['eu', 'eu-elflint --gnu-ld', peerSection('eu', 'eu-elflint --gnu-ld', EU_ELFLINT)]);
if (readelfLint) summaries.push(['readelf', 'readelf --lint', peerSection('readelf', 'readelf --lint', READELF)]);
const ruleList = JSON.parse(spawnSync(process.execPath, [CLI, 'rules', '--format', 'json'], { encoding: 'utf8' }).stdout || '[]');
doc.push('## Who reports what, per check family', '',
  'Per family: how many message classes each peer printed on real toolchain output (the usr, sample and zoo groups) and on how many of those files, ' +
  'and the elf-lint rules of the family with the files they fired on. The sections below give every class.', '');
doc.push(`| family | ${summaries.map(([, title]) => `${title}: classes, real files`).join(' | ')} | elf-lint rules | elf-lint: files with findings |`,
  `| --- | ${summaries.map(() => '---').join(' | ')} | --- | ---: |`);
for (const family of [...FAMILIES.map(([name]) => name), 'other']) {
  const peerCells = summaries.map(([, , section]) => {
    const rows = section.classes.filter((row) => row.family === family && realCount(row.data.files) > 0);
    if (rows.length === 0) return '-';
    const falsePositives = rows.filter((row) => row.entry?.falsePositive).length;
    return `${rows.length}${falsePositives > 0 ? ` (${falsePositives} false positive)` : ''}, ${fmt(realCount(new Set(rows.flatMap((row) => [...row.data.files]))))}`;
  });
  const rules = ruleList.filter((meta) => ruleFamily(meta.id, meta.category) === family).map((meta) => meta.id);
  const hitFiles = new Set(rules.flatMap((id) => [...(ruleHits.get(id)?.files ?? [])]));
  if (rules.length === 0 && peerCells.every((text) => text === '-')) continue;
  doc.push(`| ${family} | ${peerCells.join(' | ')} | ${rules.length === 0 ? 'none yet' : `${rules.length}: ${rules.map(code).join(', ')}`} | ${fmt(realCount(hitFiles))} |`);
}
doc.push('');

doc.push('## elf-lint', '', 'Findings over the same files (the target is no error on real toolchain output: the usr, sample and zoo groups).', '');
doc.push('| group | files | files with errors | errors | warnings | infos | unreadable | loader verdicts |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const group of groups) {
  const t = lintTotals.get(group.id);
  const verdicts = [...t.verdicts.entries()].sort((a, b) => b[1] - a[1]).map(([verdict, n]) => `${verdict} ${fmt(n)}`).join(', ');
  doc.push(`| ${group.id} | ${fmt(t.files)} | ${fmt(t.errorFiles)} | ${fmt(t.errors)} | ${fmt(t.warnings)} | ${fmt(t.infos)} | ${fmt(t.unreadable)} | ${verdicts} |`);
}
doc.push('');
if (lintFailures.length > 0) doc.push('elf-lint batches that failed:', '', ...lintFailures.map((failure) => `- ${cell(failure)}`), '');
doc.push('Findings by rule (files with at least one finding of the rule):', '');
doc.push(`| rule | severity | family | ${groups.map((group) => group.id).join(' | ')} |`, `| --- | --- | --- | ${groups.map(() => '---:').join(' | ')} |`);
for (const [ruleId, hit] of [...ruleHits.entries()].sort((a, b) => realCount(b[1].files) - realCount(a[1].files) || (a[0] < b[0] ? -1 : 1))) {
  doc.push(`| ${code(ruleId)} | ${hit.severity} | ${ruleFamily(ruleId, hit.category)} | ${groups.map((group) => fmt(countIn(hit.files, group.id))).join(' | ')} |`);
}
doc.push('');
const onReal = [...ruleHits.entries()].filter(([, hit]) => realCount(hit.files) > 0);
if (onReal.length > 0) {
  doc.push('Findings on real toolchain output (an error here is a bug in a rule or a truly broken file):', '');
  for (const [ruleId, hit] of onReal) {
    const real = [...hit.files].filter((file) => groupOf.get(file) !== 'corpus');
    doc.push(`- ${code(ruleId)} (${hit.severity}): ${fmt(real.length)} file${real.length === 1 ? '' : 's'}, such as ${example(real)}`);
  }
  doc.push('');
}

for (const [tool, title, section] of summaries) {
  doc.push(`## ${title}`, '');
  const mappedRule = section.classes.filter((row) => row.entry?.rule).length;
  const fp = section.classes.filter((row) => row.entry?.falsePositive).length;
  const nm = section.classes.filter((row) => row.entry?.notMatched).length;
  doc.push(`${fmt(section.classes.length)} message classes on ${fmt(section.filesWith.size)} of ${fmt(allFiles.length)} files ` +
    `(${fmt(realCount(section.filesWith))} of ${fmt(realGroups.reduce((n, g) => n + g.files.length, 0))} real files): ` +
    `${mappedRule} reported by an elf-lint rule, ${nm} not matched, ${fp} false positives, ${section.unmapped.length} unmapped.`, '');
  if (failures[tool].length > 0) doc.push(`The tool failed (a signal or an unexpected exit status) on ${failures[tool].length} files: ${failures[tool].slice(0, 5).map(code).join(', ')}.`, '');
  doc.push(...section.lines);
  if (section.unmapped.length > 0) {
    doc.push(`Unmapped ${title} classes (add a line to scripts/compare-map.mjs):`, '');
    for (const row of section.unmapped) doc.push(`- ${code(cell(row.cls))}`);
    doc.push('');
  }
}
if (!readelfLint) doc.push('## readelf --lint', '', readelfVersion ? `${readelfVersion} has no \`--lint\` option (binutils 2.40 and later have it).` : 'readelf is not installed.', '');
writeFileSync(values.out, `${doc.join('\n').trimEnd()}\n`);
say(`wrote ${relative(process.cwd(), values.out) || values.out}`);
for (const [, title, section] of summaries) say(`${title}: ${section.classes.length} classes on ${section.filesWith.size} files, ${section.unmapped.length} unmapped`);
for (const group of groups) {
  const t = lintTotals.get(group.id);
  say(`elf-lint ${group.id}: ${t.files} files, ${t.errors} errors in ${t.errorFiles} files, ${t.warnings} warnings`);
}
