import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { DAV, dav, multistatus, prop, vcalendar, vevent } from '../helpers/dav.js';
import { callApi, exited, startInstance, stopInstance, type Instance } from '../helpers/instance.js';
import { freshDatabase, noPostgres } from '../helpers/postgres.js';
import { ADMIN_PASSWORD, ADMIN_TOKEN } from '../helpers/server.js';

// Two real Calcast processes on one PostgreSQL database, as behind a load balancer: what one
// instance acknowledges, the other serves at once, in order, and keeps when the first dies.

const LOOPS = 8;
const WRITES = 25;

describe.skipIf(noPostgres('two instances, one database'))('two Calcast instances on one database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let store: Store;
  let a: Instance;
  let b: Instance;
  const dirs: string[] = [];
  const launch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'calcast-scale-'));
    dirs.push(dir);
    return startInstance({ CALCAST_DATABASE_URL: db.url, CALCAST_DATA_DIR: dir, CALCAST_ADMIN_TOKEN: ADMIN_TOKEN, CALCAST_ADMIN_PASSWORD: ADMIN_PASSWORD });
  };
  const api = (i: Instance, method: string, path: string, body?: unknown) => callApi(i.url, ADMIN_TOKEN, method, path, body);
  const calendar = async (title: string) => (await api(a, 'POST', '/api/v1/calendars', { title, timezone: 'Europe/Paris' })).body as
    { id: string; feed_url: string };
  const davPath = (id: string) => `/dav/calendars/admin/${id}/`;
  const put = (i: Instance, id: string, name: string) =>
    dav(i, 'PUT', `${davPath(id)}${name}.ics`, { body: vcalendar(vevent(name, name, ['DTSTART:20310501T100000Z'])), headers: { 'if-none-match': '*' } });
  /** Every member of the calendar and its ETag, as an instance's sync-collection reports them. */
  const members = async (i: Instance, id: string) => {
    const r = await dav(i, 'REPORT', davPath(id), {
      body: '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>',
    });
    expect(r.status).toBe(207);
    const ms = multistatus(r.text);
    return new Map(ms.responses.map((m) => [m.href.slice(davPath(id).length), prop(m, DAV, 'getetag')!.text]));
  };
  /** The change log is gapless: one token per change, consecutive from the calendar's first. */
  const expectGapless = async (id: string) => {
    const changes = await store.changesSince(id, 0);
    const tokens = changes.map((c) => c.syncToken).sort((x, y) => x - y);
    const first = tokens[0]!;
    expect(tokens).toEqual(tokens.map((_, n) => first + n));
    expect((await store.getCalendar(id))!.syncToken).toBe(tokens.at(-1));
    return changes;
  };

  beforeAll(async () => {
    db = await freshDatabase();
    // Both start at once on the empty database: one migrates and creates the admin, the other waits or finds it.
    [a, b] = await Promise.all([launch(), launch()]);
    store = await createPostgresStore({ url: db.url, poolSize: 2 }, systemClock);
  });
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((i) => stopInstance(i)));
    await store?.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('shows a write through A at once in B\'s feed, CalDAV sync-collection and JSON API', async () => {
    const cal = await calendar('Seen');
    const feed = new URL(cal.feed_url).pathname;
    const before = await fetch(b.url + feed);
    const etag = before.headers.get('etag')!;
    expect(await before.text()).not.toContain('SUMMARY:Written on A');
    const initial = multistatus((await dav(b, 'REPORT', davPath(cal.id), {
      body: '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>',
    })).text);

    const created = await api(a, 'POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Written on A', start: '2030-05-04 10:00' });
    expect(created.status).toBe(201);

    const after = await fetch(b.url + feed, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('SUMMARY:Written on A');
    const changed = await dav(b, 'REPORT', davPath(cal.id), {
      body: `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${initial.syncToken}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`,
    });
    const delta = multistatus(changed.text);
    expect(delta.syncToken).not.toBe(initial.syncToken);
    expect(delta.responses).toHaveLength(1);
    expect(delta.responses[0]!.status).toBeNull();
    const listed = await api(b, 'GET', `/api/v1/calendars/${cal.id}/events`);
    expect(listed.body.data.map((e: { id: string; title: string }) => [e.id, e.title])).toEqual([[created.body.id, 'Written on A']]);
  });

  it(`gives ${LOOPS} concurrent PUT loops over both instances gapless sync tokens and keeps every write`, async () => {
    const cal = await calendar('Concurrent');
    const acked = new Map<string, string>();
    await Promise.all(Array.from({ length: LOOPS }, async (_, loop) => {
      for (let n = 0; n < WRITES; n++) {
        const name = `loop${loop}-${n}`;
        const r = await put(loop % 2 ? b : a, cal.id, name);
        expect(r.status, r.text).toBe(201);
        acked.set(`${name}.ics`, r.headers.get('etag')!);
      }
    }));
    expect(acked.size).toBe(LOOPS * WRITES);
    const changes = await expectGapless(cal.id);
    // The calendar's creation is not a member change: one change, with its own token, per PUT.
    expect(changes.map((c) => c.uri).sort()).toEqual([...acked.keys()].sort());
    expect(await members(a, cal.id)).toEqual(acked);
    expect(await members(b, cal.id)).toEqual(acked);
  }, 60_000);

  it('lets one of racing creates of a name or a UID on both instances win, and refuses the others as CalDAV says', async () => {
    const cal = await calendar('Racing');
    const race = (body: (n: number) => [string, string]) => Promise.all(Array.from({ length: LOOPS }, (_, n) => {
      const [name, uid] = body(n);
      return dav(n % 2 ? b : a, 'PUT', `${davPath(cal.id)}${name}.ics`, {
        body: vcalendar(vevent(uid, `racer ${n}`, ['DTSTART:20310501T100000Z'])), headers: { 'if-none-match': '*' },
      }).then((r) => r.status);
    }));
    // RFC 4918 §10.4: If-None-Match: * on a name another writer just took is 412.
    expect((await race((n) => ['same-name', `uid-${n}`])).sort()).toEqual([201, ...Array(LOOPS - 1).fill(412)]);
    // RFC 4791 §5.3.2.1 no-uid-conflict: a UID already in the calendar under another name is 409.
    expect((await race((n) => [`name-${n}`, 'same-uid'])).sort()).toEqual([201, ...Array(LOOPS - 1).fill(409)]);
    expect([...(await members(b, cal.id)).keys()]).toHaveLength(2);
    await expectGapless(cal.id);
  });

  it('counts the polls of both instances\' personal and shared feed URLs together', async () => {
    const cal = await calendar('Polled');
    const minted = (await api(a, 'POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Ada' })).body as { id: string; feed_url: string };
    const poll = (i: Instance, url: string) => fetch(i.url + new URL(url).pathname, { headers: { 'user-agent': 'Thunderbird/128.0' } })
      .then((r) => r.arrayBuffer().then(() => expect(r.status).toBe(200)));
    for (const i of [a, b, a, b, a]) await poll(i, minted.feed_url);
    for (const i of [b, a, b, a]) await poll(i, cal.feed_url);

    // Each instance flushes its own write-behind buffer (every 250 ms): wait for both.
    const counts = async () => {
      const r = await api(b, 'GET', `/api/v1/calendars/${cal.id}/subscribers`);
      return Object.fromEntries(r.body.data.map((s: { kind: string; sync_count: number }) => [s.kind, s.sync_count]));
    };
    await expect.poll(counts, { timeout: 10_000, interval: 100 }).toEqual({ personal: 5, anonymous: 4 });
    const stats = (await api(a, 'GET', `/api/v1/calendars/${cal.id}/stats?days=1`)).body;
    expect(stats.totals).toMatchObject({ syncs: 9, subscribers: { total: 2, active: 2 } });
    // Each subscriber is new and active once today, whichever instance saw its first poll.
    expect(stats.data).toEqual([{ day: stats.to, syncs: 9, active_subscribers: 2, new_subscribers: 2 }]);
  });

  it('loses no write A acknowledged when A is killed with SIGKILL in the middle of a write loop', async () => {
    const cal = await calendar('Killed');
    const acked = new Map<string, string>();
    let ackedByA = 0;
    let killed = false;
    const loopOn = async (i: Instance, loop: number) => {
      for (let n = 0; n < WRITES; n++) {
        const name = `kill${loop}-${n}`;
        // After the kill A's answers are lost (reset, refused); only what it acknowledged counts.
        const r = await put(i, cal.id, name).catch(() => null);
        if (!r) return;
        expect(r.status, r.text).toBe(201);
        acked.set(`${name}.ics`, r.headers.get('etag')!);
        if (i === a && ++ackedByA === 40 && !killed) {
          killed = true;
          a.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: LOOPS }, (_, loop) => loopOn(loop % 2 ? b : a, loop)));
    expect(killed).toBe(true);
    expect(await exited(a.child)).toBeNull();
    expect(a.child.signalCode).toBe('SIGKILL');
    expect(ackedByA).toBeGreaterThanOrEqual(40);
    expect(ackedByA).toBeLessThan((LOOPS / 2) * WRITES);

    // Everything acknowledged is on B, with the ETag it was acknowledged with; a PUT A had in
    // flight when it died may or may not have committed, but the log has no hole either way.
    const onB = await members(b, cal.id);
    for (const [uri, etag] of acked) expect(onB.get(uri), uri).toBe(etag);
    await expectGapless(cal.id);

    // A restarted instance serves the same calendar.
    a = await launch();
    expect(await members(a, cal.id)).toEqual(onB);
  }, 60_000);
});
