import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(path, { recursive: true })` never returns
 * where a folder exists but answers ENOENT for a new child (procfs, e.g. `/proc/nope`, or a
 * dangling symlink): it creates the parent again (EEXIST, taken as success) and retries the
 * child forever. Here each level is tried once, and its error is final.
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p) && dirname(p) !== p; p = dirname(p)) missing.unshift(p);
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (err) {
      // Made meanwhile by another process (or a dangling symlink: its child then fails).
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
