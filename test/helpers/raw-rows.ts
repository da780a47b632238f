import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './server.js';

/**
 * Rows of one read-only query on the database behind a test server, SQLite file or PostgreSQL,
 * for what no surface shows (raw rows a pruner removes). `$1`, `$2`… placeholders on both.
 */
export async function rawRows<R>(s: TestServer, sql: string, values: unknown[] = []): Promise<R[]> {
  if (s.config.databaseUrl) {
    const client = new pg.Client({ connectionString: s.config.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as R[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(s.config.databaseFile, { readonly: true });
  try {
    // SQLite's positional `?` in the order the `$n` appear.
    const order = [...sql.matchAll(/\$(\d+)/g)].map((m) => values[Number(m[1]) - 1]);
    return db.prepare(sql.replace(/\$\d+/g, '?')).all(...order) as R[];
  } finally {
    db.close();
  }
}
