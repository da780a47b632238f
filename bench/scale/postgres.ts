import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { REPO } from '../api/harness.js';

/**
 * A throwaway PostgreSQL cluster for the bench: the test suites' helper
 * (test/helpers/postgres-cluster.sh: initdb + pg_ctl into a temp folder, on a free port), with
 * durability set back to what a production server has. The helper turns fsync off for tests;
 * here fsync and full_page_writes are on, and synchronous_commit stays off, which is the same
 * promise as the SQLite store's WAL + synchronous=NORMAL: a power cut may lose the last
 * commits but never corrupts the database.
 */
export interface Cluster {
  /** postgres://…/calcast (the helper's database; each setup gets its own, see createDatabase). */
  url: string;
  dir: string;
  /** The postmaster: its process tree is every backend, and its reaped children's CPU time. */
  pid: number;
  version: string;
  settings: Record<string, string>;
  createDatabase(name: string): Promise<string>;
  /** With `statements`: zero pg_stat_statements, and read where the time went since. */
  resetStatements(): Promise<void>;
  topStatements(n: number): Promise<Statement[]>;
  stop(): void;
}

/** One normalised statement's share of a run (pg_stat_statements). */
export interface Statement { query: string; calls: number; totalMs: number; meanMs: number; rows: number }


const SCRIPT = `${REPO}test/helpers/postgres-cluster.sh`;
const SETTINGS = ['fsync', 'full_page_writes', 'synchronous_commit', 'shared_buffers', 'max_connections'];

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * `statements`: load pg_stat_statements (a restart), so the bench can say which statements a
 * request costs PostgreSQL. It adds a little work to every statement, so it is off by default.
 */
export async function startCluster(statements = false): Promise<Cluster> {
  const exports = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8' });
  const value = (name: string) => new RegExp(`^export ${name}=(.*)$`, 'm').exec(exports)?.[1] ?? '';
  const url = value('CALCAST_TEST_DATABASE_URL');
  const dir = value('CALCAST_TEST_PGDATA');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    execFileSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore' });
  };
  try {
    // Both are reloadable (sighup) settings: no restart needed.
    for (const setting of ['fsync', 'full_page_writes']) await sql(url, `ALTER SYSTEM SET ${setting} = on`);
    if (statements) {
      await sql(url, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      execFileSync('bash', [SCRIPT, 'restart', dir], { stdio: 'ignore' });
      await sql(url, 'CREATE EXTENSION pg_stat_statements');
    } else {
      await sql(url, 'SELECT pg_reload_conf()');
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = await sql<{ name: string; setting: string; unit: string | null }>(url,
      `SELECT name, setting, unit FROM pg_settings WHERE name IN (${SETTINGS.map((s) => `'${s}'`).join(', ')})`);
    const [{ server_version: version } = { server_version: 'unknown' }] = await sql<{ server_version: string }>(url, 'SHOW server_version');
    const pid = Number(readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n', 1)[0]);
    return {
      url, dir, pid, version, stop,
      settings: Object.fromEntries(rows.map((r) => [r.name, `${r.setting}${r.unit ? ` ${r.unit}` : ''}`])),
      createDatabase: async (name) => {
        await sql(url, `CREATE DATABASE ${name}`);
        return url.replace(/\/[^/]*$/, `/${name}`);
      },
      resetStatements: async () => { if (statements) await sql(url, 'SELECT pg_stat_statements_reset()'); },
      topStatements: async (n) => !statements ? [] : (await sql<{ query: string; calls: string; total: number; mean: number; rows: string }>(url,
        `SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean, rows FROM pg_stat_statements
          ORDER BY total_exec_time DESC LIMIT ${n}`))
        .map((r) => ({ query: r.query.replace(/\s+/g, ' '), calls: Number(r.calls), totalMs: r.total, meanMs: r.mean, rows: Number(r.rows) })),
    };
  } catch (err) {
    stop();
    throw err;
  }
}
