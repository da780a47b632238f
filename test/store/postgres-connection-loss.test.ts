import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPool, rows, transaction } from '../../src/store/postgres/db.js';
import { StoreUnavailable } from '../../src/store/types.js';
import { freshDatabase, noPostgres } from '../helpers/postgres.js';

/**
 * A TCP relay to the database that can go silent, as a frozen or partitioned server does: it
 * closes nothing, it just stops passing bytes either way (new connections included).
 */
async function freezableRelay(target: URL) {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(from);
      from.on('data', (d) => { if (!frozen) to.write(d); });
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target.href);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.href,
    freeze: (on: boolean) => { frozen = on; },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

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

  it('gives up statements a silent server never answers as StoreUnavailable, and serves again once it answers', async () => {
    const relay = await freezableRelay(new URL(db.url));
    const silent = openPool({ url: relay.url, poolSize: 2, queryTimeoutMs: 300, connectTimeoutMs: 300 });
    try {
      expect(await rows(silent, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      relay.freeze(true);
      const from = Date.now();
      // On the idle connection the pool had, then on a new one whose start-up goes unanswered.
      await expect(rows(silent, 'SELECT 1')).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(transaction(silent, (c) => c.query('SELECT 1'))).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - from).toBeLessThan(5_000);
      relay.freeze(false);
      expect(await rows(silent, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await silent.end();
      await relay.close();
    }
  });
});
