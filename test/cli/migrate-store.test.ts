import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED_TABLES, SKIPPED_TABLES } from '../../src/store/copy-tables.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { systemClock } from '../../src/util/clock.js';
import { postSignIn } from '../dashboard/sign-in.js';
import { basic, dav, multistatus, prop, DAV, vcalendar, vevent, weeklySeries } from '../helpers/dav.js';
import { freshDatabase, noPostgres } from '../helpers/postgres.js';
import { startServer, type TestServer } from '../helpers/server.js';

// A SQLite-backed server is filled through its real surfaces, stopped, copied with the real
// CLI, and a PostgreSQL-backed server is started on the copy: what its subscribers and its
// owner see must not have changed.

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALICE_PW = 'alice-password-123';
const APPLE = 'iOS/17.4 (21E219) dataaccessd/1.0';
const GOOGLE = 'Google-Calendar-Importer';

/** The real CLI in a child process; CALCAST_DATABASE_URL unset unless given. */
function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root, env: { ...process.env, CALCAST_DATABASE_URL: '', ...env }, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const expectOneLineError = (r: ReturnType<typeof cli>, pattern: RegExp) => {
  expect([r.status, r.stdout]).toEqual([1, '']);
  expect(r.stderr).toMatch(/^calcast: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
};

describe('migrate-store: the tables it copies', () => {
  it('names every table of the migrations as copied or skipped, and no other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calcast-tables-'));
    await createSqliteStore(join(dir, 'calcast.sqlite'), systemClock).close();
    const db = new Database(join(dir, 'calcast.sqlite'), { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    db.close();
    rmSync(dir, { recursive: true });
    expect(tables.filter((t) => !(COPIED_TABLES as readonly string[]).includes(t) && !(t in SKIPPED_TABLES))).toEqual([]);
    expect(COPIED_TABLES.filter((t) => !tables.includes(t))).toEqual([]);
  });
});

describe.skipIf(noPostgres('migrate-store'))('migrate-store from SQLite to PostgreSQL', () => {
  let before: TestServer;
  let after: TestServer;
  let target: Awaited<ReturnType<typeof freshDatabase>>;
  let aliceToken = '';
  let cal: { id: string; feed_url: string };
  let league: { id: string; feed_url: string; retired_url: string };
  let personal: { id: string; feed_url: string };
  let blocked: { id: string; feed_url: string };
  /** Alice's dashboard cookie, signed in on the SQLite server. */
  let session = '';
  const seen: Record<string, unknown> = {};
  let migrated: ReturnType<typeof cli>;

  const davPath = () => `/dav/calendars/alice/${cal.id}/`;
  const alice = { auth: basic('alice', ALICE_PW) };
  const aliceApi = (s: TestServer, method: string, path: string, body?: unknown) =>
    s.api(method, path, body, { authorization: `Bearer ${aliceToken}` });
  const poll = (s: TestServer, url: string, headers: Record<string, string> = {}) => fetch(s.url + new URL(url).pathname, { headers });
  const syncReport = async (s: TestServer, token: string) => {
    const r = await dav(s, 'REPORT', davPath(), {
      ...alice,
      body: `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    });
    expect(r.status).toBe(207);
    return multistatus(r.text);
  };
  /** What the owner sees: the subscriber list and summary, the stats, the dashboard's counts. */
  const ownerView = async (s: TestServer) => {
    await s.recorder.flush();
    const dashboard = await (await fetch(`${s.url}/dashboard`, { headers: { cookie: session } })).text();
    const row = new RegExp(`<tr data-calendar="${cal.id}"[\\s\\S]*?</tr>`).exec(dashboard)?.[0] ?? '';
    const cell = (label: string) => new RegExp(`data-label="${label}">(\\d+)<`).exec(row)?.[1];
    return {
      subscribers: (await aliceApi(s, 'GET', `/api/v1/calendars/${cal.id}/subscribers`)).body,
      league: (await s.api('GET', `/api/v1/calendars/${league.id}/subscribers`)).body,
      stats: (await aliceApi(s, 'GET', `/api/v1/calendars/${cal.id}/stats?days=30`)).body,
      dashboard: { total: cell('Subscribers'), active: cell('Active subscribers') },
    };
  };

  beforeAll(async () => {
    before = await startServer();
    const env = { CALCAST_DATA_DIR: before.dir };
    expect(cli(env, 'users', 'add', 'alice', '--password', ALICE_PW).status).toBe(0);
    aliceToken = /^token: (\S+)$/m.exec(cli(env, 'tokens', 'create', 'alice').stdout)![1]!;

    cal = (await aliceApi(before, 'POST', '/api/v1/calendars', { title: 'Riverside Hall', timezone: 'Europe/Berlin' })).body;
    await aliceApi(before, 'POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Open day', start: '2031-03-01T10:00' });
    await aliceApi(before, 'POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Choir', start: '2031-03-02T19:00', rrule: 'FREQ=WEEKLY;COUNT=10' });
    expect((await dav(before, 'PUT', `${davPath()}standup.ics`, { ...alice, body: weeklySeries('standup@migrate.test') })).status).toBe(201);

    const created = (await before.api('POST', '/api/v1/calendars', { title: 'League', timezone: 'UTC' })).body;
    await before.api('POST', `/api/v1/calendars/${created.id}/events`, { title: 'Final', start: '2031-05-01T18:00:00Z' });
    await poll(before, created.feed_url, { 'user-agent': GOOGLE });
    const rotated = (await before.api('POST', `/api/v1/calendars/${created.id}/rotate-feed-key`)).body;
    league = { id: created.id, feed_url: rotated.feed_url, retired_url: created.feed_url };

    personal = (await aliceApi(before, 'POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Ada', client: 'apple_ios' })).body;
    blocked = (await aliceApi(before, 'POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Bo' })).body;
    await aliceApi(before, 'PATCH', `/api/v1/calendars/${cal.id}/subscribers/${blocked.id}`, { blocked: true });
    const shared = await poll(before, cal.feed_url, { 'user-agent': GOOGLE });
    seen.sharedBody = await shared.text();
    seen.sharedEtag = shared.headers.get('etag');
    seen.personalBody = await (await poll(before, personal.feed_url, { 'user-agent': APPLE })).text();
    seen.blockedBody = await (await poll(before, blocked.feed_url, { 'user-agent': APPLE })).text();
    seen.syncToken = (await syncReport(before, '')).syncToken;

    const cookies = (await postSignIn(before.url, 'alice', ALICE_PW)).headers.getSetCookie();
    session = cookies.find((c) => c.startsWith('calcast_session='))!.split(';')[0]!;
    seen.owner = await ownerView(before);
    seen.aliceCalendars = (await aliceApi(before, 'GET', '/api/v1/calendars')).body;
    await before.stop(false);

    target = await freshDatabase();
    migrated = cli({}, 'migrate-store', '--from', `sqlite:${join(before.dir, 'calcast.sqlite')}`, '--to', target.url);
    after = await startServer({ env: { CALCAST_DATABASE_URL: target.url } });
  }, 120_000);

  afterAll(async () => {
    await after?.stop();
    await target?.drop();
    if (before) rmSync(before.dir, { recursive: true, force: true });
  });

  it('copies every table in one run and prints its rows per table', () => {
    expect(migrated.stderr).toBe('');
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toMatch(/^copied .*calcast\.sqlite to PostgreSQL 127\.0\.0\.1:\d+\/\w+ \(schema version \d+\)\n/);
    const rows = Object.fromEntries([...migrated.stdout.matchAll(/^ {2}(\w+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(rows)).toEqual([...COPIED_TABLES]);
    expect(rows).toMatchObject({ users: 2, api_tokens: 2, calendars: 4, calendar_objects: 4, subscribers: 4, retired_feed_keys: 1, dashboard_sessions: 1 });
    expect(rows.sync_log).toBeGreaterThanOrEqual(4);
    expect(rows.calendar_changes).toBeGreaterThanOrEqual(4);
    expect(migrated.stdout).toMatch(/^skipped login_failures: .*transient/m);
  });

  it('shows the owner the same subscribers, counts and stats, signed in as before', async () => {
    const view = await ownerView(after);
    expect(view).toEqual(seen.owner);
    expect((await aliceApi(after, 'GET', '/api/v1/calendars')).body).toEqual(seen.aliceCalendars);
    expect(view.dashboard).toEqual({ total: '3', active: '2' });
    expect(view.subscribers.summary).toEqual({ total: 3, active: 2, inactive: 0, blocked: 1 });
    expect((await postSignIn(after.url, 'alice', ALICE_PW)).status).toBe(303);
  });

  it('answers every feed URL as before: same bytes, same ETag, 304 for the old one', async () => {
    const etag = seen.sharedEtag as string;
    expect((await poll(after, cal.feed_url, { 'user-agent': GOOGLE, 'if-none-match': etag })).status).toBe(304);
    const full = await poll(after, cal.feed_url, { 'user-agent': GOOGLE });
    expect([full.status, full.headers.get('etag'), await full.text()]).toEqual([200, etag, seen.sharedBody]);
    expect(await (await poll(after, personal.feed_url, { 'user-agent': APPLE })).text()).toBe(seen.personalBody);
    const disabled = await (await poll(after, blocked.feed_url, { 'user-agent': APPLE })).text();
    expect(disabled).toBe(seen.blockedBody);
    expect(disabled).toContain('X-WR-CALNAME:Calendar disabled');
    expect((await poll(after, league.retired_url)).status).toBe(410);
    expect(await (await poll(after, league.feed_url)).text()).toContain('SUMMARY:Final');

    // The polls were recorded on PostgreSQL, after the copied sync log's ids.
    await after.recorder.flush();
    const list = (await aliceApi(after, 'GET', `/api/v1/calendars/${cal.id}/subscribers`)).body;
    const count = (id: string) => list.data.find((x: { id: string }) => x.id === id).sync_count;
    expect([count(personal.id), count(blocked.id)]).toEqual([2, 2]);
    expect(list.summary).toEqual({ total: 3, active: 2, inactive: 0, blocked: 1 });
  });

  it("resumes a CalDAV client's sync-collection from its old token", async () => {
    const token = seen.syncToken as string;
    const same = await syncReport(after, token);
    expect([same.responses, same.syncToken]).toEqual([[], token]);
    const propfind = await dav(after, 'PROPFIND', davPath(), {
      ...alice, depth: '0', body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
    });
    expect(prop(multistatus(propfind.text).responses[0], DAV, 'sync-token')?.text).toBe(token);

    const put = await dav(after, 'PUT', `${davPath()}new.ics`, { ...alice, body: vcalendar(vevent('new@migrate.test', 'After the move', ['DTSTART:20310401T100000Z'])) });
    expect(put.status).toBe(201);
    const changed = await syncReport(after, token);
    expect(changed.responses.map((r) => r.href)).toEqual([`${davPath()}new.ics`]);
    const n = (t: string) => Number(t.split(':').at(-1));
    expect(n(changed.syncToken!)).toBe(n(token) + 1);
  });

  it('keeps API tokens and passwords, and new rows continue after the copied ids', async () => {
    const mine = await aliceApi(after, 'GET', '/api/v1/calendars');
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((c: { id: string }) => c.id)).toContain(cal.id);
    expect((await after.api('GET', `/api/v1/calendars/${league.id}`)).status).toBe(200);
    expect((await aliceApi(after, 'POST', `/api/v1/calendars/${cal.id}/events`, { title: 'New', start: '2031-06-01T10:00' })).status).toBe(201);
    const added = cli({ CALCAST_DATABASE_URL: target.url }, 'users', 'add', 'carol', '--password', 'carol-password-1');
    expect([added.status, added.stdout]).toEqual([0, expect.stringContaining('created user "carol" (id 3)')]);
  });

  it('refuses to copy into a database that is no longer empty, with one line', () => {
    const again = cli({}, 'migrate-store', '--from', join(before.dir, 'calcast.sqlite'), '--to', target.url);
    expectOneLineError(again, /already holds Calcast data \(in users, .*\); migrate-store copies only into an empty database/);
  });

  it('copies tables larger than one batch, and writes nothing when a row cannot be copied', async () => {
    const file = join(before.dir, 'altered.sqlite');
    const original = new Database(join(before.dir, 'calcast.sqlite'), { readonly: true });
    await original.backup(file);
    original.close();
    const altered = new Database(file);
    const version = Number(altered.pragma('user_version', { simple: true }));
    // A year of polls is more than HTTP can make here: 12,345 more sync_log rows, several batches.
    altered.prepare(`WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 12345)
      INSERT INTO sync_log (calendar_id, subscriber_id, at, surface, method, status, bytes, client, user_agent, ip)
      SELECT calendar_id, subscriber_id, at + k, surface, method, status, bytes + k, client, user_agent, ip
      FROM n, (SELECT * FROM sync_log ORDER BY id LIMIT 1)`).run();
    const fingerprint = 'SELECT count(*)::int AS n, sum(bytes)::bigint AS bytes, max(id)::int AS last FROM sync_log';
    const expected = altered.prepare(fingerprint.replace(/::\w+/g, '')).get();
    altered.close();

    const query = async (url: string, sql: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql)).rows[0];
      } finally {
        await client.end();
      }
    };
    const [big, empty] = [await freshDatabase(), await freshDatabase()];
    try {
      const copied = cli({}, 'migrate-store', '--from', file, '--to', big.url);
      expect(copied.status).toBe(0);
      expect(copied.stdout).toMatch(new RegExp(`^  sync_log +${(expected as { n: number }).n}$`, 'm'));
      const found = await query(big.url, fingerprint);
      expect({ ...found, bytes: Number(found.bytes) }).toEqual(expected);

      // SQLite keeps a BLOB in a TEXT column; PostgreSQL would not. The outbox is copied last.
      const blob = new Database(file);
      blob.prepare("UPDATE outbox SET new_etag = x'00ff' WHERE seq = (SELECT max(seq) FROM outbox)").run();
      blob.close();
      expectOneLineError(cli({}, 'migrate-store', '--from', file, '--to', empty.url),
        /copying outbox: outbox\.new_etag \(row \d+\) holds a 2-byte BLOB, not text/);
      expect(await query(empty.url, 'SELECT count(*)::int AS n FROM users')).toEqual({ n: 0 });

      const older = new Database(file);
      older.pragma(`user_version = ${version - 1}`);
      older.close();
      expectOneLineError(cli({}, 'migrate-store', '--from', file, '--to', empty.url),
        new RegExp(`altered\\.sqlite is at schema version ${version - 1}, PostgreSQL .* at ${version}: start this Calcast version once on the SQLite file`));
      expect(await query(empty.url, 'SELECT count(*)::int AS n FROM users')).toEqual({ n: 0 });
    } finally {
      await big.drop();
      await empty.drop();
    }
  });

  it('refuses a --to that is not a PostgreSQL URL, or one that does not answer', () => {
    const from = `sqlite:${join(before.dir, 'calcast.sqlite')}`;
    expectOneLineError(cli({}, 'migrate-store', '--from', from, '--to', 'mysql://root:secret@db/calcast'),
      /--to must be postgres:\/\/user:password@host:port\/database, got "mysql:\/\/…@db\/calcast"/);
    const gone = cli({}, 'migrate-store', '--from', from, '--to', 'postgres://u:secret@127.0.0.1:1/calcast');
    expectOneLineError(gone, /cannot use PostgreSQL 127\.0\.0\.1:1\/calcast: .*ECONNREFUSED/);
    expect(gone.stderr).not.toContain('secret');
    const missing = cli({}, 'migrate-store', '--from', join(before.dir, 'none.sqlite'), '--to', target.url);
    expectOneLineError(missing, /no SQLite database at .*none\.sqlite/);
  });
});
