import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../src/store/sqlite/index.js';
import type { Calendar, Store, SyncEvent } from '../../../src/store/types.js';
import { createSyncRecorder } from '../../../src/subscribers/recorder.js';
import { fixedClock } from '../../../src/util/clock.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1, 12);
const dir = mkdtempSync(join(tmpdir(), 'calcast-recorder-'));
let store: Store;
let userId: number;

async function calendar(id: string): Promise<Calendar> {
  return store.createCalendar({
    id, ownerId: userId, slug: id, feedKey: `key-${id}-0123456789abcdef`, title: id, description: null,
    timezone: 'UTC', color: null, weekdayBegin: null, customData: null, published: true, components: ['VEVENT'],
    settings: {},
  });
}

const sync = (calendarId: string, key: string, at = T0): SyncEvent => ({
  calendarId, at, surface: 'feed', method: 'GET', status: 200, bytes: 100, client: 'apple_ios',
  userAgent: 'iOS/17.4 (21E219) dataaccessd/1.0', ip: '203.0.113.7', subscriber: { anonymousKey: key },
});

const syncsOn = async (calendarId: string) =>
  (await store.dailyStats(calendarId, '2024-03-01', '2024-03-01'))[0]!.syncs;

/** A store whose recordSyncs is observed (and can be made to fail); everything else is real. */
function spy(fail = () => false) {
  const batches: number[] = [];
  const wrapped: Store = Object.create(store);
  wrapped.recordSyncs = async (events) => {
    batches.push(events.length);
    if (fail()) throw new Error('disk full');
    return store.recordSyncs(events);
  };
  return { store: wrapped, batches };
}

beforeAll(async () => {
  store = createSqliteStore(join(dir, 'db.sqlite'), fixedClock(T0));
  userId = (await store.createUser('owner', 'hash')).id;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync recorder', () => {
  it('queues synchronously and writes nothing until the timer or a flush', async () => {
    const c = await calendar('queued');
    const { store: s, batches } = spy();
    const rec = createSyncRecorder(s, { flushMs: 60_000 });
    for (let i = 0; i < 3; i++) rec.record(sync(c.id, 'a'));
    expect(rec.pending()).toBe(3);
    expect(batches).toEqual([]);
    await rec.flush();
    expect(rec.pending()).toBe(0);
    expect(batches).toEqual([3]);
    expect(await syncsOn(c.id)).toBe(3);
    await rec.close();
  });

  it('writes on its own after flushMs, in one transaction per batch', async () => {
    const c = await calendar('timer');
    const { store: s, batches } = spy();
    const rec = createSyncRecorder(s, { flushMs: 20 });
    rec.record(sync(c.id, 'a'));
    rec.record(sync(c.id, 'b'));
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toEqual([2]);
    expect(await syncsOn(c.id)).toBe(2);
    await rec.close();
  });

  it('writes each full batch at once, in its own transaction', async () => {
    const c = await calendar('batches');
    const { store: s, batches } = spy();
    const rec = createSyncRecorder(s, { flushMs: 60_000, maxBatch: 4 });
    for (let i = 0; i < 10; i++) rec.record(sync(c.id, `k${i}`));
    expect(rec.pending()).toBe(10);
    await new Promise((r) => setImmediate(r));
    // the fourth and eighth records handed their batches over without waiting for the timer
    expect(batches).toEqual([4, 4]);
    expect(rec.pending()).toBe(2);
    await rec.flush();
    expect(batches).toEqual([4, 4, 2]);
    expect(await syncsOn(c.id)).toBe(10);
    await rec.close();
  });

  it('flushes on close and ignores records after it', async () => {
    const c = await calendar('closing');
    const rec = createSyncRecorder(store, { flushMs: 60_000 });
    rec.record(sync(c.id, 'a'));
    rec.record(sync(c.id, 'a'));
    await rec.close();
    expect(await syncsOn(c.id)).toBe(2);
    rec.record(sync(c.id, 'a'));
    expect(rec.pending()).toBe(0);
    await rec.flush();
    expect(await syncsOn(c.id)).toBe(2);
  });

  it('survives a failing store: logs once, drops the batch, recovers', async () => {
    const c = await calendar('failing');
    let failing = true;
    const { store: s } = spy(() => failing);
    const logged: string[] = [];
    const rec = createSyncRecorder(s, { flushMs: 60_000, maxBatch: 2, log: (m) => logged.push(m) });
    for (let i = 0; i < 6; i++) rec.record(sync(c.id, 'a')); // three failing batches
    await rec.flush();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/write failed/);
    failing = false;
    rec.record(sync(c.id, 'a'));
    await rec.close();
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatch(/writing again after 6 dropped/);
    expect(await syncsOn(c.id)).toBe(1);
  });

  it('bounds its queue when the store cannot keep up', async () => {
    const c = await calendar('bounded');
    const logged: string[] = [];
    const rec = createSyncRecorder(store, { flushMs: 60_000, maxBatch: 2, maxQueued: 5, log: (m) => logged.push(m) });
    // Records arrive faster than writes complete: two batches in flight, one queued, the rest dropped.
    for (let i = 0; i < 8; i++) rec.record(sync(c.id, 'a'));
    expect(rec.pending()).toBe(5);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/5 syncs queued/);
    await rec.close();
    expect(await syncsOn(c.id)).toBe(5);
  });

  it('drops the syncs of a calendar deleted before the flush, keeps the rest of the batch', async () => {
    const gone = await calendar('gone');
    const kept = await calendar('kept');
    const rec = createSyncRecorder(store, { flushMs: 60_000 });
    rec.record(sync(gone.id, 'a'));
    rec.record(sync(kept.id, 'a'));
    await store.deleteCalendar(gone.id);
    await rec.close();
    expect(await syncsOn(kept.id)).toBe(1);
  });

  it('keeps the timer from holding the process open', async () => {
    const c = await calendar('unref');
    const rec = createSyncRecorder(store, { flushMs: 10 * DAY });
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    rec.record(sync(c.id, 'a'));
    // An unref'd timer is not reported as an active resource.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    await rec.close();
  });
});
