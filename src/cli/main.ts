#!/usr/bin/env node
// Where the command line starts. The CLI itself (program.ts and everything it
// loads) is one script bundled at build time, elf-lint.cjs: one file to read
// instead of a hundred modules to resolve. It is compiled with the V8 code
// cache the build recorded beside it (elf-lint.cache), so that checking one
// small file costs little more than starting Node. A cache V8 refuses (another
// Node version, other V8 flags) only makes the start slower.
import { createRequire } from 'node:module';
import { EXIT_INTERNAL } from './exit-codes.js';

// Node's modules through require: an ES import of node:fs builds a facade of all its exports, whose
// getters load the whole stream machinery, a tenth of a small run.
const require = createRequire(import.meta.url);
const { readFileSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
const { dirname } = require('node:path') as typeof import('node:path');
const { fileURLToPath } = require('node:url') as typeof import('node:url');
const { Script } = require('node:vm') as typeof import('node:vm');

/** Set by the build (scripts/finish-build.mjs): record the code cache of this run into that file. */
const RECORD_CACHE_VARIABLE = 'ELF_LINT_RECORD_CODE_CACHE';

const bundlePath = fileURLToPath(new URL('./elf-lint.cjs', import.meta.url));
const cachePath = fileURLToPath(new URL('./elf-lint.cache', import.meta.url));

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

const source = readOptional(bundlePath);
if (source === undefined) {
  process.stderr.write(`elf-lint: ${bundlePath} is missing: this copy of elf-lint is not built (run npm run build)\n`);
  process.exit(EXIT_INTERNAL);
}
// The wrapper is CommonJS's own; it shares the first line with the bundle, so line numbers in stack traces stay true.
// The build leaves the bundle pure ASCII, which Latin-1 decodes at memory speed (UTF-8 decoding takes far longer).
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('latin1')}\n})`, {
  filename: bundlePath,
  cachedData: readOptional(cachePath),
});
if (process.env['ELF_LINT_DEBUG'] === '1') {
  const state = script.cachedDataRejected === undefined ? 'missing' : script.cachedDataRejected ? 'refused by V8 (compiled anew)' : 'used';
  process.stderr.write(`elf-lint: code cache ${cachePath}: ${state}\n`);
}
const recordTo = process.env[RECORD_CACHE_VARIABLE];
// At exit, the cache holds every function this run compiled, not only the top level.
if (recordTo) process.on('exit', () => writeFileSync(recordTo, script.createCachedData()));
type CommonJsWrapper = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, directory: string) => void;
const bundleModule = { exports: {} };
(script.runInThisContext() as CommonJsWrapper).call(bundleModule.exports, bundleModule.exports, createRequire(bundlePath), bundleModule, bundlePath, dirname(bundlePath));
