import type { Server } from 'node:http';
import type Koa from 'koa';
import type { Config } from './config.js';
import { createPostgresStore } from './store/postgres/index.js';
import { isConnectionError, postgresLabel } from './store/postgres/db.js';
import { createSqliteStore } from './store/sqlite/index.js';
import type { Store } from './store/types.js';
import type { Clock } from './util/clock.js';

/**
 * The server could not start for a reason outside the code (a folder, a port, an address):
 * main.ts prints the message, one line that names the setting to change, and exits 1.
 */
export class StartupError extends Error {}

/** Errors from the file system and SQLite carry a code; a bug (a TypeError) does not. */
function codeOf(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
const firstLine = (err: unknown) => String(err instanceof Error ? err.message : err).split('\n')[0];

/** The database in words for the start-up line, without the password. */
export function storeLabel(config: Config): string {
  return config.databaseUrl ? postgresLabel(config.databaseUrl) : config.databaseFile;
}

/**
 * PostgreSQL when CALCAST_DATABASE_URL is set (migrated under an advisory lock, so instances
 * starting together migrate once), else the SQLite file in CALCAST_DATA_DIR, created if need be.
 */
export async function openStore(config: Config, clock: Clock): Promise<Store> {
  if (config.databaseUrl) {
    try {
      return await createPostgresStore({ url: config.databaseUrl, poolSize: config.dbPoolSize }, clock);
    } catch (err) {
      // Unreachable or refusing (a wrong password is 28P01, a missing database 3D000): the
      // operator's setting, not a bug, so one line names it.
      const code = codeOf(err);
      if (!isConnectionError(err) && !code?.match(/^(28|3D)/)) throw err;
      throw new StartupError(`CALCAST_DATABASE_URL: cannot use ${storeLabel(config)}: ${firstLine(err)}`);
    }
  }
  try {
    return createSqliteStore(config.databaseFile, clock);
  } catch (err) {
    const code = codeOf(err);
    if (code === undefined) throw err;
    const what = code.startsWith('SQLITE_') ? `the database ${config.databaseFile}` : `the folder "${config.dataDir}"`;
    throw new StartupError(`CALCAST_DATA_DIR: cannot use ${what}: ${firstLine(err)}`);
  }
}

/** What a listen error means for the operator, by errno (see listen(2) and getaddrinfo(3)). */
const LISTEN_ERRORS: Record<string, (c: Config) => string> = {
  EADDRINUSE: (c) => `PORT ${c.port} is already in use on ${c.host}: another server listens there; stop it or choose another PORT`,
  EACCES: (c) => `PORT ${c.port} needs privileges on ${c.host}: choose a PORT above 1023, or run behind a reverse proxy`,
  EADDRNOTAVAIL: (c) => `HOST ${c.host} is not an address of this machine`,
  ENOTFOUND: (c) => `HOST ${c.host} does not resolve to an address`,
  EAI_AGAIN: (c) => `HOST ${c.host} could not be resolved (DNS did not answer)`,
};

/** Listens on HOST:PORT, or rejects with a StartupError naming the setting at fault. */
export function listen(app: Koa, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host);
    const failed = (err: Error) => {
      const explain = LISTEN_ERRORS[codeOf(err) ?? ''];
      reject(new StartupError(explain ? explain(config) : `cannot listen on HOST ${config.host}, PORT ${config.port}: ${firstLine(err)}`));
    };
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve(server);
    });
  });
}
