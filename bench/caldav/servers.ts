import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, runPool } from '../api/client.js';
import {
  ADMIN_PASSWORD, freePort, spawnServer, startServer, stopServer, type RunningServer,
} from '../api/harness.js';
import { bodies, DavClient } from './dav.js';

/**
 * The three CalDAV servers of the benchmark: Calcast from this repository, and Radicale and
 * Xandikos from Debian's packages, each on its own free port over a fresh folder, each holding
 * the same two calendars (the big one and its first `small` events).
 */
export type ServerName = 'Calcast' | 'Xandikos' | 'Radicale';
export type Size = 'big' | 'small';

export interface DavServer {
  name: ServerName;
  version: string;
  running: RunningServer;
  client: DavClient;
  /** Collection paths, with the trailing slash. */
  collections: Record<Size, string>;
  /** How the events got in, and how long it took (not a measure: for the record). */
  load: { how: string; ms: number }[];
  stop(): Promise<void>;
}

const LOADER = fileURLToPath(new URL('./load_xandikos.py', import.meta.url));

/** `which` without a shell. */
function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

/** The interpreter a Python script on PATH runs with (its #! line), so we can import its modules. */
function interpreterOf(script: string): string {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
  if (!m) return 'python3';
  return m[1]!.endsWith('/env') && m[2] ? m[2] : m[1]!;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 }).trim() };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, out: (e.stderr || e.message).trim() };
  }
}

/** What is missing to run the bench and its peers, each with how to install it; empty when all is there. */
export function missingPeers(peers: ServerName[]): string[] {
  const problems: string[] = [];
  if (!which('wrk')) problems.push('wrk, which times the fast servers, is not installed: apt-get update && apt-get install -y wrk');
  if (peers.includes('Radicale') && !which('radicale')) {
    problems.push('Radicale is not installed: apt-get update && apt-get install -y radicale   (Debian; or pip install radicale)');
  }
  if (peers.includes('Xandikos')) {
    const x = which('xandikos');
    if (!x) problems.push('Xandikos is not installed: apt-get update && apt-get install -y xandikos   (Debian; or pip install xandikos)');
    else if (!run(interpreterOf(x), ['-c', 'import xandikos.store.git, dulwich.index']).ok) {
      problems.push(`Xandikos's Python modules do not import with ${interpreterOf(x)} (needed to bulk-load it): reinstall xandikos`);
    }
  }
  return problems;
}

/** `radicale --version` says 3.1.8; `xandikos --version` says /usr/bin/xandikos 0.2.8: keep the number. */
const versionOf = (cmd: string) => run(cmd, ['--version']).out.split('\n')[0]?.trim().split(/\s+/).pop() ?? 'unknown';

/** Ready when anything answers HTTP on the port. */
async function answers(port: number): Promise<boolean> {
  const probe = new ApiClient('127.0.0.1', port, '', 1, null);
  try {
    await probe.request('OPTIONS', '/', undefined, false);
    return true;
  } finally {
    probe.close();
  }
}

async function mkcalendar(client: DavClient, path: string, name: string): Promise<void> {
  const r = await client.xml('MKCALENDAR', path, bodies.mkcalendar(name), null);
  if (r.status !== 201) throw new Error(`MKCALENDAR ${path}: ${r.status} ${r.body.slice(0, 300)}`);
}

/**
 * Calcast, loaded as a CalDAV client would: MKCALENDAR, then a PUT of each event file
 * (If-None-Match: *), `concurrency` in flight.
 */
export async function startCalcast(
  dataDir: string, profileDir: string | null, eventsDir: string, names: Record<Size, string[]>, concurrency: number,
): Promise<DavServer> {
  const running = await startServer(dataDir, profileDir);
  const client = new DavClient('127.0.0.1', running.port, { user: 'admin', password: ADMIN_PASSWORD }, concurrency);
  const collections = { big: '/dav/calendars/admin/bench-big/', small: '/dav/calendars/admin/bench-small/' };
  const load: DavServer['load'] = [];
  for (const size of ['big', 'small'] as const) {
    await mkcalendar(client, collections[size], `Bench ${names[size].length}`);
    const files = names[size].map((n) => readFileSync(join(eventsDir, n)));
    const failures: string[] = [];
    const put = await runPool(files.length, concurrency, async (i) => {
      const r = await client.put(`${collections[size]}${encodeURIComponent(names[size][i]!)}`, files[i]!);
      if (r.status !== 201 && failures.length < 5) failures.push(`${names[size][i]}: ${r.status} ${r.body.slice(0, 200)}`);
    });
    if (failures.length) throw new Error(`Calcast refused PUTs:\n  ${failures.join('\n  ')}`);
    const rate = names[size].length / (put.elapsedMs / 1000);
    load.push({ how: `${names[size].length} PUTs, ${concurrency} in flight, ${Math.round(rate)}/s`, ms: put.elapsedMs });
  }
  return {
    name: 'Calcast', version: 'this repository', running, client, collections, load,
    stop: async () => { client.close(); await stopServer(running); },
  };
}

/**
 * Radicale with its file storage written directly, as its documentation describes it: a
 * collection folder with `.Radicale.props` {"tag": "VCALENDAR"} and one .ics file per item.
 * Radicale parses every item the first time it reads a collection and keeps the result in
 * `.Radicale.cache`, as it does on a PUT; the caller's first Depth 1 PROPFIND does that
 * (Radicale.load below) so that the timed requests find the cache warm.
 */
export async function startRadicale(dir: string, eventsDir: string, names: Record<Size, string[]>): Promise<DavServer> {
  const collections = { big: '/bench/big/', small: '/bench/small/' };
  const t0 = performance.now();
  for (const size of ['big', 'small'] as const) {
    const folder = join(dir, 'collection-root', 'bench', size);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '.Radicale.props'), '{"tag": "VCALENDAR"}');
    for (const n of names[size]) copyFileSync(join(eventsDir, n), join(folder, n));
  }
  const filesMs = performance.now() - t0;
  const port = await freePort();
  // Our own config file: Debian's /etc/radicale/config asks for remote_user auth and a rights file.
  const config = join(dir, 'config');
  writeFileSync(config, [
    '[server]', `hosts = 127.0.0.1:${port}`, 'ssl = False',
    '[auth]', 'type = none',
    '[rights]', 'type = owner_only',
    '[storage]', `filesystem_folder = ${dir}`,
    '[logging]', 'level = warning', '',
  ].join('\n'));
  const running = await spawnServer('Radicale', 'radicale', ['--config', config], { port }, answers);
  // auth type none: any user name is accepted; owner_only then gives it /bench/.
  const client = new DavClient('127.0.0.1', port, { user: 'bench', password: 'x' });
  return {
    name: 'Radicale', version: versionOf('radicale'), running, client, collections,
    load: [{ how: 'item files written to its storage folder', ms: filesMs }],
    stop: async () => { client.close(); await stopServer(running); },
  };
}

/**
 * Xandikos, collections made by MKCALENDAR, then filled with load_xandikos.py (Xandikos's
 * own import code, one git commit for all items) while it is stopped, then started again.
 * A PUT costs Xandikos a git commit that grows with the collection: about 30 PUTs/s at 1,000
 * items, so 11,000 PUTs would take many minutes.
 */
export async function startXandikos(dir: string, eventsDir: string, names: Record<Size, string[]>): Promise<DavServer> {
  const collections = { big: '/user/calendars/big/', small: '/user/calendars/small/' };
  const port = await freePort();
  const args = ['-d', dir, '-l', '127.0.0.1', '-p', String(port), '--defaults'];
  const first = await spawnServer('Xandikos', 'xandikos', args, { port }, answers);
  const setup = new DavClient('127.0.0.1', port, null);
  try {
    for (const size of ['big', 'small'] as const) await mkcalendar(setup, collections[size], `Bench ${names[size].length}`);
  } finally {
    setup.close();
    await stopServer(first);
  }
  const python = interpreterOf(which('xandikos')!);
  const load: DavServer['load'] = [];
  for (const size of ['big', 'small'] as const) {
    const t0 = performance.now();
    const r = run(python, [LOADER, join(dir, collections[size]), eventsDir, String(names[size].length)]);
    if (!r.ok || Number(r.out) !== names[size].length) throw new Error(`load_xandikos.py failed: ${r.out}`);
    load.push({ how: `${names[size].length} items by Xandikos's import code, one commit`, ms: performance.now() - t0 });
  }
  const running = await spawnServer('Xandikos', 'xandikos', args, { port }, answers);
  const client = new DavClient('127.0.0.1', port, null);
  return {
    name: 'Xandikos', version: versionOf('xandikos'), running, client, collections, load,
    stop: async () => { client.close(); await stopServer(running); },
  };
}
