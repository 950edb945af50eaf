// Process-level output helpers shared by the commands.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const manifest = require('../../package.json') as { name: string; version: string };

export const TOOL = { name: manifest.name, version: manifest.version } as const;

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

export function write(text: string): void {
  process.stdout.write(text);
}
