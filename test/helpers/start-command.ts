import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm start`'s node arguments (`npm run serve`: `<flags> dist/main.js`), read from package.json so that tests
 * and benches run the server exactly as it ships. The build it needs is `buildServer()`.
 */
export const START_ARGS: string[] = (() => {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const node = /^node (.+)$/.exec(scripts.serve ?? '');
  if (!node) throw new Error('package.json: "serve" is not "node … dist/main.js"');
  return node[1]!.split(/\s+/);
})();

/** `npm run build` (esbuild, about 0.1 s): dist/ from this tree. */
export function buildServer(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
}
