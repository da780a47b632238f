import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followerCounts } from '../../src/subscribers/followers.js';
import type { SyncEvent } from '../../src/store/types.js';
import { anonymousKey } from '../../src/subscribers/anonymous-key.js';
import { classifyClient } from '../../src/subscribers/classify.js';
import { createSyncRecorder } from '../../src/subscribers/recorder.js';
import { startPruning } from '../../src/subscribers/retention.js';
import { fixedClock } from '../../src/util/clock.js';
import { hashPassword, hashToken } from '../../src/util/secrets.js';
import { rawRows } from '../helpers/raw-rows.js';
import { startServer, type TestServer } from '../helpers/server.js';

// Syncs are produced the way the feed route will: through the recorder (or recordSyncs) with
// the anonymous key of the shared URL or a personal subscriber's id, on a hand-moved clock.
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 10, 9); // day 0, 09:00 UTC
const day = (n: number, hours = 0) => T0 + n * DAY + hours * 3_600_000;
const IPHONE = 'iOS/17.4 (21E219) dataaccessd/1.0';
const GOOGLE = 'Google-Calendar-Importer';
const THUNDERBIRD = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0';

const clock = fixedClock(T0);
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ clock });
});
afterAll(() => s.stop());

interface Cal { id: string; feedKey: string }

async function calendar(title: string): Promise<Cal> {
  const r = await s.api('POST', '/api/v1/calendars', { title });
  return { id: r.body.id, feedKey: r.body.feed_url.match(/\/feeds\/([^/]+)\.ics$/)[1] };
}

/** One poll of the shared URL by `ua` from `ip`, or of a personal URL when `id` is given. */
function sync(cal: Cal, at: number, ua: string, ip = '203.0.113.7', id?: string): SyncEvent {
  const client = classifyClient(ua);
  return {
    calendarId: cal.id, at, surface: 'feed', method: 'GET', status: 200, bytes: 1234, client, userAgent: ua, ip,
    subscriber: id ? { id } : { anonymousKey: anonymousKey(cal, ip, ua, client) },
  };
}

const list = (cal: Cal, query = '') => s.api('GET', `/api/v1/calendars/${cal.id}/subscribers${query}`);
const stats = (cal: Cal, days: number) => s.api('GET', `/api/v1/calendars/${cal.id}/stats?days=${days}`);

describe('subscribers: the 30-day active window', () => {
  it('is active on day 29, inactive on day 31, and active again after a poll on day 31', async () => {
    const cal = await calendar('Window');
    const recorder = createSyncRecorder(s.store);
    recorder.record(sync(cal, day(0), IPHONE));
    await recorder.flush();

    clock.set(day(29));
    let r = await list(cal);
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(1);
    const sub = r.body.data[0];
    expect(sub).toEqual({
      id: expect.any(String), kind: 'anonymous', client: 'apple_ios', status: 'active', sync_count: 1,
      first_sync_at: new Date(day(0)).toISOString(), last_sync_at: new Date(day(0)).toISOString(),
      created_at: new Date(day(0)).toISOString(), name: null, email: null, country: null, city: null,
    });
    expect(r.body.summary).toEqual({ total: 1, active: 1, inactive: 0, blocked: 0 });
    expect(await followerCounts(s.store, cal.id, clock.now(), s.config.activeDays))
      .toEqual({ followers_active: 1, followers_total: 1 });

    clock.set(day(31));
    r = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${sub.id}`);
    expect(r.body.status).toBe('inactive');
    expect((await list(cal)).body.summary).toEqual({ total: 1, active: 0, inactive: 1, blocked: 0 });
    expect((await list(cal, '?status=active')).body.data).toEqual([]);
    expect((await list(cal, '?status=inactive')).body.data.map((x: { id: string }) => x.id)).toEqual([sub.id]);
    expect(await followerCounts(s.store, cal.id, clock.now(), s.config.activeDays))
      .toEqual({ followers_active: 0, followers_total: 1 });

    // The same phone after an iOS update, from another address in its /24: the same subscriber.
    recorder.record(sync(cal, day(31), 'iOS/17.5.1 (21F90) dataaccessd/1.0', '203.0.113.99'));
    await recorder.close();
    r = await list(cal, '?status=active');
    expect(r.body.data).toMatchObject([{ id: sub.id, status: 'active', sync_count: 2, last_sync_at: new Date(day(31)).toISOString() }]);
    expect(r.body.summary).toEqual({ total: 1, active: 1, inactive: 0, blocked: 0 });
  });
});

describe('subscribers: personal URLs', () => {
  it('mints a personal URL, counts its polls and keeps a known client over an unknown one', async () => {
    clock.set(day(0));
    const cal = await calendar('Personal');
    const r = await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Ada', email: 'ada@example.org', client: 'apple_macos' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'personal', client: 'apple_macos', status: 'inactive', sync_count: 0, first_sync_at: null,
      last_sync_at: null, name: 'Ada', email: 'ada@example.org',
    });
    const token = r.body.feed_url.match(new RegExp(`^http://calcast\\.test/feeds/${cal.feedKey}/([A-Za-z0-9_-]{32})\\.ics$`))[1];
    expect(r.body.webcal_url).toBe(`webcal://calcast.test/feeds/${cal.feedKey}/${token}.ics`);
    expect(r.headers.get('location')).toBe(`http://calcast.test/api/v1/calendars/${cal.id}/subscribers/${r.body.id}`);
    const found = await s.store.findSubscriberByToken(cal.id, hashToken(token));
    expect(found).toMatchObject({ id: r.body.id, kind: 'personal', deleted: false });

    await s.store.recordSyncs([sync(cal, day(0, 1), 'curl/8.5.0', '198.51.100.1', r.body.id)]);
    let got = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${r.body.id}`);
    expect(got.body).toMatchObject({ client: 'apple_macos', status: 'active', sync_count: 1 });
    await s.store.recordSyncs([sync(cal, day(0, 2), THUNDERBIRD, '198.51.100.1', r.body.id)]);
    got = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${r.body.id}`);
    expect(got.body).toMatchObject({ client: 'thunderbird', sync_count: 2 });

    const plain = await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, {});
    expect(plain.body).toMatchObject({ client: 'unknown', name: null, email: null });
  });

  it('DELETE hides a personal URL from the API but keeps it for its feed, polls still counted', async () => {
    clock.set(day(0));
    const cal = await calendar('Deleting');
    const p = await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Bo', client: 'google' });
    const token = p.body.feed_url.match(/\/([A-Za-z0-9_-]+)\.ics$/)[1];
    const path = `/api/v1/calendars/${cal.id}/subscribers/${p.body.id}`;
    expect((await s.api('DELETE', path)).status).toBe(204);
    expect((await s.api('GET', path)).status).toBe(404);
    expect((await s.api('PATCH', path, { blocked: true })).status).toBe(404);
    expect((await s.api('DELETE', path)).status).toBe(404);
    expect((await list(cal)).body).toMatchObject({ data: [], summary: { total: 0 } });

    await s.store.recordSyncs([sync(cal, day(0, 1), GOOGLE, '66.249.64.1', p.body.id)]);
    const kept = await s.store.findSubscriberByToken(cal.id, hashToken(token));
    expect(kept).toMatchObject({ id: p.body.id, deleted: true, syncCount: 1, name: null });
    expect((await list(cal)).body.summary.total).toBe(0);
    expect((await stats(cal, 1)).body.data[0]).toMatchObject({ syncs: 1 });
  });

  it('DELETE forgets an anonymous subscriber; its next poll is a new one', async () => {
    clock.set(day(0));
    const cal = await calendar('Forget');
    await s.store.recordSyncs([sync(cal, day(0), IPHONE)]);
    const first = (await list(cal)).body.data[0];
    expect((await s.api('DELETE', `/api/v1/calendars/${cal.id}/subscribers/${first.id}`)).status).toBe(204);
    await s.store.recordSyncs([sync(cal, day(0, 1), IPHONE)]);
    const again = (await list(cal)).body.data;
    expect(again).toHaveLength(1);
    expect(again[0].id).not.toBe(first.id);
    expect(again[0].sync_count).toBe(1);
  });
});

describe('subscribers: blocking', () => {
  it('PATCH blocked makes it blocked (its polls still recorded); name and email follow merge patch', async () => {
    clock.set(day(0));
    const cal = await calendar('Blocking');
    await s.store.recordSyncs([sync(cal, day(0), IPHONE), sync(cal, day(0), THUNDERBIRD)]);
    const [a] = (await list(cal)).body.data;
    const path = `/api/v1/calendars/${cal.id}/subscribers/${a.id}`;
    let r = await s.api('PATCH', path, { blocked: true, name: 'Lab iPad', email: 'lab@example.org' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'blocked', name: 'Lab iPad', email: 'lab@example.org' });
    const l = await list(cal);
    expect(l.body.summary).toEqual({ total: 2, active: 1, inactive: 0, blocked: 1 });
    expect((await list(cal, '?status=blocked')).body.data.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await list(cal, '?status=active')).body.data.map((x: { id: string }) => x.id)).not.toContain(a.id);

    r = await s.api('PATCH', path, { name: null });
    expect(r.body).toMatchObject({ status: 'blocked', name: null, email: 'lab@example.org' });

    const ua = a.client === 'apple_ios' ? IPHONE : THUNDERBIRD;
    await s.store.recordSyncs([sync(cal, day(0, 3), ua)]);
    r = await s.api('GET', path);
    expect(r.body).toMatchObject({ status: 'blocked', sync_count: 2 });

    r = await s.api('PATCH', path, { blocked: false });
    expect(r.body.status).toBe('active');
  });
});

describe('subscribers: listing', () => {
  it('pages 5 subscribers two at a time by last sync, never-synced last in both orders', async () => {
    clock.set(day(10));
    const cal = await calendar('Paging');
    await s.store.recordSyncs([
      // four networks, so four anonymous subscribers
      sync(cal, day(1), IPHONE, '192.0.2.1'),
      sync(cal, day(3), IPHONE, '198.51.100.1'),
      sync(cal, day(3), IPHONE, '203.0.113.1'), // same time: ordered by id
      sync(cal, day(5), IPHONE, '100.64.1.1'),
    ]);
    const never = (await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'never' })).body.id;

    const walk = async (order: string) => {
      const ids: string[] = [];
      const lastSyncs: (string | null)[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = `?order=${order}&page_limit=2${cursor ? `&page_cursor=${cursor}` : ''}`;
        const r = await list(cal, q);
        expect(r.status).toBe(200);
        expect(r.body.data.length).toBeLessThanOrEqual(2);
        expect(r.body.summary).toEqual({ total: 5, active: 4, inactive: 1, blocked: 0 });
        for (const x of r.body.data) { ids.push(x.id); lastSyncs.push(x.last_sync_at); }
        cursor = r.body.next_cursor;
        pages++;
      } while (cursor);
      return { ids, lastSyncs, pages };
    };
    const iso = (n: number) => new Date(day(n)).toISOString();
    const desc = await walk('desc');
    expect(desc.pages).toBe(3);
    expect(desc.lastSyncs).toEqual([iso(5), iso(3), iso(3), iso(1), null]);
    expect(desc.ids[4]).toBe(never);
    expect(new Set(desc.ids).size).toBe(5);
    const asc = await walk('asc');
    expect(asc.lastSyncs).toEqual([iso(1), iso(3), iso(3), iso(5), null]);
    // ties break by id, in the direction of the order
    expect([asc.ids[1], asc.ids[2]]).toEqual([desc.ids[2], desc.ids[1]]);
    expect(asc.ids[1]! < asc.ids[2]!).toBe(true);

    const first = await list(cal, '?order=desc&page_limit=2');
    const cross = await list(cal, `?order=asc&page_limit=2&page_cursor=${first.body.next_cursor}`);
    expect(cross.status).toBe(400);
    expect(cross.body.error.field).toBe('page_cursor');
    expect((await list(cal, '?page_cursor=garbage')).body.error.field).toBe('page_cursor');
  });
});

describe('subscribers: stats and retention', () => {
  it('counts syncs, active and new subscribers per day, zero-filled, with totals by client', async () => {
    const cal = await calendar('Stats');
    await s.store.recordSyncs([
      sync(cal, day(0, 1), IPHONE), sync(cal, day(0, 2), GOOGLE, '66.249.64.1'),
      sync(cal, day(2, 1), IPHONE), sync(cal, day(2, 5), IPHONE),
      sync(cal, day(2, 6), GOOGLE, '74.125.0.9'), // Google from elsewhere: the same subscriber
      sync(cal, day(2, 7), THUNDERBIRD, '198.51.100.20'),
      sync(cal, day(2, 8), 'curl/8.5.0', '198.51.100.21'), // unknown agent: counted, classed unknown
    ]);
    clock.set(day(4));
    const r = await stats(cal, 5);
    expect(r.status).toBe(200);
    const d = (n: number) => new Date(day(n)).toISOString().slice(0, 10);
    expect(r.body.from).toBe(d(0));
    expect(r.body.to).toBe(d(4));
    expect(r.body.data).toEqual([
      { day: d(0), syncs: 2, active_subscribers: 2, new_subscribers: 2 },
      { day: d(1), syncs: 0, active_subscribers: 0, new_subscribers: 0 },
      { day: d(2), syncs: 5, active_subscribers: 4, new_subscribers: 2 },
      { day: d(3), syncs: 0, active_subscribers: 0, new_subscribers: 0 },
      { day: d(4), syncs: 0, active_subscribers: 0, new_subscribers: 0 },
    ]);
    expect(r.body.by_client).toEqual({ apple_ios: 3, google: 2, thunderbird: 1, unknown: 1 });
    expect(Object.keys(r.body.by_client)[0]).toBe('apple_ios');
    expect(r.body.totals).toEqual({
      syncs: 7, new_subscribers: 4, subscribers: { total: 4, active: 4, inactive: 0, blocked: 0 },
    });
    expect((await stats(cal, 1)).body.data).toEqual([{ day: d(4), syncs: 0, active_subscribers: 0, new_subscribers: 0 }]);
    const defaults = await s.api('GET', `/api/v1/calendars/${cal.id}/stats`);
    expect(defaults.body.data).toHaveLength(30);
  });

  it('prunes raw rows past CALCAST_SYNC_LOG_DAYS while the daily rollups survive', async () => {
    clock.set(day(0));
    const cal = await calendar('Retention');
    const events: SyncEvent[] = [];
    for (let n = 0; n <= 40; n += 2) events.push(sync(cal, day(n, 1), IPHONE)); // days 0, 2, ..., 40
    await s.store.recordSyncs(events);
    // PostgreSQL's BIGINT arrives as text through a bare client.
    const rawDays = async () => (await rawRows<{ at: number | string }>(s, 'SELECT at FROM sync_log WHERE calendar_id = $1 ORDER BY at', [cal.id]))
      .map((x) => Math.round((Number(x.at) - day(0, 1)) / DAY));
    expect(s.config.syncLogDays).toBe(35);
    clock.set(day(40));
    const pruner = startPruning(s.store, clock, s.config);
    try {
      // now - 35 days = day 5 at 09:00: the rows of days 0, 2 and 4 go (other calendars' too).
      expect(await pruner.runOnce()).toBeGreaterThanOrEqual(3);
      expect((await rawDays())[0]).toBe(6);
      expect(await rawDays()).toHaveLength(18);
      expect(await pruner.runOnce()).toBe(0);
    } finally {
      pruner.stop();
    }
    const r = await stats(cal, 41);
    const byDay = new Map(r.body.data.map((x: { day: string; syncs: number }) => [x.day, x]));
    const d = (n: number) => new Date(day(n)).toISOString().slice(0, 10);
    expect(byDay.get(d(0))).toEqual({ day: d(0), syncs: 1, active_subscribers: 1, new_subscribers: 1 });
    expect(byDay.get(d(2))).toMatchObject({ syncs: 1, active_subscribers: 1, new_subscribers: 0 });
    expect(byDay.get(d(1))).toMatchObject({ syncs: 0 });
    expect(r.body.totals.syncs).toBe(21);
    // the subscriber's own counters are not part of the raw log either
    expect((await list(cal)).body.data[0]).toMatchObject({ sync_count: 21, first_sync_at: new Date(day(0, 1)).toISOString() });
  });
});

describe('subscribers: access and input', () => {
  it("hides another user's calendar behind 404", async () => {
    clock.set(day(0));
    const cal = await calendar('Private');
    const sub = (await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, {})).body.id;
    const other = await s.store.createUser('eve', await hashPassword('eve-password'));
    await s.store.createToken(other.id, 'eve', hashToken('cc_eve-token-000000000000000000'));
    const eve = { authorization: 'Bearer cc_eve-token-000000000000000000' };
    const base = `/api/v1/calendars/${cal.id}`;
    for (const [method, path, body] of [
      ['GET', `${base}/subscribers`], ['POST', `${base}/subscribers`, {}], ['GET', `${base}/subscribers/${sub}`],
      ['PATCH', `${base}/subscribers/${sub}`, { blocked: true }], ['DELETE', `${base}/subscribers/${sub}`],
      ['GET', `${base}/stats`],
    ] as [string, string, object?][]) {
      const r = await s.api(method, path, body, eve);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await s.api('GET', `${base}/subscribers/${sub}`)).body.status).toBe('inactive');
  });

  it('refuses bad input with 400 and the field at fault', async () => {
    const cal = await calendar('Input');
    const sub = (await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, {})).body.id;
    const base = `/api/v1/calendars/${cal.id}`;
    const cases: [string, string, unknown, string][] = [
      ['GET', `${base}/subscribers?status=weird`, undefined, 'status'],
      ['GET', `${base}/subscribers?order=sideways`, undefined, 'order'],
      ['GET', `${base}/subscribers?page_limit=0`, undefined, 'page_limit'],
      ['GET', `${base}/subscribers?colour=red`, undefined, 'colour'],
      ['GET', `${base}/stats?days=0`, undefined, 'days'],
      ['GET', `${base}/stats?days=366`, undefined, 'days'],
      ['GET', `${base}/stats?days=7.5`, undefined, 'days'],
      ['PATCH', `${base}/subscribers/${sub}`, { blocked: true, kind: 'anonymous' }, 'kind'],
      ['PATCH', `${base}/subscribers/${sub}`, { blocked: 'yes' }, 'blocked'],
      ['PATCH', `${base}/subscribers/${sub}`, { email: 'not-an-address' }, 'email'],
      ['PATCH', `${base}/subscribers/${sub}`, [], 'body'],
      ['POST', `${base}/subscribers`, { client: 'netscape' }, 'client'],
      ['POST', `${base}/subscribers`, { name: 'x', token: 'mine' }, 'token'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await s.api(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    }
    expect((await s.api('GET', `${base}/subscribers/${sub}`)).body).toMatchObject({ name: null, status: 'inactive' });
    expect((await s.api('GET', `${base}/subscribers/nope`)).status).toBe(404);
  });

  it('removes subscribers and their log with the calendar', async () => {
    clock.set(day(0));
    const cal = await calendar('Doomed');
    await s.store.recordSyncs([sync(cal, day(0), IPHONE)]);
    const sub = (await list(cal)).body.data[0].id;
    expect((await s.api('DELETE', `/api/v1/calendars/${cal.id}`)).status).toBe(204);
    expect(await s.store.getSubscriber(cal.id, sub)).toBeNull();
    expect(await s.store.dailyStats(cal.id, '2024-01-10', '2024-01-10')).toEqual([
      { day: '2024-01-10', syncs: 0, activeSubscribers: 0, newSubscribers: 0 },
    ]);
  });
});
