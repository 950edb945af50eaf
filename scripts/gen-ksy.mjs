// Regenerates src/parse/generated/Elf.cjs from ksy/elf.ksy with the pinned
// kaitai-struct-compiler (a dev dependency: it is GPL and large).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);
const compiler = require('kaitai-struct-compiler');
const root = new URL('..', import.meta.url);
const ksy = yaml.load(readFileSync(new URL('ksy/elf.ksy', root), 'utf8'));
const files = await compiler.compile('javascript', ksy, null, false);
for (const [name, source] of Object.entries(files)) {
  const target = new URL(`src/parse/generated/${name.replace(/\.js$/, '.cjs')}`, root);
  writeFileSync(target, source);
  console.log(`wrote ${target.pathname}`);
}
