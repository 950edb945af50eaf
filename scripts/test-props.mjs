// `npm run test:props -- --runs N [--seed S]`: the property tests with more
// cases (or replaying a failure's seed).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } } });
if (!/^\d+$/.test(values.runs)) {
  console.error(`test:props: --runs must be a positive integer, not "${values.runs}"`);
  process.exit(3);
}
const env = { ...process.env, ELF_LINT_PROP_RUNS: values.runs, ELF_LINT_FUZZ_RUNS: values.runs, ...(values.seed ? { ELF_LINT_PROP_SEED: values.seed } : {}) };
const result = spawnSync('npx', ['vitest', 'run', 'test/props', 'test/parse.test.ts'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
