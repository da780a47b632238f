import type pg from 'pg';
import { COPIED_TABLES, SKIPPED_TABLES } from './copy-tables.js';
import { copyRows, quote, type CopyColumn } from './copy-rows.js';
import { openPool, postgresLabel, transaction, type Queryable } from './postgres/db.js';
import { migratePostgres } from './postgres/migrate.js';
import { openDbReadOnly, type Db } from './sqlite/db.js';

export interface CopyReport {
  /** The schema version both databases are at. */
  version: number;
  /** Rows copied per table, in the order they were copied; each count was checked on both sides. */
  tables: { name: string; rows: number }[];
  /** Tables of the file deliberately left behind, and why. */
  skipped: { name: string; reason: string }[];
  /** Tables of the file that neither list names (a newer migration than the lists); not copied. */
  unknown: string[];
}

interface TablePlan {
  name: string;
  columns: CopyColumn[];
  orderBy: string[];
  /** Identity columns on the PostgreSQL side, whose sequences continue after the copied ids. */
  identities: string[];
}

/** An error's words: Node reports a refused connection to "localhost" as an AggregateError without a message. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err instanceof AggregateError ? (err.errors[0] as Error | undefined) : undefined;
  return err.message || inner?.message || (err as { code?: string }).code || err.name;
}

function openSource(file: string): Db {
  try {
    return openDbReadOnly(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_CANTOPEN') throw new Error(`no SQLite database at ${file}`);
    throw new Error(`cannot open ${file}: ${reason(err)}`);
  }
}

function sourceVersion(source: Db, file: string): number {
  try {
    return Number(source.pragma('user_version', { simple: true }));
  } catch (err) {
    throw new Error(`${file} is not a SQLite database: ${reason(err)}`);
  }
}

function checkVersions(file: string, from: number, label: string, to: number): void {
  if (from === 0) throw new Error(`${file} is not a Calcast database (schema version 0)`);
  if (from < to) {
    throw new Error(`${file} is at schema version ${from}, ${label} at ${to}: start this Calcast version once on the SQLite file (it migrates it), then run migrate-store again`);
  }
  if (from > to) {
    throw new Error(`${file} is at schema version ${from}, newer than ${label} (${to}): run migrate-store with the Calcast version that wrote the file`);
  }
}

/** Each copied table's columns on both sides; refuses a table whose columns differ. */
async function planTables(source: Db, target: Queryable): Promise<TablePlan[]> {
  const { rows } = await target.query<{ table_name: string; column_name: string; data_type: string; identity: boolean }>(
    `SELECT table_name, column_name, data_type, (is_identity = 'YES' OR column_default LIKE 'nextval(%') AS identity
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [[...COPIED_TABLES]],
  );
  return COPIED_TABLES.map((name) => {
    const info = source.pragma(`table_info(${quote(name)})`) as { name: string; type: string; pk: bigint }[];
    const targetColumns = new Map(rows.filter((r) => r.table_name === name).map((r) => [r.column_name, r]));
    const names = (cols: Iterable<string>) => [...cols].sort().join(', ');
    if (names(info.map((c) => c.name)) !== names(targetColumns.keys())) {
      throw new Error(`table ${name} has columns (${names(info.map((c) => c.name))}) in SQLite but (${names(targetColumns.keys())}) in PostgreSQL`);
    }
    return {
      name,
      columns: info.map((c) => ({ name: c.name, sqliteType: c.type.toUpperCase(), postgresType: targetColumns.get(c.name)!.data_type })),
      orderBy: info.filter((c) => c.pk > 0n).sort((a, b) => Number(a.pk - b.pk)).map((c) => c.name),
      identities: info.filter((c) => targetColumns.get(c.name)!.identity).map((c) => c.name),
    };
  });
}

async function count(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${quote(table)}`);
  return Number(rows[0]!.n);
}

/** Copies one table and checks that PostgreSQL now holds exactly the file's rows. */
async function copyTable(source: Db, db: Queryable, plan: TablePlan): Promise<number> {
  const expected = Number(source.prepare(`SELECT count(*) FROM ${quote(plan.name)}`).pluck().get());
  try {
    await copyRows(source, db, plan.name, plan.columns, plan.orderBy);
  } catch (err) {
    throw new Error(`copying ${plan.name}: ${reason(err)}`);
  }
  const found = await count(db, plan.name);
  if (found !== expected) throw new Error(`copying ${plan.name}: ${expected} rows in SQLite but ${found} in PostgreSQL`);
  // Rows were inserted with their ids, which does not advance an identity's sequence.
  for (const column of plan.identities) {
    await db.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${quote(column)}) FROM ${quote(plan.name)}), 0) + 1, false)`,
      [plan.name, column],
    );
  }
  return found;
}

/**
 * Copies a Calcast SQLite file into an empty PostgreSQL database, for `calcast migrate-store`.
 * The file is opened read-only and read in one snapshot; PostgreSQL is migrated to this
 * version first, and both must then be at the same schema version. Everything is written in
 * one PostgreSQL transaction that first locks the tables (a Calcast instance started on the
 * target waits rather than writing in between), so a failure leaves the target as it was.
 * Feed keys, sync tokens, ETags' inputs, token and password hashes are copied as they are,
 * so feed URLs, CalDAV sync tokens, API tokens and passwords all keep working.
 */
export async function copySqliteToPostgres(file: string, databaseUrl: string): Promise<CopyReport> {
  const source = openSource(file);
  let pool: pg.Pool | undefined;
  try {
    const from = sourceVersion(source, file);
    const label = postgresLabel(databaseUrl);
    // No statement timeout: one batch INSERT into a slow disk may take longer than the
    // server's 30 s guard against a silent database, and the operator is watching this one.
    pool = openPool({ url: databaseUrl, poolSize: 1, queryTimeoutMs: 0 });
    let to: number;
    try {
      to = await migratePostgres(pool);
    } catch (err) {
      throw new Error(`cannot use ${label}: ${reason(err)}`);
    }
    checkVersions(file, from, label, to);

    const present = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
    const copied = new Set<string>(COPIED_TABLES);
    const skipped = present.filter((t) => t in SKIPPED_TABLES).map((name) => ({ name, reason: SKIPPED_TABLES[name]! }));
    const unknown = present.filter((t) => !copied.has(t) && !(t in SKIPPED_TABLES));

    const tables = await transaction(pool, async (db) => {
      // A Calcast instance already running on the target holds locks; waiting on it forever
      // would look like a hang.
      await db.query("SET LOCAL lock_timeout = '10s'");
      try {
        await db.query(`LOCK TABLE ${COPIED_TABLES.map(quote).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      } catch (err) {
        if ((err as { code?: string }).code !== '55P03') throw err;
        throw new Error(`${label} is in use (its tables stayed locked for 10 s): stop every Calcast instance on it first`);
      }
      const holding: string[] = [];
      for (const t of COPIED_TABLES) {
        const { rows } = await db.query<{ some: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(t)}) AS some`);
        if (rows[0]!.some) holding.push(t);
      }
      if (holding.length > 0) {
        throw new Error(`${label} already holds Calcast data (in ${holding.join(', ')}); migrate-store copies only into an empty database`);
      }
      const plans = await planTables(source, db);
      source.exec('BEGIN'); // one snapshot of the file for every table
      try {
        const done: CopyReport['tables'] = [];
        for (const plan of plans) done.push({ name: plan.name, rows: await copyTable(source, db, plan) });
        return done;
      } finally {
        source.exec('COMMIT');
      }
    });
    return { version: to, tables, skipped, unknown };
  } finally {
    source.close();
    await pool?.end();
  }
}
