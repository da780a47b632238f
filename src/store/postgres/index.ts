import type { Clock } from '../../util/clock.js';
import { StoreConflict, StorePreconditionFailed, type Store } from '../types.js';
import { one, openPool, rethrow, transaction, type PgOptions, type Queryable } from './db.js';
import { migratePostgres } from './migrate.js';
import { userQueries } from './users.js';
import { tokenQueries } from './tokens.js';
import { sessionQueries } from './sessions.js';
import { rateLimitQueries } from './rate-limits.js';
import { calendarQueries } from './calendars.js';
import { objectQueries } from './objects.js';
import { inboxQueries } from './inbox.js';
import { subscriberQueries } from './subscribers.js';
import { syncLogQueries } from './sync-log.js';
import { outboxQueries } from './outbox.js';
import { eventAddQueries } from './event-adds.js';
import { mailQueries } from './mail.js';

/**
 * The PostgreSQL store, for several Calcast instances on one database. Same contract as the
 * SQLite store (test/store/contract.ts runs against both); each method is one statement or
 * one transaction on a pooled connection. Driver: `pg` (node-postgres), the long-maintained
 * pure-JS client with a bounded pool and parameterised queries.
 */
export async function createPostgresStore(options: PgOptions, clock: Clock): Promise<Store> {
  const pool = openPool(options);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const now = () => clock.now();
  const users = userQueries(pool, now);
  const tokens = tokenQueries(pool, now);
  const sessions = sessionQueries(pool, now);
  const rateLimits = rateLimitQueries(pool);
  const calendars = calendarQueries(now);
  const objects = objectQueries(pool, now);
  const subscribers = subscriberQueries(pool, now);
  const syncLog = syncLogQueries(pool);
  const outbox = outboxQueries(now);
  const eventAdds = eventAddQueries(pool);
  const mail = mailQueries(pool, now);
  const inboxes = inboxQueries(pool, now);
  let closed: Promise<void> | undefined;
  const calendarEvent = (db: Queryable, calendarId: string, operation: 'create' | 'update' | 'delete', syncToken: number | null) =>
    outbox.append(db, { calendarId, operation, syncToken });

  return {
    createUser: async (username, hash) => {
      if (await users.byName(username)) throw new StoreConflict('username');
      try {
        return await users.create(username, hash);
      } catch (err) {
        // Another instance created the same name since the check.
        if ((err as { code?: string }).code === '23505') throw new StoreConflict('username');
        throw err;
      }
    },
    getUserByName: (username) => users.byName(username),
    getUser: (id) => users.byId(id),
    listUsers: () => users.all(),
    setPassword: (id, hash) => users.setPassword(id, hash),
    countUsers: () => users.count(),
    setUserEmail: (id, email) => users.setEmail(id, email),
    getUserByEmail: (email) => users.byEmail(email),

    createToken: (userId, name, hash) => tokens.create(userId, name, hash),
    findToken: (hash) => tokens.find(hash),
    touchToken: (id, at) => tokens.touch(id, at),
    listTokens: (userId) => tokens.list(userId),
    revokeToken: (userId, id) => tokens.revoke(userId, id),

    createSession: (userId, hash, expiresAt) => sessions.create(userId, hash, expiresAt),
    findSession: (hash) => sessions.find(hash),
    deleteSession: (id) => sessions.remove(id),
    deleteOtherSessions: (userId, keepId) => sessions.removeOthers(userId, keepId),
    recordLoginFailure: (key, windowStart) => sessions.recordFailure(key, windowStart),
    loginFailures: (key, windowStart) => sessions.failures(key, windowStart),
    clearLoginFailures: (key) => sessions.clearFailures(key),
    takeRateToken: (key, perMinute, at) => rateLimits.take(key, perMinute, at),
    pruneRateLimits: (before) => rateLimits.prune(before),

    createCalendar: (input) => transaction(pool, async (db) => {
      if (await calendars.slugTaken(db, input.ownerId, input.slug)) throw new StoreConflict('slug');
      const created = await calendars.create(db, input).catch((err: unknown) => {
        if ((err as { constraint?: string }).constraint === 'calendars_owner_id_slug_key') throw new StoreConflict('slug');
        throw err;
      });
      await calendarEvent(db, created.id, 'create', created.syncToken);
      return created;
    }),
    getCalendar: (id) => calendars.get(pool, id),
    getCalendarByFeedKey: (key) => calendars.byFeedKey(pool, key),
    getSyncTokenByFeedKey: (key) => calendars.syncTokenByFeedKey(pool, key),
    getPersonalFeedState: (key, hash) => calendars.personalFeedState(pool, key, hash),
    getCalendarBySlug: (ownerId, slug) => calendars.bySlug(pool, ownerId, slug),
    listCalendars: (ownerId) => calendars.byOwner(pool, ownerId),
    updateCalendar: (id, patch, reindexed = [], ifSyncToken) => transaction(pool, async (db) => {
      // Locked first: the token compared is the one this update will bump.
      const current = await calendars.lock(db, id);
      if (!current) return null;
      if (ifSyncToken !== undefined && current.syncToken !== ifSyncToken) throw new StorePreconditionFailed();
      for (const w of reindexed) await objects.reindex(db, id, w);
      const updated = await calendars.update(db, id, patch);
      if (updated) await calendarEvent(db, id, 'update', updated.syncToken);
      return updated;
    }),
    deleteCalendar: (id) => transaction(pool, async (db) => {
      const removed = await calendars.remove(db, id);
      if (removed) await calendarEvent(db, id, 'delete', null);
      return removed;
    }),
    rotateFeedKey: (id, newKey) => transaction(pool, async (db) => {
      const current = await calendars.lock(db, id);
      if (!current) return null;
      const rotated = await calendars.rotateFeedKey(db, current, newKey);
      if (rotated) await calendarEvent(db, id, 'update', rotated.syncToken);
      return rotated;
    }),
    isRetiredFeedKey: (key) => calendars.isRetired(pool, key),

    getObject: (calendarId, id) => objects.byId(calendarId, id),
    getObjectByUid: (calendarId, uid) => objects.byUid(calendarId, uid),
    getObjectByUri: (calendarId, uri) => objects.byUri(calendarId, uri),
    getObjectTexts: (calendarId, uris) => objects.texts(calendarId, uris),
    listObjectHeads: (calendarId) => objects.heads(calendarId),
    createObject: (calendarId, write, m, d) => objects.create(calendarId, write, m, d),
    updateObject: (calendarId, write, ifEtag, m, d) => objects.update(calendarId, write, ifEtag, m, d),
    deleteObject: (calendarId, id, ifEtag, m, d) => objects.remove(calendarId, id, ifEtag, m, d),
    listInbox: (userId) => inboxes.list(userId),
    getInboxItem: (userId, uri) => inboxes.get(userId, uri),
    deleteInboxItem: (userId, uri, ifEtag) => inboxes.remove(userId, uri, ifEtag),
    importObjects: (calendarId, writes) => objects.importMany(calendarId, writes),
    listObjects: (query) => objects.list(query),
    listObjectEnvelopes: (query) => objects.envelopes(query),
    countObjects: (calendarId, type) => objects.count(calendarId, type),
    changesSince: (calendarId, token) => objects.changesSince(calendarId, token),

    outboxAfter: (seq, limit) => outbox.after(pool, seq, limit),
    lastOutboxSeq: () => outbox.last(pool),
    pruneOutbox: (before) => outbox.prune(pool, before),

    createPersonalSubscriber: (input) => subscribers.createPersonal(input),
    findSubscriberByToken: (calendarId, hash) => subscribers.byToken(calendarId, hash),
    getSubscriber: (calendarId, id) => subscribers.get(calendarId, id),
    updateSubscriber: (calendarId, id, patch) => subscribers.update(calendarId, id, patch),
    deleteSubscriber: (calendarId, id) => subscribers.remove(calendarId, id),
    listSubscribers: (query) => subscribers.list(query),
    recordSyncs: (events) => syncLog.record(events),
    dailyStats: (calendarId, from, to) => syncLog.daily(calendarId, from, to),
    syncsByClient: (calendarId, from, to) => syncLog.byClient(calendarId, from, to),
    pruneSyncLog: (before) => syncLog.prune(before),
    recordEventAdd: (calendarId, objectId, app, at) => eventAdds.record(calendarId, objectId, app, at),
    getEventAdds: (calendarId, objectId) => eventAdds.counts(calendarId, objectId),
    claimMail: (at, leaseMs, limit) => mail.claim(at, leaseMs, limit),
    finishMail: (id, outcome) => mail.finish(id, outcome),
    listMail: (calendarId, objectId) => mail.list(calendarId, objectId),
    requeueMail: (calendarId, id, at) => mail.requeue(calendarId, id, at),

    ping: async () => void await one(pool, 'SELECT 1'),
    backup: async () => {
      throw new Error('calcast backup copies the SQLite file; back up PostgreSQL with pg_dump');
    },
    // Closing twice is harmless, as on SQLite (pg's pool.end() throws the second time).
    close: () => (closed ??= pool.end().catch(rethrow)),
  };
}
