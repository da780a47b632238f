import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeObject } from '../../src/entries/describe.js';
import { parseCalendar } from '../../src/ical/parse.js';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import { migratePostgres, PG_MIGRATIONS_DIR } from '../../src/store/postgres/migrate.js';
import type { Store } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { freshDatabase, noPostgres } from '../helpers/postgres.js';

const SQLITE_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const numbered = (dir: string) => readdirSync(dir).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).map((f) => f.slice(0, 4)).sort();

describe('PostgreSQL migrations', () => {
  it('has a PostgreSQL twin for every SQLite migration, and nothing else', () => {
    expect(numbered(PG_MIGRATIONS_DIR)).toEqual(numbered(SQLITE_DIR));
    expect(numbered(SQLITE_DIR).length).toBeGreaterThanOrEqual(12);
  });
});

function write(uid: string) {
  const text = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//T//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z',
    `SUMMARY:${uid}`, 'DTSTART:20240301T100000Z', 'DTEND:20240301T110000Z', 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  return describeObject(parseCalendar(text), 'UTC', { id: uid, uri: `${uid}.ics` }, null);
}

describe.skipIf(noPostgres('the PostgreSQL store'))('PostgreSQL store on one database shared by several instances', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: Store;
  let b: Store;
  let calendarId: string;

  beforeAll(async () => {
    db = await freshDatabase();
    // Four instances starting at once migrate once: the others wait on the advisory lock.
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: db.url, max: 1 }));
    const versions = await Promise.all(pools.map((p) => migratePostgres(p)));
    await Promise.all(pools.map((p) => p.end()));
    expect(versions).toEqual(Array(4).fill(numbered(PG_MIGRATIONS_DIR).length));
    [a, b] = await Promise.all([createPostgresStore({ url: db.url, poolSize: 4 }, systemClock), createPostgresStore({ url: db.url, poolSize: 4 }, systemClock)]);
    const user = await a.createUser('owner', 'hash');
    calendarId = (await a.createCalendar({
      id: 'shared', ownerId: user.id, slug: 'shared', feedKey: 'key-shared-0123456789abcdef', title: 't', description: null,
      timezone: 'UTC', color: null, weekdayBegin: null, customData: null, published: true, components: ['VEVENT'], settings: {},
    })).id;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('records the schema version once', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('SELECT version FROM schema_version');
    await c.end();
    expect(rows).toEqual([{ version: numbered(PG_MIGRATIONS_DIR).length }]);
  });

  it('gives concurrent writers on two stores gapless sync tokens, one change row each', async () => {
    const t0 = (await a.getCalendar(calendarId))!.syncToken;
    // 8 writers, alternating between the stores, each creating then updating its objects.
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      const store = w % 2 === 0 ? a : b;
      for (let i = 0; i < 10; i++) {
        const created = await store.createObject(calendarId, write(`w${w}-${i}`));
        await store.updateObject(calendarId, { ...write(`w${w}-${i}`), sequence: 1 }, created.etag);
      }
    }));
    const changes = await b.changesSince(calendarId, t0);
    expect(changes.map((c) => c.syncToken)).toEqual(Array.from({ length: 160 }, (_, i) => t0 + 1 + i));
    expect((await a.getCalendar(calendarId))!.syncToken).toBe(t0 + 160);
    expect(await a.countObjects(calendarId, 'VEVENT')).toBe(80);
  });

  it('lets exactly one of two stores create the same UID at once', async () => {
    const results = await Promise.allSettled([a.createObject(calendarId, write('race')), b.createObject(calendarId, { ...write('race'), id: 'race-b', uri: 'race-b.ics' })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ key: 'uid' });
  });

  it('adds up polls flushed by both stores at once in the subscriber counts and rollups', async () => {
    const at = Date.UTC(2026, 2, 1, 12);
    const poll = (i: number) => ({
      calendarId, at: at + i, surface: 'feed' as const, method: 'GET', status: 304, bytes: 0, client: 'apple_ios',
      userAgent: null, ip: null, subscriber: { anonymousKey: `poller${i % 5}` },
    });
    await Promise.all(Array.from({ length: 10 }, (_, batch) =>
      (batch % 2 === 0 ? a : b).recordSyncs(Array.from({ length: 50 }, (_, j) => poll(batch * 50 + j)))));
    const { subscribers, summary } = await a.listSubscribers({ calendarId, status: 'all', activeSince: 0, order: 'asc', limit: 10 });
    expect(summary.total).toBe(5);
    expect(subscribers.map((s) => s.syncCount)).toEqual([100, 100, 100, 100, 100]);
    const [day] = await b.dailyStats(calendarId, '2026-03-01', '2026-03-01');
    expect(day).toEqual({ day: '2026-03-01', syncs: 500, activeSubscribers: 5, newSubscribers: 5 });
  });

  it('sees every outbox event in commit order from either store', async () => {
    const from = await b.lastOutboxSeq();
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).createObject(calendarId, write(`o${i}`))));
    const events = await a.outboxAfter(from, 100);
    expect(events).toHaveLength(6);
    // Commit order is token order within a calendar: seq and token grow together.
    expect(events.map((e) => e.syncToken)).toEqual([...events.map((e) => e.syncToken)].sort((x, y) => x! - y!));
  });
});
