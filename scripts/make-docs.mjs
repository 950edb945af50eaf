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
