import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { transaction } from './db.js';

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

/** Any fixed 64-bit key: every Calcast instance migrating this database waits on the same one. */
const MIGRATION_LOCK = 0x63616c636173;
/**
 * A migration over a large database (an index on every object) may take long, and the other
 * instances wait on the lock meanwhile: neither is the lost server the pool's timeout is for.
 */
const MIGRATION_TIMEOUT_MS = 24 * 3600_000;
/** A statement without the pool's query timeout (pg reads query_timeout per query too; its types know only the pool's). */
const patient = (text: string, values?: unknown[]) => ({ text, values, query_timeout: MIGRATION_TIMEOUT_MS }) as pg.QueryConfig;

/**
 * Applies `migrations/postgres/NNNN_name.sql` in order, in one transaction with the row that
 * records the version (DDL is transactional in PostgreSQL), so a failed migration leaves the
 * previous version intact. The run holds a transaction-level advisory lock, so instances
 * started at once migrate once: the others wait, then find nothing left to do.
 * Returns the version reached.
 */
export async function migratePostgres(pool: pg.Pool, dir = PG_MIGRATIONS_DIR): Promise<number> {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  return transaction(pool, async (db) => {
    await db.query(patient('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]));
    await db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = await db.query<{ version: number }>('SELECT version FROM schema_version');
    let version = found.rows[0]?.version ?? 0;
    if (found.rows.length === 0) await db.query('INSERT INTO schema_version (version) VALUES (0)');
    for (const file of files) {
      const n = Number(file.slice(0, 4));
      if (n <= version) continue;
      if (n !== version + 1) throw new Error(`migration ${file} is out of sequence after version ${version}`);
      await db.query(patient(readFileSync(join(dir, file), 'utf8')));
      await db.query('UPDATE schema_version SET version = $1', [n]);
      version = n;
    }
    return version;
  });
}
