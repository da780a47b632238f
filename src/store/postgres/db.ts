import pg from 'pg';
import { StoreUnavailable } from '../types.js';

/** Either the pool or one checked-out client inside a transaction: both answer `query`. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PgOptions {
  url: string;
  /** Most connections this process holds (CALCAST_DB_POOL). */
  poolSize: number;
  /** How long a query waits for a free or new connection before the store is called unavailable. */
  connectTimeoutMs?: number;
  /**
   * How long one statement may go unanswered before its connection is given up as lost. A
   * server that stopped answering (frozen, partitioned) closes no socket: without this a
   * request would hang, holding its connection, until the kernel's TCP timeout (~15 min).
   */
  queryTimeoutMs?: number;
}

/** Calcast's statements take milliseconds; a long import is many short ones. */
const QUERY_TIMEOUT_MS = 30_000;

// BIGINT columns hold unix milliseconds and counters, all well inside 2^53; sums of them come
// back as NUMERIC. Both are parsed as numbers, per pool, so no global parser is changed.
const NUMBER_TYPES = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMBER_TYPES.has(oid) ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A database URL in words for messages, without the user or password. */
export function postgresLabel(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}

/** SQLSTATE classes and socket errors that mean "the database is not there", not "the query is wrong". */
const GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
const GONE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Connection ended|Query read timeout/i;

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (GONE_CODES.has(code) || code.startsWith('08'))) return true;
  return GONE_MESSAGES.test(err.message);
}

/** Rethrows a lost-database error as StoreUnavailable (the surfaces answer 503); others as they are. */
export function rethrow(err: unknown): never {
  if (isConnectionError(err)) throw new StoreUnavailable(err instanceof Error ? err.message : String(err));
  throw err;
}

export function openPool(o: PgOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.poolSize,
    connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
    // A timed-out statement fails as a lost connection, and its client is discarded (the pool
    // drops a client released with an error; transaction() releases it as broken).
    query_timeout: o.queryTimeoutMs ?? QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle connection the server dropped (a restart) is reported here; the pool replaces it on
  // the next checkout, so it is logged, never thrown (an unhandled 'error' would end the process).
  pool.on('error', (err) => console.error('[calcast] database connection lost:', err.message));
  return pool;
}

const holdsNul = (values: unknown[]): boolean =>
  values.some((v) => (typeof v === 'string' ? v.includes('\0') : Array.isArray(v) && holdsNul(v)));

/**
 * Rows of one statement, lost connections reported as StoreUnavailable. PostgreSQL's text holds
 * no U+0000 (SQLite's does), and refuses a parameter with one as invalid UTF-8 (22021): no key
 * or text stored here contains it, so a read by one (a name from a URL: `a%00b`) matches
 * nothing, as on SQLite, without asking the server, and without aborting a transaction.
 */
export async function rows<R>(db: Queryable, text: string, values: unknown[] = []): Promise<R[]> {
  if (holdsNul(values) && /^\s*SELECT\b/i.test(text)) return [];
  try {
    return (await db.query(text, values)).rows as R[];
  } catch (err) {
    return rethrow(err);
  }
}

export async function one<R>(db: Queryable, text: string, values: unknown[] = []): Promise<R | null> {
  return (await rows<R>(db, text, values))[0] ?? null;
}

/** Rows a statement changed. */
export async function changed(db: Queryable, text: string, values: unknown[] = []): Promise<number> {
  try {
    return (await db.query(text, values)).rowCount ?? 0;
  } catch (err) {
    return rethrow(err);
  }
}

/**
 * Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it
 * throws. READ COMMITTED is enough because every write to a calendar first locks that
 * calendar's row (the sync-token bump), which orders the writers of one calendar.
 */
export async function transaction<T>(pool: pg.Pool, work: (db: Queryable) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    return rethrow(err);
  }
  let broken = false;
  // A checked-out client has no listener of the pool's: a connection the server drops between
  // two statements emits 'error' on it, which unheard would end the process. Heard, the client
  // is discarded, and the next statement fails as a lost connection (503).
  const lost = () => { broken = true; };
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    broken = isConnectionError(err);
    if (!broken) await client.query('ROLLBACK').catch(() => { broken = true; });
    return rethrow(err);
  } finally {
    // A connection that failed mid-transaction is discarded rather than handed to the next caller.
    client.off('error', lost);
    client.release(broken);
  }
}

/** `@name` placeholders (shared SQL fragments) to PostgreSQL's `$n`, with their values in order. */
export function named(sql: string, params: Record<string, unknown>, first = 1): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    let n = index.get(name);
    if (n === undefined) {
      if (!(name in params)) throw new Error(`no value for @${name}`);
      values.push(params[name]);
      index.set(name, (n = first + values.length - 1));
    }
    return `$${n}`;
  });
  return { text, values };
}
