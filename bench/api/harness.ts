import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ApiClient, machineCpuSeconds } from './client.js';
import { buildServer, START_ARGS } from '../../test/helpers/start-command.js';

/**
 * What every benchmark here needs around the measurements: starting Calcast (or another server)
 * as its own process, waiting for a quiet machine, naming the code that was measured, and
 * timing phases for the CPU profile. Shared by bench/api and bench/caldav.
 */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const ADMIN_TOKEN = 'cc_bench-admin-token-0123456789abcdefghij';
export const ADMIN_PASSWORD = 'bench-password-123';

let built = false;
/** Builds once per run, so the server the benches start is the one `npm start` runs from this tree. */
function buildOnce(): void {
  if (!built) buildServer();
  built = true;
}

export const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Named time spans of a run (monotonic µs), to slice a server's CPU profile by phase. */
export class Phases {
  readonly list: { phase: string; fromUs: number; toUs: number }[] = [];

  async run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const fromUs = nowUs();
    try {
      return await fn();
    } finally {
      this.list.push({ phase: name, fromUs, toUs: nowUs() });
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/**
 * Spawns a server process and waits until `ready(port)` says it answers (30 s at most).
 * Its output is collected for the error message if it dies or never answers.
 */
export async function spawnServer(
  name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; port: number },
  ready: (port: number) => Promise<boolean>, timeoutMs = 30_000,
): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => { out = (out + c.toString()).slice(-20_000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const failed: { error: Error | null } = { error: null };
  child.once('error', (err) => { failed.error = err; });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (failed.error) throw new Error(`${name} could not be started: ${failed.error.message}`);
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out}`);
    try {
      if (await ready(options.port)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${timeoutMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port: options.port, output: () => out };
}

/**
 * Builds and starts Calcast as `npm start` does (`node <flags> dist/main.js`) on a free port over `dataDir`, with the bench
 * admin token and password, optionally under `node --cpu-prof`; resolves once
 * `GET /readyz` answers 200. `env` is added last (e.g. CALCAST_DATABASE_URL for PostgreSQL).
 */
export async function startServer(dataDir: string, profileDir: string | null, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const port = await freePort();
  // The same flags as `npm start` (package.json): the benches measure the server as it runs.
  buildOnce();
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...START_ARGS];
  const fullEnv = {
    ...process.env, CALCAST_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1',
    CALCAST_ADMIN_TOKEN: ADMIN_TOKEN, CALCAST_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env,
  };
  return spawnServer('the server', process.execPath, args, { env: fullEnv, port }, async (p) => {
    const probe = new ApiClient('127.0.0.1', p, ADMIN_TOKEN, 1);
    try {
      // The load balancer's probe: the store answers. (Not an API call that itself allocates.)
      return (await probe.request('GET', '/readyz', undefined, false)).status === 200;
    } finally {
      probe.close();
    }
  });
}

/** SIGTERM, then SIGKILL after 20 s; resolves when the process has exited. */
export function stopServer(server: RunningServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
    server.child.once('exit', () => { clearTimeout(kill); resolve(); });
    server.child.kill('SIGTERM');
  });
}

/**
 * Which code was measured: the commit, whether src/ has uncommitted changes, and a hash of
 * src/ and migrations/ as they are on disk (other people may be editing them).
 */
export function codeVersion(): { commit: string; dirty: boolean; srcHash: string } {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(`${REPO}${dir}`, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else hash.update(rel).update('\0').update(readFileSync(`${REPO}${rel}`)).update('\0');
    }
  };
  walk('src');
  walk('migrations');
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    dirty: git('status', '--porcelain', '--', 'src', 'migrations') !== '',
    srcHash: hash.digest('hex').slice(0, 12),
  };
}

/**
 * The machine may be shared (other people's tests, builds): wait until the rest of it has been
 * nearly idle (under 10% of a core) for 3 s in a row, for at most `maxSeconds`. Processes this
 * bench started count as "the rest" too, so call it while they are idle.
 */
export async function waitForQuiet(maxSeconds: number): Promise<void> {
  if (maxSeconds <= 0 || machineCpuSeconds() === null) return;
  const deadline = Date.now() + maxSeconds * 1000;
  let quietFor = 0;
  let said = false;
  while (quietFor < 3) {
    const m0 = machineCpuSeconds()!;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 1000));
    const c = process.cpuUsage(c0);
    const others = (machineCpuSeconds()! - m0 - (c.user + c.system) / 1e6) / ((performance.now() - t0) / 1000);
    quietFor = others < 0.1 ? quietFor + 1 : 0;
    if (quietFor === 0 && !said) {
      console.log(`Waiting for the machine to be quiet (other processes use ${(100 * others).toFixed(0)}% of a core)…`);
      said = true;
    }
    if (Date.now() > deadline) {
      console.log(`The machine stayed busy for ${maxSeconds} s; running anyway, expect noisy numbers.`);
      return;
    }
  }
  if (said) console.log('…quiet now.');
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ms = (n: number) => (Number.isFinite(n) ? `${fmt(n, 2)} ms` : 'n/a');

/** Prints rows as a Markdown table, columns padded. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}
