// tsc does not copy the Kaitai-generated CommonJS parser; put it beside the
// compiled facade and make the CLI executable.
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

const root = new URL('..', import.meta.url);
mkdirSync(new URL('dist/parse/generated/', root), { recursive: true });
copyFileSync(new URL('src/parse/generated/Elf.cjs', root), new URL('dist/parse/generated/Elf.cjs', root));
chmodSync(new URL('dist/cli/main.js', root), 0o755);
