import type { Queryable } from './postgres/db.js';
import type { Db } from './sqlite/db.js';

/** One column as both stores declare it. */
export interface CopyColumn {
  name: string;
  /** SQLite's declared type, upper-cased (INTEGER, TEXT). */
  sqliteType: string;
  /** PostgreSQL's information_schema data_type (bigint, integer, text). */
  postgresType: string;
}

type Convert = (value: unknown, where: () => string) => unknown;

// SQLite keeps whatever a row was given, whatever the declared type; PostgreSQL checks. A
// value that does not fit is refused with its table, column and row rather than guessed at.
const integer: Convert = (v, where) => {
  if (v === null || typeof v === 'bigint') return v; // BigInt: pg sends its exact decimal text
  throw new Error(`${where()} holds ${describe(v)}, not an integer`);
};
const text: Convert = (v, where) => {
  if (v === null || typeof v === 'string') return v;
  throw new Error(`${where()} holds ${describe(v)}, not text`);
};
const describe = (v: unknown) => (Buffer.isBuffer(v) ? `a ${v.length}-byte BLOB` : `${typeof v} ${String(v).slice(0, 40)}`);

/**
 * The pairs of declared types the two schemas use, and how a value crosses. The PostgreSQL
 * migrations keep SQLite's representations on purpose (flags as 0/1 INTEGER, JSON as TEXT,
 * times as integer milliseconds in BIGINT, no BLOBs), so every pair is the identity; a
 * migration that introduces BOOLEAN, JSONB or BYTEA must add its conversion here, and until
 * then the copy refuses the pair by name.
 */
const CONVERSIONS: Readonly<Record<string, Convert>> = {
  'INTEGER bigint': integer,
  'INTEGER integer': integer,
  'TEXT text': text,
};

export function conversionOf(table: string, c: CopyColumn): Convert {
  const convert = CONVERSIONS[`${c.sqliteType} ${c.postgresType}`];
  if (!convert) throw new Error(`no conversion from SQLite ${c.sqliteType || 'untyped'} to PostgreSQL ${c.postgresType} for ${table}.${c.name}`);
  return convert;
}

/** PostgreSQL's wire protocol numbers parameters with 16 bits. */
const MAX_PARAMETERS = 65_535;
const MAX_ROWS = 5_000;
/** Text per statement, so a calendar of large events does not build one huge message. */
const MAX_BATCH_CHARS = 8_000_000;

/** An SQL identifier, quoted (table and column names come from the schemas, never from input). */
export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Copies every row of `table` from the SQLite read transaction to the PostgreSQL
 * transaction, in primary-key order, thousands of rows per multi-row INSERT. Returns the
 * number of rows copied.
 */
export async function copyRows(
  source: Db, target: Queryable, table: string, columns: readonly CopyColumn[], orderBy: readonly string[],
): Promise<number> {
  const names = columns.map((c) => quote(c.name)).join(', ');
  const converts = columns.map((c) => conversionOf(table, c));
  const rowsPerStatement = Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length));
  const select = source.prepare(`SELECT ${names} FROM ${quote(table)} ORDER BY ${orderBy.map(quote).join(', ')}`).raw(true);

  let values: unknown[] = [];
  let rows = 0;
  let chars = 0;
  let copied = 0;
  const flush = async () => {
    if (rows === 0) return;
    const tuples = Array.from({ length: rows }, (_, r) =>
      `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await target.query(`INSERT INTO ${quote(table)} (${names}) VALUES ${tuples.join(', ')}`, values);
    copied += rows;
    values = [];
    rows = 0;
    chars = 0;
  };
  // The iterator holds the SQLite connection between rows; nothing else uses it meanwhile.
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    for (let c = 0; c < columns.length; c++) {
      const value = converts[c]!(row[c], () => `${table}.${columns[c]!.name} (row ${copied + rows + 1})`);
      if (typeof value === 'string') chars += value.length;
      values.push(value);
    }
    rows++;
    if (rows === rowsPerStatement || chars >= MAX_BATCH_CHARS) await flush();
  }
  await flush();
  return copied;
}
