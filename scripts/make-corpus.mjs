// Writes corpus/ from src/gen/corpus.ts (through the compiled dist/).
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { buildElf } from '../dist/gen/build.js';
import { CORPUS, corpusReadme } from '../dist/gen/corpus.js';

const directory = new URL('../corpus/', import.meta.url);
mkdirSync(directory, { recursive: true });
for (const entry of CORPUS) {
  const target = new URL(entry.name, directory);
  writeFileSync(target, buildElf(entry.spec));
  chmodSync(target, 0o755);
}
writeFileSync(new URL('README.md', directory), corpusReadme());
console.log(`wrote ${CORPUS.length} files to corpus/`);
