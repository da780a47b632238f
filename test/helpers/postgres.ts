import pg from 'pg';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import type { Clock } from '../../src/util/clock.js';

/**
 * The throwaway cluster .ci/run starts (test/helpers/postgres-cluster.sh). Unset: the
 * PostgreSQL suites are skipped, and say so.
 */
export const TEST_DATABASE_URL = process.env.CALCAST_TEST_DATABASE_URL ?? '';
/** The cluster's folder, for the suites that stop and start the server itself. */
export const TEST_PGDATA = process.env.CALCAST_TEST_PGDATA ?? '';

/** True when there is no PostgreSQL to test against; prints the reason once per suite. */
export function noPostgres(suite: string): boolean {
  if (TEST_DATABASE_URL) return false;
  console.log(`skipped: no PostgreSQL for ${suite} (set CALCAST_TEST_DATABASE_URL, see test/helpers/postgres-cluster.sh)`);
  return true;
}

let counter = 0;

/** A new empty database on the test cluster, and a drop that removes it (closing its connections). */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `calcast_t${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      // Plain DROP first: it waits (up to 5 s) for the backends of a just-closed pool, which
      // pg's pool.end() does not await; FORCE would kill them mid-goodbye and each would log
      // "connection lost". FORCE only for a server a failed test left connected.
      await c.query(`DROP DATABASE IF EXISTS ${name}`).catch((err: { code?: string }) => {
        if (err.code !== '55006') throw err;
        return c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
      await c.end();
    },
  };
}

/** A PostgreSQL store on a fresh database that is dropped when the store closes. */
export async function openTestPostgresStore(clock: Clock, poolSize = 8): Promise<Store> {
  const db = await freshDatabase();
  const store = await createPostgresStore({ url: db.url, poolSize }, clock);
  const close = store.close;
  return { ...store, close: async () => { await close(); await db.drop(); } };
}
