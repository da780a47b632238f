import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeObject } from '../../src/entries/describe.js';
import { parseCalendar } from '../../src/ical/parse.js';
import { occurrences } from '../../src/ical/recurrence.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { StoreConflict, StorePreconditionFailed, type Calendar, type ObjectWrite, type Store } from '../../src/store/types.js';
import { fixedClock } from '../../src/util/clock.js';
import { generateCalendar } from '../helpers/generate.js';

/**
 * The contract every Store implementation must keep. It runs against the SQLite store on a
 * real file; a PostgreSQL store would run the same suite.
 */
const dir = mkdtempSync(join(tmpdir(), 'calcast-store-'));
const clock = fixedClock(Date.UTC(2024, 0, 1));
let store: Store;
let cal: Calendar;
let userId: number;

function write(uid: string, id = uid, summary = uid): ObjectWrite {
  const text = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//T//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z',
    `SUMMARY:${summary}`, 'DTSTART:20240301T100000Z', 'DTEND:20240301T110000Z', 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
  return describeObject(parseCalendar(text), 'UTC', { id, uri: `${id}.ics` }, null);
}

async function newCalendar(id: string): Promise<Calendar> {
  return store.createCalendar({
    id, ownerId: userId, slug: id, feedKey: `key-${id}-0123456789abcdef`, title: id, description: null, timezone: 'UTC',
    color: null, weekdayBegin: null, customData: null, published: true, components: ['VEVENT'], settings: {},
  });
}

beforeAll(async () => {
  store = createSqliteStore(join(dir, 'store.sqlite'), clock);
  userId = (await store.createUser('owner', 'hash')).id;
  cal = await newCalendar('c1');
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('store contract: objects', () => {
  it('bumps the sync token and logs a change with every write, deletes included', async () => {
    const t0 = (await store.getCalendar(cal.id))!.syncToken;
    await store.createObject(cal.id, write('a'));
    await store.updateObject(cal.id, write('a', 'a', 'a2'));
    await store.deleteObject(cal.id, 'a');
    const changes = await store.changesSince(cal.id, t0);
    expect(changes.map((c) => [c.uri, c.operation, c.syncToken])).toEqual([
      ['a.ics', 'create', t0 + 1], ['a.ics', 'update', t0 + 2], ['a.ics', 'delete', t0 + 3],
    ]);
    expect((await store.getCalendar(cal.id))!.syncToken).toBe(t0 + 3);
    expect(await store.changesSince(cal.id, t0 + 3)).toEqual([]);
  });

  it('refuses a taken id, uid or uri and names it, changing nothing', async () => {
    await store.createObject(cal.id, write('b'));
    const token = (await store.getCalendar(cal.id))!.syncToken;
    const attempts: [ObjectWrite, string][] = [
      [write('other-uid', 'b'), 'id'],
      [write('b', 'other-id'), 'uid'],
      [{ ...write('x-uid', 'x-id'), uri: 'b.ics' }, 'uri'],
    ];
    for (const [w, key] of attempts) {
      const err = await store.createObject(cal.id, w).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreConflict);
      expect((err as StoreConflict).key).toBe(key);
      expect((err as StoreConflict).existing).toEqual({ id: 'b', uri: 'b.ics' });
    }
    expect((await store.getCalendar(cal.id))!.syncToken).toBe(token);
  });

  it('keeps concurrent writes independent: one that fails rolls back alone', async () => {
    const t0 = (await store.getCalendar(cal.id))!.syncToken;
    const results = await Promise.allSettled([
      store.createObject(cal.id, write('g1')),
      store.createObject(cal.id, write('g1', 'g1-again')),
      store.createObject(cal.id, write('g2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreConflict);
    expect(await store.getObject(cal.id, 'g1-again')).toBeNull();
    expect((await store.getCalendar(cal.id))!.syncToken).toBe(t0 + 2);
    expect((await store.changesSince(cal.id, t0)).map((c) => c.uri)).toEqual(['g1.ics', 'g2.ics']);
  });

  it('refuses an update whose expected ETag is stale', async () => {
    const created = await store.createObject(cal.id, write('c'));
    await store.updateObject(cal.id, write('c', 'c', 'c2'), created.etag);
    await expect(store.updateObject(cal.id, write('c', 'c', 'c3'), created.etag)).rejects.toBeInstanceOf(StorePreconditionFailed);
    expect((await store.getObject(cal.id, 'c'))!.data).toContain('SUMMARY:c2');
  });

  it('imports all or nothing', async () => {
    const other = await newCalendar('c2');
    const token = other.syncToken;
    const bad = [write('i1'), write('i2'), { ...write('i3'), uri: 'i1.ics' }];
    await expect(store.importObjects(other.id, bad)).rejects.toBeInstanceOf(StoreConflict);
    expect(await store.getObjectByUid(other.id, 'i1')).toBeNull();
    expect((await store.getCalendar(other.id))!.syncToken).toBe(token);
    expect(await store.importObjects(other.id, [write('i1'), write('i2')])).toEqual({ created: 2, updated: 0 });
    expect(await store.importObjects(other.id, [write('i1', 'new-id', 'renamed'), write('i3')])).toEqual({ created: 1, updated: 1 });
    const i1 = await store.getObjectByUid(other.id, 'i1');
    expect(i1).toMatchObject({ id: 'i1', uri: 'i1.ics' });
    expect(i1!.data).toContain('SUMMARY:renamed');
  });

  it('deletes a calendar with its objects and changes', async () => {
    const gone = await newCalendar('c3');
    await store.createObject(gone.id, write('d'));
    expect(await store.deleteCalendar(gone.id)).toBe(true);
    expect(await store.getObject(gone.id, 'd')).toBeNull();
    expect(await store.changesSince(gone.id, 0)).toEqual([]);
  });
});

describe('store contract: users and tokens', () => {
  it('finds tokens by hash only and revokes them per user', async () => {
    const t = await store.createToken(userId, 'ci', 'hash-1');
    expect((await store.findToken('hash-1'))!.user.username).toBe('owner');
    expect(await store.findToken('hash-2')).toBeNull();
    expect(await store.revokeToken(userId + 1, t.id)).toBe(false);
    expect(await store.revokeToken(userId, t.id)).toBe(true);
    expect(await store.findToken('hash-1')).toBeNull();
    await expect(store.createUser('owner', 'x')).rejects.toBeInstanceOf(StoreConflict);
  });
});

describe('store contract: the time-range prefilter', () => {
  const gen = mkdtempSync(join(tmpdir(), 'calcast-gen-'));
  let range: Calendar;

  beforeAll(async () => {
    generateCalendar(400, gen);
    range = await newCalendar('range');
    const files = readdirSync(join(gen, 'events'));
    const writes = files.map((f, i) => describeObject(
      parseCalendar(readFileSync(join(gen, 'events', f), 'utf8')), 'Europe/Paris', { id: `e${i}`, uri: f }, null,
    ));
    await store.importObjects(range.id, writes);
  });
  afterAll(() => rmSync(gen, { recursive: true, force: true }));

  it('never drops an object with an instance in the window', async () => {
    const all = await store.listObjects({ calendarIds: [range.id], componentType: 'VEVENT', order: 'START_DATE_ASC', limit: 10_000 });
    expect(all.objects).toHaveLength(400);
    const roots = all.objects.map((o) => [o.id, parseCalendar(o.data)] as const);
    let windows = 0;
    let matches = 0;
    // Windows of a day to two months, spread over the generated three years and beyond.
    for (let start = Date.UTC(2023, 11, 1) / 1000; start < Date.UTC(2027, 6, 1) / 1000; start += 17 * 86_400 + 3_601) {
      const to = start + (1 + (windows % 60)) * 86_400;
      const truth = roots
        .filter(([, root]) => occurrences(root, { from: start, to, floatingZone: 'Europe/Paris', max: 1 }).length > 0)
        .map(([id]) => id);
      const prefiltered = new Set((await store.listObjects({
        calendarIds: [range.id], componentType: 'VEVENT', order: 'START_DATE_ASC', limit: 10_000,
        endAfter: start, startBefore: to,
      })).objects.map((o) => o.id));
      for (const id of truth) expect(prefiltered.has(id), `${id} in [${start}, ${to})`).toBe(true);
      windows++;
      matches += truth.length;
    }
    expect(windows).toBeGreaterThan(70);
    expect(matches).toBeGreaterThan(1000);
  });
});
