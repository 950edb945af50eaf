// The README's commands as a new user types them, through a real `npx`, and the
// hints for paths that are really a swallowed option's value or a misspelt subcommand.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from './support.js';
import { commandFor, optionFor, pathHints } from '../src/cli/hints.js';
import { COMMANDS } from '../src/cli/commands.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const temps: string[] = [];
/** A cache of its own: npm processes of other test files never share logs or locks with these. */
const NPM_CACHE = mkdtempSync(join(tmpdir(), 'elf-lint-npm-cache-'));
temps.push(NPM_CACHE);
const ENV = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_offline: 'true', npm_config_cache: NPM_CACHE, npm_config_ignore_scripts: 'true' };
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * A directory where `npx elf-lint` runs this checkout, as in a project that
 * installed it: node_modules/elf-lint links to the package, .bin to its bin.
 */
function installedProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'elf-lint-npx-'));
  temps.push(dir);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'elf-lint'));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  symlinkSync(`../elf-lint/${manifest.bin['elf-lint']}`, join(dir, 'node_modules', '.bin', 'elf-lint'));
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  cpSync(join(ROOT, 'corpus'), join(dir, 'corpus'), { recursive: true });
  return dir;
}

/**
 * Runs a shell command in a process group of its own (setsid), and kills that group when the command
 * returns: a timeout kills only the shell, and the npx, npm and elf-lint under it must not outlive the test.
 */
function sh(command: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('setsid', ['/bin/sh', '-c', command], { cwd, encoding: 'utf8', env: ENV, timeout: 120_000 });
  try {
    if (result.pid) process.kill(-result.pid, 'SIGKILL');
  } catch {
    // Nothing of the group is left.
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Step {
  readonly command: string;
  readonly output: string;
}

/** Every `$ command` of the README's console and sh blocks, with the output shown after it. */
function readmeBlocks(): Step[][] {
  return [...README.matchAll(/```(?:console|sh)\n([\s\S]*?)```/g)].map((match) =>
    match[1]!.split(/^\$ /m).slice(1).map((step) => {
      const [command, ...output] = step.split('\n');
      return { command: command!, output: output.join('\n') };
    }));
}

/** The exit code each README command documents (the text around it says so); any other must exit 0 or 1. */
const DOCUMENTED_EXIT: Record<string, number> = {
  'npx elf-lint corpus/hello': 0,
  'npx elf-lint corpus/hello-entry-outside': 1,
  'npx elf-lint explain entry-in-load-segment': 0,
  'npx elf-lint fuzz corpus/hello --count 20000 --seed 7 --out disagreements/ --report campaign.json': 0,
  'npx elf-lint lint corpus/hello': 3, // after the invalid .elf-lint.json of its block
  'npx elf-lint lint --disable entry-zero corpus/hello-entry-zero': 1,
  'npx elf-lint lint --disable entry-zero --fail-on-verdict none corpus/hello-entry-zero': 0,
  'npx elf-lint lint --write-baseline elf-lint-baseline.json corpus/hello-entry-outside corpus/hello-wx': 0,
  'npx elf-lint lint --quiet --baseline elf-lint-baseline.json corpus/hello-entry-outside corpus/hello-wx': 0,
};

describe('the README through a real npx', () => {
  const blocks = readmeBlocks().filter((steps) => steps.some((step) => step.command.startsWith('npx elf-lint')));

  it('finds the README\'s npx commands', () => {
    const commands = blocks.flat().map((step) => step.command).filter((command) => command.startsWith('npx elf-lint'));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    expect(commands).toEqual(expect.arrayContaining(Object.keys(DOCUMENTED_EXIT)));
  });

  it.each(blocks.map((steps, index) => [index, steps] as const))('block %i runs as written, with the output and exit code it documents', (_index, steps) => {
    const dir = installedProject();
    for (const { command, output } of steps) {
      // The fuzz example runs 20,000 executed mutants: the test runs the same command with fewer, without executing them.
      const fuzz = command.includes(' fuzz ');
      const line = fuzz ? command.replace('--count 20000', '--count 200 --no-exec') : command;
      const result = sh(line, dir);
      if (command.startsWith('npm ')) continue; // npm ci: the test runs in an installed copy
      if (!command.startsWith('npx elf-lint')) {
        expect(result.code, `${command}: ${result.stderr}`).toBe(0);
        continue;
      }
      // A command without a documented code is a lint run that shows its output: 0 or 1.
      const expected = DOCUMENTED_EXIT[command];
      if (expected === undefined) expect([0, 1], `${command}: ${result.stderr}`).toContain(result.code);
      else expect(result.code, `${command}: ${result.stderr}`).toBe(expected);
      if (!fuzz && output !== '') expect(result.stdout + result.stderr, command).toBe(output);
    }
  }, 180_000);
});

describe('options npm exec takes as its own', () => {
  it('npx passes options after the package name through, and `npx -- elf-lint` and `npx elf-lint --` work too', () => {
    const dir = installedProject();
    // npm versions differ on `npx elf-lint -- ...`: some keep the `--`, some pass it on, and elf-lint drops it.
    const commands = ['npx elf-lint --format json corpus/hello', 'npx -- elf-lint --format json corpus/hello', 'npx elf-lint lint --format json corpus/hello', 'npx elf-lint -- --format json corpus/hello'];
    for (const command of commands) {
      const result = sh(command, dir);
      expect(result.code, `${command}: ${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ schemaVersion: 1, files: [{ path: 'corpus/hello' }] });
    }
  }, 60_000);

  it('npm exec swallows --format: the path "json" gets a hint with the command that works, and that command works', () => {
    const dir = installedProject();
    const swallowed = sh('npm exec elf-lint --format json corpus/hello', dir);
    expect(swallowed.code, swallowed.stderr).toBe(2);
    expect(swallowed.stderr).toContain('elf-lint: json: cannot read: no such file or directory; did you mean --format json? With npx, write: npx -- elf-lint --format json corpus/hello');
    const fixed = sh('npx -- elf-lint --format json corpus/hello', dir);
    const exec = sh('npm exec -- elf-lint --format json corpus/hello', dir);
    expect(exec.code, exec.stderr + exec.stdout.slice(0, 2000)).toBe(0);
    expect(fixed.code, fixed.stderr + fixed.stdout.slice(0, 2000)).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({ files: [{ path: 'corpus/hello', findings: [] }] });
  }, 60_000);

  it('every value a swallowed option leaves behind is recognised', () => {
    expect(['json', 'sarif', 'text', 'gitlab'].map(optionFor)).toEqual(['--format', '--format', '--format', '--format']);
    expect(optionFor('loader')).toBe('--profile');
    expect(optionFor('warning')).toBe('--fail-on');
    expect(optionFor('exec-error,start-fault')).toBe('--fail-on-verdict');
    expect(optionFor('none')).toBe('--fail-on-verdict');
    expect(optionFor('never')).toBe('--overcommit');
    expect(optionFor('wx-segment=error')).toBe('--rule');
    expect(optionFor('entry-zero')).toBe('--disable');
    expect(optionFor('armhf')).toBe('--machine');
    expect(optionFor('corpus/hello')).toBeUndefined();
    expect(optionFor('build')).toBeUndefined();
  });

  it('several swallowed values make one hint with one command line', () => {
    expect(pathHints(['json', 'loader', 'corpus/hello'])).toEqual([
      'json: cannot read: no such file or directory; did you mean --format json --profile loader? With npx, write: npx -- elf-lint --format json --profile loader corpus/hello (npm exec and some npx versions take the options of a command as their own; a -- before the package name passes them on)',
    ]);
  });
});

describe('misspelt subcommands', () => {
  const run = (args: readonly string[], cwd: string) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: ENV });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('`elf-lint rule` and `elf-lint explian X` suggest the command', () => {
    const dir = installedProject();
    const rule = run(['rule'], dir);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toBe('elf-lint: rule: cannot read: no such file or directory; did you mean rules? (elf-lint rules --help says how to use it)\n');
    const explain = run(['explian', 'entry-zero'], dir);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toBe('elf-lint: explian: cannot read: no such file or directory; did you mean explain? (elf-lint explain --help says how to use it)\n');
    const npx = sh('npx elf-lint rule', dir);
    expect(npx.stderr).toContain('did you mean rules?');
  }, 60_000);

  it('a file that exists is linted, whatever its name: no hint', () => {
    const dir = installedProject();
    cpSync(join(dir, 'corpus', 'hello'), join(dir, 'rule'));
    cpSync(join(dir, 'corpus', 'hello'), join(dir, 'json'));
    const result = run(['rule', 'json'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('2 files checked, all clean');
  });

  it('no hint for a plain missing file, or a word far from every command', () => {
    expect(pathHints(['no/such/file'])).toEqual([]);
    expect(pathHints(['hello'])).toEqual([]);
    expect(commandFor('lnit')).toBe('lint');
    expect(commandFor('fuz')).toBe('fuzz');
    expect(commandFor('explian')).toBe('explain');
    expect(commandFor('build')).toBeUndefined();
  });

  it('the list of commands is the CLI\'s', () => {
    const help = run(['--help'], ROOT).stdout;
    const listed = [...help.slice(help.indexOf('Commands:'), help.indexOf('Examples:')).matchAll(/^ {2}([a-z]+)\b/gm)].map((match) => match[1]!);
    expect(listed.length).toBeGreaterThan(4);
    for (const name of listed) expect(COMMANDS).toContain(name);
  });
});
