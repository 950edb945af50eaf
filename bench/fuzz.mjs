// `npm run bench:fuzz`: fuzz throughput against a plain C fork/exec loop on
// the same seed, same machine, same run. Needs Linux x86-64 and cc.
// Usage: node bench/fuzz.mjs [--count N] [--lint-count N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseElf } from '../dist/parse/parse.js';
import { runCampaign } from '../dist/fuzz/campaign.js';
import { startExecutor } from '../dist/fuzz/executor.js';
import { hostAssumptions } from '../dist/fuzz/environment.js';
import { DEFAULT_ASSUMPTIONS } from '../dist/model/assumptions.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' }, 'lint-count': { type: 'string', default: '200000' } } });
const count = Number(values.count);
const lintCount = Number(values['lint-count']);
const seedPath = new URL('../corpus/hello', import.meta.url).pathname;
const seed = parseElf(readFileSync(seedPath));
const scratch = mkdtempSync(join(tmpdir(), 'elf-lint-bench-'));

function buildForkExec() {
  execFileSync('cc', ['-O2', '-o', join(scratch, 'forkexec'), new URL('forkexec.c', import.meta.url).pathname]);
  writeFileSync(join(scratch, 'hello'), readFileSync(seedPath), { mode: 0o755 });
}

function forkExecParallel(processes) {
  const binary = join(scratch, 'forkexec');
  const target = join(scratch, 'hello');
  const per = Math.floor(count / processes);
  const script = Array.from({ length: processes }, (_, i) => `"${binary}" "${target}" ${per} 2>/dev/null > "${scratch}/rate-${i}" &`).join('\n');
  const started = performance.now();
  execFileSync('sh', ['-c', `${script}\nwait`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = (performance.now() - started) / 1000;
  return Math.round((per * processes) / seconds);
}

async function campaign(exec, jobs, n) {
  const executor = exec ? await startExecutor({ jobs }) : undefined;
  try {
    const result = await runCampaign({
      seed, seedPath, count: n, randomSeed: 7,
      assumptions: exec ? hostAssumptions(false) : DEFAULT_ASSUMPTIONS,
      ...(executor ? { executor } : {}), window: jobs * 4, workers: jobs, timeoutMs: 1000,
    });
    return { rate: Math.round((result.completed * 1000) / result.durationMs), disagreements: result.disagreements.length };
  } finally {
    await executor?.close();
  }
}

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}; seed corpus/hello; node ${process.version}`);
buildForkExec();
const cLoop1 = forkExecParallel(1);
const cLoop2 = forkExecParallel(2);
console.log(`plain C fork/exec loop: ${cLoop1} execs/s on 1 process, ${cLoop2} execs/s on 2`);
const executed = await campaign(true, 2, count);
console.log(`elf-lint fuzz --exec --jobs 2: ${executed.rate} mutants/s (mutate + lint + predict + execute + classify), ${executed.disagreements} disagreements`);
const linted1 = await campaign(false, 1, lintCount);
const linted2 = await campaign(false, 2, lintCount);
console.log(`elf-lint fuzz --no-exec: ${linted1.rate} mutants/s on one thread, ${linted2.rate} mutants/s with --jobs 2 (mutate + lint + predict)`);
console.log(`ratio executed / C loop (2 processes): ${(executed.rate / cLoop2).toFixed(2)}; executed / C loop (1 process): ${(executed.rate / cLoop1).toFixed(2)}`);
rmSync(scratch, { recursive: true, force: true });
