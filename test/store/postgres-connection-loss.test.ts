import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPool, transaction } from '../../src/store/postgres/db.js';
import { StoreUnavailable } from '../../src/store/types.js';
import { freshDatabase, noPostgres } from '../helpers/postgres.js';

// A connection the server drops while a transaction holds it, between two statements: with no
// listener on the checked-out client, pg emits an unheard 'error' and the process dies.
describe.skipIf(noPostgres('the PostgreSQL connection loss'))('a transaction whose connection the server drops', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await freshDatabase();
    pool = openPool({ url: db.url, poolSize: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('fails as StoreUnavailable, and the pool serves the next caller', async () => {
    const unheard: unknown[] = [];
    const onUncaught = (err: unknown) => unheard.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const killer = new pg.Client({ connectionString: db.url });
      await killer.connect();
      const done = transaction(pool, async (c) => {
        const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await killer.end();
        // Idle inside the transaction while the server's goodbye and the socket's end arrive.
        await new Promise((r) => setTimeout(r, 300));
        await c.query('SELECT 1');
      });
      await expect(done).rejects.toBeInstanceOf(StoreUnavailable);
      expect(unheard).toEqual([]);
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
