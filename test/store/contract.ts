import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeObject } from '../../src/entries/describe.js';
import { parseCalendar } from '../../src/ical/parse.js';
import { occurrences } from '../../src/ical/recurrence.js';
import { ALL, StoreConflict, StorePreconditionFailed, type Calendar, type ObjectWrite, type Store } from '../../src/store/types.js';
import { fixedClock, type Clock } from '../../src/util/clock.js';
import { generateCalendar } from '../helpers/calendar-generator/index.js';

/** Opens a fresh, empty store of one implementation; `dir` is a temp folder it may use. */
export type OpenStore = (dir: string, clock: Clock) => Promise<Store> | Store;

/**
 * The contract every Store implementation must keep, run unchanged against each one (a real
 * SQLite file, a real PostgreSQL database).
 */
export function storeContract(name: string, open: OpenStore): void {
  describe(`store contract (${name})`, () => {
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
      store = await open(dir, clock);
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

    describe('store contract: the outbox', () => {
      it('records every write in commit order with the old and new sequence and ETag', async () => {
        const from = await store.lastOutboxSeq();
        const box = await newCalendar('outbox');
        const created = await store.createObject(box.id, write('o'));
        const updated = (await store.updateObject(box.id, { ...write('o', 'o', 'o2'), sequence: 1 }))!;
        await store.deleteObject(box.id, 'o');
        await store.updateCalendar(box.id, { title: 'renamed' });
        await store.deleteCalendar(box.id);
        const events = await store.outboxAfter(from, 100);
        expect(events.map((e) => [e.objectUri, e.operation, e.oldSequence, e.newSequence, e.oldEtag, e.newEtag])).toEqual([
          [null, 'create', null, null, null, null],
          ['o.ics', 'create', null, 0, null, created.etag],
          ['o.ics', 'update', 0, 1, created.etag, updated.etag],
          ['o.ics', 'delete', 1, null, updated.etag, null],
          [null, 'update', null, null, null, null],
          [null, 'delete', null, null, null, null],
        ]);
        expect(events.every((e) => e.calendarId === box.id)).toBe(true);
        expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
        expect(await store.lastOutboxSeq()).toBe(events[events.length - 1]!.seq);
        expect(await store.outboxAfter(events[2]!.seq, 2)).toEqual(events.slice(3, 5));
      });

      it('prunes the events older than the cut-off, and only those', async () => {
        const box = await newCalendar('prune');
        const t0 = clock.now();
        await store.createObject(box.id, write('p1'));
        clock.advance(60_000);
        await store.createObject(box.id, write('p2'));
        const kept = await store.lastOutboxSeq();
        expect(await store.pruneOutbox(t0)).toBe(0);
        // Everything up to and including p1 (the earlier tests' events too) is older than t0 + 1 minute.
        const before = (await store.outboxAfter(0, 1_000)).length;
        expect(await store.pruneOutbox(t0 + 60_000)).toBe(before - 1);
        expect((await store.outboxAfter(0, 1_000)).map((e) => e.seq)).toEqual([kept]);
        clock.advance(60_000);
        expect(await store.pruneOutbox(clock.now())).toBe(1);
        expect(await store.outboxAfter(0, 1_000)).toEqual([]);
      });

      it('records nothing for a write that was refused', async () => {
        const from = await store.lastOutboxSeq();
        await expect(store.createObject(cal.id, { ...write('refused', 'b') })).rejects.toBeInstanceOf(StoreConflict);
        const stale = await store.createObject(cal.id, write('stale'));
        const seq = await store.lastOutboxSeq();
        await expect(store.updateObject(cal.id, write('stale'), `${stale.etag}-old`)).rejects.toBeInstanceOf(StorePreconditionFailed);
        expect(await store.lastOutboxSeq()).toBe(seq);
        expect((await store.outboxAfter(from, 100)).map((e) => e.objectUri)).toEqual(['stale.ics']);
      });
    });

    describe('store contract: the sync log', () => {
      it('prunes exactly the polls before the cut, across chunks and around deleted subscribers', async () => {
        const log = await newCalendar('synclog');
        const t0 = Date.UTC(2026, 0, 1);
        const poll = (i: number) => ({
          calendarId: log.id, at: t0 + i * 1000, surface: 'feed' as const, method: 'GET', status: 304, bytes: 0,
          client: 'apple_ios', userAgent: null, ip: null, subscriber: { anonymousKey: `k${i % 3}` },
        });
        for (let i = 0; i < 12_000; i += 1_000) await store.recordSyncs(Array.from({ length: 1_000 }, (_, j) => poll(i + j)));
        // Deleting an anonymous subscriber removes its rows: gaps in the log the cut must step over.
        const { subscribers } = await store.listSubscribers({ calendarId: log.id, status: 'all', activeSince: 0, order: 'asc', limit: 10 });
        const gone = subscribers.find((x) => x.syncCount === 4_000 && x.firstSyncAt === t0 + 2_000)!;
        expect(await store.deleteSubscriber(log.id, gone.id)).toBe(true);
        expect(await store.pruneSyncLog(t0)).toBe(0);
        // Polls 0..7000 are before the cut; a third of them (i % 3 = 2) went with the subscriber.
        expect(await store.pruneSyncLog(t0 + 7_000 * 1000 + 1)).toBe(7_001 - 2_333);
        expect(await store.pruneSyncLog(t0 + 7_000 * 1000 + 1)).toBe(0);
        expect(await store.pruneSyncLog(t0 + 12_000 * 1000)).toBe(4_999 - 1_667);
        expect((await store.dailyStats(log.id, '2026-01-01', '2026-01-01'))[0]!.syncs).toBe(12_000);
      });
    });

    describe('store contract: personal feed URLs', () => {
      it('answers a poll of a personal URL with the sync token as written and the subscriber as owned, blocked or deleted', async () => {
        const feed = await newCalendar('personal');
        const other = await newCalendar('personal-other');
        const person = (tokenHash: string, calendarId = feed.id) => store.createPersonalSubscriber({
          calendarId, tokenHash, client: 'apple_ios', name: null, email: null, country: null, city: null, userAgent: null,
        });
        const alice = await person('hash-alice');
        const bob = await person('hash-bob');
        await person('hash-carol', other.id);
        const state = (hash: string, key = feed.feedKey) => store.getPersonalFeedState(key, hash);

        expect(await state('hash-alice', 'no-such-key-0123456789')).toBeNull();
        // Another calendar's token is no subscriber of this one.
        expect(await state('hash-carol')).toEqual({ syncToken: feed.syncToken, subscriber: null });
        expect(await state('hash-alice')).toEqual({ syncToken: feed.syncToken, subscriber: { id: alice.id, blocked: false, deleted: false } });

        await store.createObject(feed.id, write('personal-1'));
        await store.updateSubscriber(feed.id, alice.id, { blocked: true });
        await store.deleteSubscriber(feed.id, bob.id);
        const written = (await store.getCalendar(feed.id))!.syncToken;
        expect(written).toBeGreaterThan(feed.syncToken);
        expect(await state('hash-alice')).toMatchObject({ syncToken: written, subscriber: { id: alice.id, blocked: true, deleted: false } });
        expect((await state('hash-bob'))!.subscriber).toEqual({ id: bob.id, blocked: false, deleted: true });

        const hidden = (await store.updateCalendar(feed.id, { published: false }))!;
        // Unpublishing is a write: the new token makes the poll read the calendar (and its flag) again.
        expect(await state('hash-alice')).toMatchObject({ syncToken: hidden.syncToken });
        const rotated = (await store.rotateFeedKey(feed.id, 'key-personal-rotated-0123'))!;
        expect(await state('hash-alice')).toBeNull();
        expect(await state('hash-alice', rotated.feedKey)).toMatchObject({ syncToken: rotated.syncToken, subscriber: { id: alice.id } });
      });
    });

    describe('store contract: paging', () => {
      it('pages by (sort key, public id) without skipping or repeating rows that tie', async () => {
        const paged = await newCalendar('paged');
        // Ten objects with one start time: only the id orders them.
        await store.importObjects(paged.id, Array.from({ length: 10 }, (_, i) => write(`p${i}`, `p${(i * 7) % 10}`)));
        const seen: string[] = [];
        let after;
        do {
          const page = await store.listObjects({ calendarIds: [paged.id], order: 'START_DATE_ASC', limit: 3, ...(after ? { after } : {}) });
          expect(page.objects.length).toBeLessThanOrEqual(3);
          seen.push(...page.objects.map((o) => o.id));
          expect(page.next === null || typeof page.next.id === 'string').toBe(true);
          after = page.next ?? undefined;
        } while (after);
        expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`));
        const all = await store.listObjects({ calendarIds: [paged.id], order: 'START_DATE_DESC', limit: ALL });
        expect([all.objects.map((o) => o.id), all.next]).toEqual([[...seen].reverse(), null]);
        expect(Object.keys(all.objects[0]!)).not.toContain('pk');
      });
    });

    describe('store contract: the mail outbox', () => {
      const mail = (id: string) => ({
        id, messageId: `<${id}@calcast.test>`, method: 'REQUEST' as const, recipient: `${id}@example.org`,
        subject: 's', text: 't', html: '<p>h</p>', ics: 'BEGIN:VCALENDAR', parts: 'inline' as const,
      });
      it('queues mail with its write, never with a refused one, and hands each due mail to one claimer', async () => {
        const c = await newCalendar('mail');
        const t = clock.now();
        await store.createObject(c.id, write('m1'), [mail('a'), mail('b')]);
        await expect(store.createObject(c.id, write('m1', 'other'), [mail('c')])).rejects.toBeInstanceOf(StoreConflict);
        expect((await store.listMail(c.id, 'm1')).map((m) => [m.id, m.status])).toEqual([['a', 'pending'], ['b', 'pending']]);
        const claimed = await store.claimMail(t + 1000, 60_000, 10);
        expect(claimed.map((m) => [m.id, m.status, m.attempts])).toEqual([['a', 'sending', 1], ['b', 'sending', 1]]);
        expect(await store.claimMail(t + 2000, 60_000, 10)).toEqual([]); // claimed, lease running
        await store.finishMail('a', { sent: true, at: t + 3000 });
        await store.finishMail('b', { sent: false, error: '451 busy', retryAt: t + 5000 });
        expect(await store.claimMail(t + 4000, 60_000, 10)).toEqual([]);
        const retried = await store.claimMail(t + 5000, 60_000, 10);
        expect(retried.map((m) => [m.id, m.attempts, m.lastError])).toEqual([['b', 2, '451 busy']]);
        // A claimer that died: its lease runs out and the mail is claimed again.
        expect((await store.claimMail(t + 70_000, 60_000, 10)).map((m) => m.id)).toEqual(['b']);
        await store.finishMail('b', { sent: false, error: '550 no', retryAt: null });
        expect((await store.listMail(c.id, 'm1')).map((m) => [m.id, m.status, m.sentAt])).toEqual([['a', 'sent', t + 3000], ['b', 'dead', null]]);
        expect((await store.requeueMail(c.id, 'b', t + 80_000))?.status).toBe('pending');
        expect(await store.requeueMail(c.id, 'nope', t + 80_000)).toBeNull();
        await store.deleteObject(c.id, 'm1', undefined, [mail('d')]);
        expect((await store.listMail(c.id, 'm1')).map((m) => m.id)).toEqual(['a', 'b', 'd']);
        await store.deleteCalendar(c.id);
      });
    });

    describe('store contract: e-mail addresses and schedule inboxes', () => {
      it('keeps one user an address, found without case, and clears it', async () => {
        const other = await store.createUser('guest-mail', 'hash');
        expect((await store.setUserEmail(other.id, 'Guest@Example.ORG'))?.email).toBe('guest@example.org');
        expect((await store.getUserByEmail('GUEST@example.org'))?.username).toBe('guest-mail');
        await expect(store.setUserEmail(userId, 'guest@EXAMPLE.org')).rejects.toMatchObject({ key: 'email' });
        expect((await store.getUser(userId))?.email).toBeNull();
        expect((await store.setUserEmail(other.id, null))?.email).toBeNull();
        expect(await store.getUserByEmail('guest@example.org')).toBeNull();
        expect(await store.setUserEmail(987_654, 'x@example.org')).toBeNull();
      });

      it('delivers into an inbox with the write, never with a refused one, and deletes by ETag', async () => {
        const c = await newCalendar('sched');
        const guest = await store.createUser('guest-inbox', 'hash');
        const delivery = (uri: string, method: 'REQUEST' | 'CANCEL' = 'REQUEST') => ({
          userId: guest.id, uri, uid: 's1', method, data: `BEGIN:VCALENDAR\r\nMETHOD:${method}\r\nEND:VCALENDAR\r\n`, etag: `e-${uri}`,
        });
        await store.createObject(c.id, write('s1'), [], [delivery('a.ics')]);
        await expect(store.createObject(c.id, write('s1', 'again'), [], [delivery('b.ics')])).rejects.toBeInstanceOf(StoreConflict);
        await expect(store.updateObject(c.id, write('s1'), 'stale', [], [delivery('c.ics')])).rejects.toBeInstanceOf(StorePreconditionFailed);
        await store.deleteObject(c.id, 's1', undefined, [], [delivery('d.ics', 'CANCEL')]);
        const items = await store.listInbox(guest.id);
        expect(items.map((i) => [i.uri, i.method, i.size])).toEqual([['a.ics', 'REQUEST', 48], ['d.ics', 'CANCEL', 47]]);
        expect(await store.listInbox(userId)).toEqual([]);
        expect((await store.getInboxItem(guest.id, 'd.ics'))?.data).toContain('METHOD:CANCEL');
        expect(await store.getInboxItem(userId, 'd.ics')).toBeNull();
        await expect(store.deleteInboxItem(guest.id, 'a.ics', 'wrong')).rejects.toBeInstanceOf(StorePreconditionFailed);
        expect(await store.deleteInboxItem(guest.id, 'a.ics', 'e-a.ics')).toBe(true);
        expect(await store.deleteInboxItem(guest.id, 'a.ics')).toBe(false);
        expect((await store.listInbox(guest.id)).map((i) => i.uri)).toEqual(['d.ics']);
        await store.deleteCalendar(c.id);
      });
    });

    describe('store contract: event page adds', () => {
      it('counts clicks per event and app, and forgets them with the calendar', async () => {
        const c = await newCalendar('adds');
        await store.recordEventAdd(c.id, 'e1', 'google', 1);
        await store.recordEventAdd(c.id, 'e1', 'google', 2);
        await store.recordEventAdd(c.id, 'e1', 'apple', 3);
        await store.recordEventAdd(c.id, 'e2', 'yahoo', 4);
        expect(await store.getEventAdds(c.id, 'e1')).toEqual({ apple: 1, google: 2 });
        expect(await store.getEventAdds(c.id, 'e3')).toEqual({});
        await store.deleteCalendar(c.id);
        expect(await store.getEventAdds(c.id, 'e2')).toEqual({});
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

    describe('store contract: dashboard sessions', () => {
      it('finds a session by hash until it expires and ends the other sessions of a user', async () => {
        const start = clock.now();
        const a = await store.createSession(userId, 'session-a', start + 60_000);
        const b = await store.createSession(userId, 'session-b', start + 60_000);
        expect((await store.findSession('session-a'))!.user.username).toBe('owner');
        expect(await store.findSession('session-x')).toBeNull();
        expect(await store.deleteOtherSessions(userId, a.id)).toBe(1);
        expect(await store.findSession('session-b')).toBeNull();
        expect((await store.findSession('session-a'))!.session.id).toBe(a.id);
        clock.advance(60_000);
        expect(await store.findSession('session-a')).toBeNull();
        await store.deleteSession(b.id);
      });

      it('counts failed logins per key within a window and starts over after it', async () => {
        const windowStart = () => clock.now() - 900_000;
        expect(await store.recordLoginFailure('user:owner', windowStart())).toBe(1);
        expect(await store.recordLoginFailure('user:owner', windowStart())).toBe(2);
        expect(await store.loginFailures('user:owner', windowStart())).toBe(2);
        expect(await store.loginFailures('ip:127.0.0.1', windowStart())).toBe(0);
        clock.advance(900_000);
        expect(await store.loginFailures('user:owner', windowStart())).toBe(0);
        expect(await store.recordLoginFailure('user:owner', windowStart())).toBe(1);
        await store.clearLoginFailures('user:owner');
        expect(await store.loginFailures('user:owner', windowStart())).toBe(0);
      });
    });

    describe('store contract: rate-limit buckets', () => {
      it('grants a minute of allowance at once, refuses the next, refills at the rate and prunes idle buckets', async () => {
        const at = clock.now();
        const takes = [];
        for (let i = 0; i < 4; i++) takes.push(await store.takeRateToken('net:a', 3, at));
        expect(takes.map((t) => t.granted)).toEqual([true, true, true, false]);
        expect(takes[3]!.tokens).toBeCloseTo(0);
        // Another key has its own bucket.
        expect((await store.takeRateToken('net:b', 3, at)).granted).toBe(true);
        // 3 a minute: one token back after 20 s, not before.
        expect((await store.takeRateToken('net:a', 3, at + 19_000)).granted).toBe(false);
        expect((await store.takeRateToken('net:a', 3, at + 20_000)).granted).toBe(true);
        // A clock behind the stored one (another instance's) refills nothing and takes no more.
        expect((await store.takeRateToken('net:a', 3, at)).granted).toBe(false);
        expect(await store.pruneRateLimits(at + 20_000)).toBe(1);
        expect((await store.takeRateToken('net:b', 3, at + 20_000)).granted).toBe(true);
      });

      it('grants exactly the allowance to concurrent takers', async () => {
        const at = clock.now() + 3_600_000;
        const takes = await Promise.all(Array.from({ length: 20 }, () => store.takeRateToken('net:c', 5, at)));
        expect(takes.filter((t) => t.granted)).toHaveLength(5);
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
        const all = await store.listObjects({ calendarIds: [range.id], componentType: 'VEVENT', order: 'START_DATE_ASC', limit: ALL });
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
            calendarIds: [range.id], componentType: 'VEVENT', order: 'START_DATE_ASC', limit: ALL,
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
  });
}
