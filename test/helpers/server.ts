import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.js';
import { bootstrapAdmin } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config.js';
import { startCalendarService, type CalendarService } from '../../src/calendar/service.js';
import { openStore } from '../../src/startup.js';
import type { Store } from '../../src/store/types.js';
import { createSyncRecorder, type SyncRecorder } from '../../src/subscribers/recorder.js';
import { fixedClock, systemClock, type Clock } from '../../src/util/clock.js';
import { jsonOrNull } from './instance.js';
import { responseChecker } from './openapi-responses.js';
import { freshDatabase } from './postgres.js';

export const ADMIN_TOKEN = 'cc_test-admin-token-0123456789abcdef';
export const ADMIN_PASSWORD = 'test-password-123';

export interface TestServer {
  url: string;
  recorder: SyncRecorder;
  config: Config;
  dir: string;
  store: Store;
  /** The write path, for tests that set up state as a surface would. */
  service: CalendarService;
  clock: Clock;
  /** JSON request with the admin token; returns status, headers and parsed body. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Stops the server and closes the database; keeps the folder unless `remove`. */
  stop(remove?: boolean): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** One checker per document text: every server of a test file publishes the same one. */
const checkers = new Map<string, ReturnType<typeof responseChecker>>();
async function checkerOf(url: string) {
  const text = await (await fetch(`${url}/api/v1/openapi.json`)).text();
  let check = checkers.get(text);
  if (!check) checkers.set(text, (check = responseChecker(text)));
  return check;
}

/**
 * The PostgreSQL database of each data folder while the `postgres` test project runs
 * (CALCAST_TEST_STORE): servers started on one folder share its database, as they would share
 * its SQLite file (two instances, a restart), and the last one to stop with `remove` drops it.
 */
const databases = new Map<string, { url: string; drop(): Promise<void>; servers: number }>();

async function databaseOf(dir: string): Promise<{ CALCAST_DATABASE_URL: string } | Record<string, never>> {
  if (process.env.CALCAST_TEST_STORE !== 'postgres') return {};
  let db = databases.get(dir);
  if (!db) databases.set(dir, (db = { ...await freshDatabase(), servers: 0 }));
  db.servers++;
  return { CALCAST_DATABASE_URL: db.url };
}

async function releaseDatabase(dir: string, remove: boolean): Promise<void> {
  const db = databases.get(dir);
  if (!db || --db.servers > 0 || !remove) return;
  databases.delete(dir);
  await db.drop();
}

/**
 * A real server on a free port over a real SQLite file in a temp folder, or over a fresh
 * PostgreSQL database when CALCAST_TEST_STORE=postgres (or the one of `env.CALCAST_DATABASE_URL`).
 */
export async function startServer(
  opts: { dir?: string; clock?: ReturnType<typeof fixedClock>; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'calcast-test-'));
  const clock = opts.clock ?? systemClock;
  const config = loadConfig({
    CALCAST_DATA_DIR: dir, CALCAST_ADMIN_PASSWORD: ADMIN_PASSWORD, CALCAST_ADMIN_TOKEN: ADMIN_TOKEN,
    CALCAST_BASE_URL: 'http://calcast.test', ...await databaseOf(dir), ...opts.env,
  });
  const store = await openStore(config, clock);
  const running = startCalendarService(store, clock, config);
  const { service, outbox } = running;
  await bootstrapAdmin(store, service, config);
  let url = '';
  const recorder = createSyncRecorder(store, { flushMs: 10 });
  const app = createApp({ store, clock, config, recorder, service, outbox });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: TestServer['api'] = async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = jsonOrNull(text);
    // Every answer of the JSON API is checked against the schema documented for it.
    if (path.startsWith('/api/v1/')) (await checkerOf(url))(method, path, res.status, res.headers.get('content-type'), text);
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  return {
    url, dir, store, clock, api, config, recorder, service,
    stop: async (remove = true) => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await recorder.close();
      await running.stop();
      await store.close();
      await releaseDatabase(dir, remove);
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
  };
}
