// `npm run bench:lint`: elf-lint against eu-elflint and readelf on the same
// ELF files (default: every ELF file under /usr/bin), same machine, same run.
// Each tool runs as one process over all files; the median of 3 runs counts.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { collectInputs } from '../dist/cli/inputs.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '3' } } });
const roots = positionals.length > 0 ? positionals : ['/usr/bin'];
const files = [...collectInputs(roots)].filter((input) => !('error' in input)).map((input) => input.path);
const bytes = [...collectInputs(roots)].reduce((sum, input) => sum + ('bytes' in input ? input.bytes.length : 0), 0);
const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;

function available(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function median(command, args) {
  const times = [];
  for (let i = 0; i < Number(values.runs); i += 1) {
    const started = performance.now();
    spawnSync(command, args, { stdio: 'ignore', maxBuffer: 1 << 30 });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

console.log(`${files.length} ELF files, ${(bytes / 1e6).toFixed(0)} MB, under ${roots.join(', ')}`);
const tools = [
  ['elf-lint --format json', process.execPath, [cli, '--format', 'json', ...files]],
  ['eu-elflint --gnu-ld', 'eu-elflint', ['--gnu-ld', '--quiet', ...files]],
  ['readelf --lint -lhS', 'readelf', ['--lint', '-lhSW', ...files]],
];
const results = [];
for (const [name, command, args] of tools) {
  if (!available(command)) {
    console.log(`${name}: not installed, skipped`);
    continue;
  }
  const ms = median(command, args);
  results.push([name, ms]);
}
const base = results[0]?.[1] ?? 1;
for (const [name, ms] of results) console.log(`${name.padEnd(24)} ${(ms / 1000).toFixed(2)} s  ${Math.round((files.length * 1000) / ms)} files/s  ${(ms / base).toFixed(2)}x elf-lint's time`);
