// mkdir -p that ends. Node 20's recursive mkdir retries for ever when a
// directory cannot be made although its parent exists: procfs answers ENOENT
// to mkdir("/proc/x"), and `--out /proc/x` hung the CLI at full CPU, deaf to
// Ctrl-C. This one tries each directory at most twice and throws the error.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `path` and its missing parents (with `mode`); an existing directory is fine, anything else throws. */
export function makeDirectories(path: string, mode?: number): void {
  const options = mode === undefined ? undefined : { mode };
  try {
    mkdirSync(path, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && isDirectory(path)) return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    makeDirectories(parent, mode);
    try {
      mkdirSync(path, options);
    } catch (again) {
      // Made by someone else meanwhile.
      if ((again as NodeJS.ErrnoException).code === 'EEXIST' && isDirectory(path)) return;
      throw again;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
