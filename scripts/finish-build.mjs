// The build after tsc: the Kaitai-generated CommonJS parser beside the compiled
// facade (tsc does not copy it), the CLI and its lint worker bundled into one
// script each (esbuild), and the V8 code cache of a typical run recorded beside
// the CLI's bundle (src/cli/main.ts loads both).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const path = (relative) => fileURLToPath(new URL(relative, root));

mkdirSync(path('dist/parse/generated/'), { recursive: true });
copyFileSync(path('src/parse/generated/Elf.cjs'), path('dist/parse/generated/Elf.cjs'));

// The launcher with the constants it imports built in: each further ES module a start resolves and reads costs it about a millisecond.
await build({ entryPoints: [path('src/cli/main.ts')], outfile: path('dist/cli/main.js'), bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
chmodSync(path('dist/cli/main.js'), 0o755);
// The same launcher as CommonJS, which package.json's bin names: an ES module entry starts Node's ESM
// loader (some twenty internal modules) before any of our code runs. dist/cli/main.js stays for those
// who run it by path.
await build({
  entryPoints: [path('src/cli/main.ts')], outfile: path('dist/cli/main.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  define: { 'import.meta.url': 'launcherUrl' }, banner: { js: 'const launcherUrl = require("node:url").pathToFileURL(__filename).href;' }, logLevel: 'warning',
});
chmodSync(path('dist/cli/main.cjs'), 0o755);

/**
 * Inside a bundle, each module's import.meta.url is the URL of its own compiled file under dist/, as it
 * is when the modules run unbundled: paths made relative to it (workers, runner.c, package.json) stay right.
 */
function moduleUrls() {
  const sources = path('src/');
  return {
    name: 'module-urls',
    setup(builder) {
      builder.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
        const compiled = relative(sources, args.path).replace(/\.ts$/, '.js').split(sep).join('/');
        const text = readFileSync(args.path, 'utf8');
        return { loader: 'ts', contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(compiled)}, distUrl).href`) };
      });
    },
  };
}

/**
 * Node's modules that take milliseconds to load and that most runs never use (commander loads
 * child_process for subcommands we do not have; zlib is for compressed sections, worker_threads
 * for big batches, crypto for shards, fingerprints and the fuzzer): each import becomes an object
 * that loads the module on first use. esbuild copies an imported module's property names when the
 * bundle starts, so the object lists them without loading it: the names this Node exports.
 */
function lazyBuiltins(names) {
  const filter = new RegExp(`^(${names.join('|')})$`);
  const require = createRequire(import.meta.url);
  return {
    name: 'lazy-builtins',
    setup(builder) {
      builder.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'lazy-builtin' }));
      builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        // The plain name (zlib, not node:zlib) escapes the filter above, so esbuild leaves it to Node.
        const plain = args.path.slice('node:'.length);
        return {
          loader: 'js',
          contents: `const names = ${JSON.stringify(Object.keys(require(plain)))};
let loaded;
const load = () => (loaded ??= require(${JSON.stringify(plain)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => names.includes(key),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_, key) => (names.includes(key) ? { configurable: true, enumerable: true, writable: false, value: undefined } : undefined),
});`,
        };
      });
    },
  };
}

/**
 * Packages imported as their CommonJS build: esbuild wraps each CommonJS module in a function run on its
 * first require, where an ES build's modules are set up when the bundle starts, used or not (zod's
 * namespaces alone define about a thousand getters, for a schema read only with a configuration file).
 */
function commonJsPackages(names) {
  const filter = new RegExp(`^(${names.join('|')})$`);
  const require = createRequire(import.meta.url);
  return {
    name: 'commonjs-packages',
    setup(builder) {
      builder.onResolve({ filter }, (args) => ({ path: require.resolve(args.path) }));
    },
  };
}

const manifest = JSON.parse(readFileSync(path('package.json'), 'utf8'));

// V8 checks a code cache against the script's length, not its text: a cache must never outlive its bundle.
const cache = path('dist/cli/elf-lint.cache');
rmSync(cache, { force: true });

// CommonJS, so that the launcher can compile it with a code cache (Node 20 caches no ES module).
// The dynamic imports of our own modules become functions that evaluate those modules on first use.
await build({
  entryPoints: {
    'cli/elf-lint': path('src/cli/program.ts'),
    'cli/lint-worker': path('src/cli/lint-worker.ts'),
    'fuzz/lint-worker': path('src/fuzz/lint-worker.ts'),
  },
  outdir: path('dist'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The Kaitai runtime names iconv-lite for encodings our schema never uses.
  external: ['iconv-lite'],
  // Every bundle sits one folder below dist/, so `distUrl` is dist/ itself.
  banner: { js: 'const distUrl = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "/")).href;' },
  // src/cli/io.ts reads it from package.json when it runs unbundled.
  define: { ELF_LINT_MANIFEST: JSON.stringify(JSON.stringify({ name: manifest.name, version: manifest.version })) },
  plugins: [moduleUrls(), commonJsPackages(['zod']), lazyBuiltins(['node:child_process', 'node:crypto', 'node:zlib', 'node:worker_threads'])],
  logLevel: 'warning',
});

// esbuild escapes non-ASCII in strings and regular expressions but copies some comments as they are
// (zod's). One such character makes V8 hold the whole script as a two-byte string, decoded slowly; with
// the bundle pure ASCII, the launcher reads it as Latin-1 at memory speed.
for (const name of ['cli/elf-lint', 'cli/lint-worker', 'fuzz/lint-worker']) {
  const file = path(`dist/${name}.cjs`);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/[^\x00-\x7f]/gu, (character) => `\\u{${character.codePointAt(0).toString(16)}}`));
}

// The cache of one small file's run with the default rules (V8 records it at exit). V8 deserialises
// every function a cache holds before the bundle starts: a cache of a run over the whole corpus with
// every rule made `elf-lint corpus/hello` cost 3 to 5% more instructions; with this one that corpus
// run costs 1.5% more (it compiles the rest on first use).
const recording = `${cache}.${process.pid}`;
const run = spawnSync(process.execPath, [path('dist/cli/main.js'), path('corpus/hello')], {
  env: { ...process.env, ELF_LINT_RECORD_CODE_CACHE: recording },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (run.status !== 0 && run.status !== 1) {
  rmSync(recording, { force: true });
  throw new Error(`recording the code cache failed (exit ${run.status}): ${run.stderr}`);
}
renameSync(recording, cache);
