// Writes docs/rules/ from the rule metadata (through the compiled dist/).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readmeWithRuleTable, ruleDocFiles } from '../dist/rules/docs.js';

const directory = new URL('../docs/rules/', import.meta.url);
mkdirSync(directory, { recursive: true });
const files = ruleDocFiles();
for (const name of readdirSync(directory)) if (!files.has(name)) rmSync(new URL(name, directory));
for (const [name, text] of files) writeFileSync(new URL(name, directory), text);
console.log(`wrote ${files.size} pages to docs/rules/`);
const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, readmeWithRuleTable(readFileSync(readme, 'utf8')));
console.log('updated the rule table in README.md');
// The README's layout map of the seed (`elf-lint map --format svg corpus/hello`).
const { mapOfInput } = await import('../dist/cli/map-command.js');
const { renderMapSvg } = await import('../dist/report/map-svg.js');
const seed = 'corpus/hello';
const map = mapOfInput({ path: seed, bytes: readFileSync(new URL(`../${seed}`, import.meta.url)) }, { privileged: false });
writeFileSync(new URL('../docs/map-hello.svg', import.meta.url), renderMapSvg(map, { idPrefix: 'map-', standalone: true }));
console.log('wrote docs/map-hello.svg');
