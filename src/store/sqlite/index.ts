import type { Clock } from '../../util/clock.js';
import { StoreConflict, StorePreconditionFailed, type Store } from '../types.js';
import { openDb } from './db.js';
import { migrate } from './migrate.js';
import { userQueries } from './users.js';
import { tokenQueries } from './tokens.js';
import { calendarQueries } from './calendars.js';
import { objectQueries } from './objects.js';
import { groupCommit } from './group-commit.js';
import { subscriberQueries } from './subscribers.js';
import { syncLogQueries } from './sync-log.js';
import { outboxQueries } from './outbox.js';
import { eventAddQueries } from './event-adds.js';
import { mailQueries } from './mail.js';
import { sessionQueries } from './sessions.js';
import { rateLimitQueries } from './rate-limits.js';
import { inboxQueries } from './inbox.js';

/**
 * The SQLite store. better-sqlite3 is synchronous, which on one connection makes every
 * method atomic by construction; the async signatures keep the Store interface open to
 * a networked database.
 */
export function createSqliteStore(file: string, clock: Clock): Store {
  const db = openDb(file);
  migrate(db);
  const now = () => clock.now();
  const users = userQueries(db, now);
  const tokens = tokenQueries(db, now);
  const calendars = calendarQueries(db, now);
  const objects = objectQueries(db, now);
  const grouped = groupCommit(db);
  const createObject = grouped(objects.create);
  const updateObject = grouped(objects.update);
  const deleteObject = grouped(objects.remove);
  const subscribers = subscriberQueries(db, now);
  const syncLog = syncLogQueries(db);
  const outbox = outboxQueries(db, now);
  const eventAdds = eventAddQueries(db);
  const mail = mailQueries(db, now);
  const sessions = sessionQueries(db, now);
  const rateLimits = rateLimitQueries(db);
  const inbox = inboxQueries(db, now);
  const calendarEvent = (calendarId: string, operation: 'create' | 'update' | 'delete', syncToken: number | null) =>
    outbox.append({ calendarId, operation, syncToken });

  return {
    createUser: async (username, hash) => {
      if (users.byName(username)) throw new StoreConflict('username');
      return users.create(username, hash);
    },
    getUserByName: async (username) => users.byName(username),
    getUser: async (id) => users.byId(id),
    listUsers: async () => users.all(),
    setPassword: async (id, hash) => users.setPassword(id, hash),
    countUsers: async () => users.count(),
    setUserEmail: async (id, email) => users.setEmail(id, email),
    getUserByEmail: async (email) => users.byEmail(email),

    createToken: async (userId, name, hash) => tokens.create(userId, name, hash),
    findToken: async (hash) => tokens.find(hash),
    touchToken: async (id, at) => tokens.touch(id, at),
    listTokens: async (userId) => tokens.list(userId),
    revokeToken: async (userId, id) => tokens.revoke(userId, id),

    createSession: async (userId, hash, expiresAt) => sessions.create(userId, hash, expiresAt),
    findSession: async (hash) => sessions.find(hash),
    deleteSession: async (id) => sessions.remove(id),
    deleteOtherSessions: async (userId, keepId) => sessions.removeOthers(userId, keepId),
    recordLoginFailure: async (key, windowStart) => sessions.recordFailure(key, windowStart),
    loginFailures: async (key, windowStart) => sessions.failures(key, windowStart),
    clearLoginFailures: async (key) => sessions.clearFailures(key),
    takeRateToken: async (key, perMinute, at) => rateLimits.take(key, perMinute, at),
    pruneRateLimits: async (before) => rateLimits.prune(before),

    createCalendar: async (input) => db.transaction(() => {
      if (calendars.slugTaken(input.ownerId, input.slug)) throw new StoreConflict('slug');
      const created = calendars.create(input);
      calendarEvent(created.id, 'create', created.syncToken);
      return created;
    })(),
    getCalendar: async (id) => calendars.get(id),
    getCalendarByFeedKey: async (key) => calendars.byFeedKey(key),
    getSyncTokenByFeedKey: async (key) => calendars.syncTokenByFeedKey(key),
    getPersonalFeedState: async (key, hash) => calendars.personalFeedState(key, hash),
    getCalendarBySlug: async (ownerId, slug) => calendars.bySlug(ownerId, slug),
    listCalendars: async (ownerId) => calendars.byOwner(ownerId),
    updateCalendar: async (id, patch, reindexed = [], ifSyncToken) => db.transaction(() => {
      const current = calendars.get(id);
      if (!current) return null;
      if (ifSyncToken !== undefined && current.syncToken !== ifSyncToken) throw new StorePreconditionFailed();
      for (const w of reindexed) objects.reindex(id, w);
      const updated = calendars.update(id, patch);
      if (updated) calendarEvent(id, 'update', updated.syncToken);
      return updated;
    })(),
    deleteCalendar: async (id) => db.transaction(() => {
      const removed = calendars.remove(id);
      if (removed) calendarEvent(id, 'delete', null);
      return removed;
    })(),
    rotateFeedKey: async (id, newKey) => db.transaction(() => {
      const rotated = calendars.rotateFeedKey(id, newKey);
      if (rotated) calendarEvent(id, 'update', rotated.syncToken);
      return rotated;
    })(),
    isRetiredFeedKey: async (key) => calendars.isRetired(key),

    getObject: async (calendarId, id) => objects.byId(calendarId, id),
    getObjectByUid: async (calendarId, uid) => objects.byUid(calendarId, uid),
    getObjectByUri: async (calendarId, uri) => objects.byUri(calendarId, uri),
    getObjectTexts: async (calendarId, uris) => objects.texts(calendarId, uris),
    listObjectHeads: async (calendarId) => objects.heads(calendarId),
    createObject: (calendarId, write, mail, deliveries) => createObject(calendarId, write, mail, deliveries),
    updateObject: (calendarId, write, ifEtag, mail, deliveries) => updateObject(calendarId, write, ifEtag, mail, deliveries),
    deleteObject: (calendarId, id, ifEtag, mail, deliveries) => deleteObject(calendarId, id, ifEtag, mail, deliveries),
    importObjects: async (calendarId, writes) => objects.importMany(calendarId, writes),
    listObjects: async (query) => objects.list(query),
    listObjectEnvelopes: async (query) => objects.envelopes(query),
    countObjects: async (calendarId, type) => objects.count(calendarId, type),
    changesSince: async (calendarId, token) => objects.changesSince(calendarId, token),

    listInbox: async (userId) => inbox.list(userId),
    getInboxItem: async (userId, uri) => inbox.get(userId, uri),
    deleteInboxItem: async (userId, uri, ifEtag) => inbox.remove(userId, uri, ifEtag),

    outboxAfter: async (seq, limit) => outbox.after(seq, limit),
    lastOutboxSeq: async () => outbox.last(),
    pruneOutbox: async (before) => outbox.prune(before),

    createPersonalSubscriber: async (input) => subscribers.createPersonal(input),
    findSubscriberByToken: async (calendarId, hash) => subscribers.byToken(calendarId, hash),
    getSubscriber: async (calendarId, id) => subscribers.get(calendarId, id),
    updateSubscriber: async (calendarId, id, patch) => subscribers.update(calendarId, id, patch),
    deleteSubscriber: async (calendarId, id) => subscribers.remove(calendarId, id),
    listSubscribers: async (query) => subscribers.list(query),
    recordSyncs: async (events) => syncLog.record(events),
    dailyStats: async (calendarId, from, to) => syncLog.daily(calendarId, from, to),
    syncsByClient: async (calendarId, from, to) => syncLog.byClient(calendarId, from, to),
    pruneSyncLog: async (before) => syncLog.prune(before),
    recordEventAdd: async (calendarId, objectId, app, at) => eventAdds.record(calendarId, objectId, app, at),
    claimMail: async (at, leaseMs, limit) => mail.claim(at, leaseMs, limit),
    finishMail: async (id, outcome) => mail.finish(id, outcome),
    listMail: async (calendarId, objectId) => mail.list(calendarId, objectId),
    requeueMail: async (calendarId, id, at) => mail.requeue(calendarId, id, at),
    getEventAdds: async (calendarId, objectId) => eventAdds.counts(calendarId, objectId),

    ping: async () => void db.prepare('SELECT 1').get(),
    backup: async (file) => {
      await db.backup(file);
    },
    close: async () => {
      db.close();
    },
  };
}
