/**
 * The Store: every persistent operation Calcast performs. Methods are async so that another
 * backend (PostgreSQL) can slot in, and each one is a complete unit of work in one transaction:
 * an object write also appends its change row, bumps the calendar's sync token and appends an
 * outbox event. No JavaScript callbacks and no row ids cross this interface.
 * The store never parses iCalendar and never sees HTTP: callers hand it the derived columns.
 */

import type { SubscriberStore } from './subscriber-types.js';

export * from './subscriber-types.js';

export type ComponentType = 'VEVENT' | 'VTODO' | 'VJOURNAL' | 'VAVAILABILITY';
export type JsonObject = Record<string, unknown>;

export interface User {
  id: number;
  username: string;
  passwordHash: string;
  /** Lower-cased; the user's calendar user address (RFC 6638 §2.4.1), or null when not set. */
  email: string | null;
  createdAt: number;
}

export interface ApiToken {
  id: string;
  userId: number;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface CalendarSettings {
  [key: string]: unknown;
}

export interface Calendar {
  id: string;
  ownerId: number;
  slug: string;
  feedKey: string;
  title: string;
  description: string | null;
  timezone: string;
  color: string | null;
  weekdayBegin: string | null;
  customData: JsonObject | null;
  published: boolean;
  components: ComponentType[];
  syncToken: number;
  settings: CalendarSettings;
  createdAt: number;
  updatedAt: number;
}

/** What a personal feed poll needs to know before it answers (Store.getPersonalFeedState). */
export interface PersonalFeedState {
  /** The calendar's sync token: the poll's feed version, and whether its cached calendar is current. */
  syncToken: number;
  subscriber: { id: string; blocked: boolean; deleted: boolean } | null;
}

export type NewCalendar = Pick<
  Calendar,
  'ownerId' | 'slug' | 'feedKey' | 'title' | 'description' | 'timezone' | 'color' |
  'weekdayBegin' | 'customData' | 'published' | 'components' | 'settings'
> & { id: string };

export type CalendarPatch = Partial<
  Pick<Calendar, 'title' | 'description' | 'timezone' | 'color' | 'weekdayBegin' | 'customData' |
    'published' | 'settings' | 'feedKey'>
>;

/** What a caller derives from an object's iCalendar text before storing it. */
export interface ObjectWrite {
  id: string;
  uri: string;
  uid: string;
  componentType: ComponentType;
  data: string;
  etag: string;
  startAt: number;
  endAt: number;
  firstStart: number;
  lastEnd: number;
  recurring: boolean;
  sequence: number;
  status: string | null;
  searchText: string;
  customData: JsonObject | null;
}

/** One invitation to mail, queued with the write it announces (iMIP, RFC 6047). */
export interface NewMail {
  id: string;
  /** Stable across retries, so a receiver drops a second copy. */
  messageId: string;
  method: 'REQUEST' | 'CANCEL';
  recipient: string;
  subject: string;
  text: string;
  html: string;
  ics: string;
  /** The request as the text/calendar alternative (mail apps' buttons), as an attachment, or both. */
  parts: 'inline' | 'attachment' | 'both';
}

/** An iTIP message (RFC 6638 §4.1) delivered into a Calcast user's schedule inbox with the write that sends it. */
export interface NewDelivery {
  userId: number;
  /** The member name in the inbox. */
  uri: string;
  uid: string;
  method: 'REQUEST' | 'CANCEL';
  data: string;
  etag: string;
}

export interface InboxItem extends NewDelivery {
  size: number;
  createdAt: number;
}

export type MailStatus = 'pending' | 'sending' | 'sent' | 'dead';

export interface Mail extends NewMail {
  calendarId: string;
  objectId: string;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** What became of one sending attempt. */
export type MailOutcome = { sent: true; at: number } | { sent: false; error: string; retryAt: number | null };

export interface CalendarObject extends ObjectWrite {
  calendarId: string;
  size: number;
  createdAt: number;
  updatedAt: number;
}

export interface ObjectHead {
  uri: string;
  etag: string;
  size: number;
  componentType: ComponentType;
  updatedAt: number;
}

export type SortOrder = 'START_DATE_ASC' | 'START_DATE_DESC' | 'CREATED_ASC' | 'CREATED_DESC';

/** Every row: the explicit opposite of a page size. */
export const ALL = 'all' as const;

/** A keyset position: rows strictly after this (sort value, then public id). */
export interface Keyset { sort: number; id: string }

/** The keyset position of an object in a listing of this order. */
export function keysetOf(o: Pick<CalendarObject, 'id' | 'startAt' | 'createdAt'>, order: SortOrder): Keyset {
  return { sort: order.startsWith('START') ? o.startAt : o.createdAt, id: o.id };
}

/**
 * A list query. Time bounds are unix seconds and inclusive (seed 002). For non-recurring
 * objects the store applies them exactly; for recurring ones it applies the safe
 * first_start/last_end prefilter: the caller tests those candidates exactly.
 */
export interface ObjectQuery {
  calendarIds: string[];
  /** Omitted: every component type. */
  componentType?: ComponentType;
  startAfter?: number;
  startBefore?: number;
  endAfter?: number;
  endBefore?: number;
  /**
   * Objects with any instance that may touch [from, to] (inclusive; null = unbounded): the
   * envelope prefilter of CalDAV time-ranges and feed windows. Callers test exactly after.
   */
  overlapping?: { from: number | null; to: number | null };
  status?: string;
  text?: string;
  json?: { field: string; value: string };
  order: SortOrder;
  after?: Keyset;
  limit: number | typeof ALL;
}

/**
 * A member's head and its iCalendar text as stored, in UTF-8 bytes: what a report answers
 * with. Reports mostly copy the text into the response, so it is not decoded on the way.
 */
export interface ObjectText extends ObjectHead {
  data: Buffer;
}

/** A list query without paging: every match. */
export type EnvelopeQuery = Omit<ObjectQuery, 'order' | 'after' | 'limit'>;

/** An object's head and time envelope, without its text: enough to test a time range. */
export interface ObjectEnvelope extends ObjectHead {
  firstStart: number;
  lastEnd: number;
  recurring: boolean;
}

export interface ObjectPage {
  objects: CalendarObject[];
  /** Present when more rows follow. */
  next: Keyset | null;
}

export interface Change {
  syncToken: number;
  uri: string;
  operation: 'create' | 'update' | 'delete';
}

/** What one committed write changed, as its outbox event records it. */
export interface OutboxEvent {
  /** Commit order; consumers remember the last one they handled. */
  seq: number;
  calendarId: string;
  /** The member written, or null for a change to the calendar itself. */
  objectUri: string | null;
  operation: 'create' | 'update' | 'delete';
  oldSequence: number | null;
  newSequence: number | null;
  oldEtag: string | null;
  newEtag: string | null;
  /** The calendar's sync token after the write; null when the calendar was deleted. */
  syncToken: number | null;
  at: number;
}
export type NewOutboxEvent = Pick<OutboxEvent, 'calendarId' | 'operation'> & Partial<Omit<OutboxEvent, 'seq' | 'at'>>;

/** A write refused because a unique key is taken: which one, and by whom. */
export class StoreConflict extends Error {
  constructor(
    readonly key: 'id' | 'uid' | 'uri' | 'slug' | 'username' | 'email',
    readonly existing: { id: string; uri: string } | null = null,
  ) {
    super(`${key} is already in use`);
  }
}

/** A conditional write whose expected ETag no longer matches. */
export class StorePreconditionFailed extends Error {
  constructor() {
    super('the object changed since it was read');
  }
}

/** One take from a rate-limit bucket. */
export interface RateToken {
  granted: boolean;
  tokens: number;
}

/**
 * The database cannot be reached (gone, restarting, every pooled connection busy past the
 * wait): the request may succeed later, so surfaces answer 503 with Retry-After.
 */
export class StoreUnavailable extends Error {
  readonly retryAfter = 5;
  constructor(cause: string) {
    super(`the database is unavailable: ${cause}`);
  }
}

/** A logged-in dashboard browser; the cookie's secret is stored only as a hash. */
export interface DashboardSession {
  id: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
}

export interface Store extends SubscriberStore {
  // users
  createUser(username: string, passwordHash: string): Promise<User>;
  getUserByName(username: string): Promise<User | null>;
  getUser(id: number): Promise<User | null>;
  listUsers(): Promise<User[]>;
  setPassword(userId: number, passwordHash: string): Promise<boolean>;
  countUsers(): Promise<number>;
  /** Sets (null: clears) the user's e-mail, lower-cased; StoreConflict('email') if another user has it. */
  setUserEmail(userId: number, email: string | null): Promise<User | null>;
  /** The user with this e-mail, compared without case. */
  getUserByEmail(email: string): Promise<User | null>;

  // API tokens
  createToken(userId: number, name: string, tokenHash: string): Promise<ApiToken>;
  findToken(tokenHash: string): Promise<{ token: ApiToken; tokenHash: string; user: User } | null>;
  touchToken(id: string, at: number): Promise<void>;
  listTokens(userId: number): Promise<ApiToken[]>;
  revokeToken(userId: number, id: string): Promise<boolean>;

  // dashboard sessions and failed-login counters
  createSession(userId: number, tokenHash: string, expiresAt: number): Promise<DashboardSession>;
  /** The unexpired session with this token hash, and its user. */
  findSession(tokenHash: string): Promise<{ session: DashboardSession; tokenHash: string; user: User } | null>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the user but `keepId`; returns how many ended. */
  deleteOtherSessions(userId: number, keepId: string): Promise<number>;
  /** Counts a failed login under `key`; a window that began at or before `windowStart` starts over. Returns the count. */
  recordLoginFailure(key: string, windowStart: number): Promise<number>;
  /** Failures under `key` in a window that began after `windowStart`. */
  loginFailures(key: string, windowStart: number): Promise<number>;
  clearLoginFailures(key: string): Promise<void>;

  // request rate limits: token buckets in the database, shared by every instance
  /**
   * Takes one token from `key`'s bucket, which holds `perMinute` tokens and refills at that rate;
   * reports whether one was granted and the tokens left (a refusal takes nothing).
   */
  takeRateToken(key: string, perMinute: number, at: number): Promise<RateToken>;
  /** Deletes buckets untouched since `before` (idle for a minute, they are full again); returns how many. */
  pruneRateLimits(before: number): Promise<number>;

  // calendars
  createCalendar(input: NewCalendar): Promise<Calendar>;
  getCalendar(id: string): Promise<Calendar | null>;
  getCalendarByFeedKey(feedKey: string): Promise<Calendar | null>;
  /** Just the sync token of the calendar a feed key names: a poll's cheap "has it changed?". */
  getSyncTokenByFeedKey(feedKey: string): Promise<number | null>;
  /**
   * A personal feed URL's poll in one statement: the calendar's sync token and published flag,
   * and the subscriber whose token hash this is (deleted ones included). Null when no calendar
   * has this feed key; `subscriber` null when the calendar has no such token.
   */
  getPersonalFeedState(feedKey: string, tokenHash: string): Promise<PersonalFeedState | null>;
  getCalendarBySlug(ownerId: number, slug: string): Promise<Calendar | null>;
  listCalendars(ownerId: number): Promise<Calendar[]>;
  /**
   * Applies the patch. `reindexed` carries every object's columns re-derived for a new time
   * zone (floating and all-day times move with it); they are written in the same transaction.
   * StorePreconditionFailed if `ifSyncToken` is given and the calendar has moved past it.
   */
  updateCalendar(id: string, patch: CalendarPatch, reindexed?: ObjectWrite[], ifSyncToken?: number): Promise<Calendar | null>;
  deleteCalendar(id: string): Promise<boolean>;
  /** Replaces the feed key; the old one is remembered as retired. */
  rotateFeedKey(id: string, newKey: string): Promise<Calendar | null>;
  isRetiredFeedKey(feedKey: string): Promise<boolean>;

  // calendar objects
  getObject(calendarId: string, id: string): Promise<CalendarObject | null>;
  getObjectByUid(calendarId: string, uid: string): Promise<CalendarObject | null>;
  getObjectByUri(calendarId: string, uri: string): Promise<CalendarObject | null>;
  /** The heads and texts of the members among these names that exist, in no particular order. */
  getObjectTexts(calendarId: string, uris: string[]): Promise<ObjectText[]>;
  /** Every member's name and ETag without its text: what a Depth 1 PROPFIND needs. */
  listObjectHeads(calendarId: string): Promise<ObjectHead[]>;
  /**
   * Creates an object; StoreConflict if its id, uid or uri is taken. `mail` is queued and
   * `deliveries` written into their users' schedule inboxes in the same transaction, here and
   * in the two writes below.
   */
  createObject(calendarId: string, write: ObjectWrite, mail?: NewMail[], deliveries?: NewDelivery[]): Promise<CalendarObject>;
  /** Replaces the object with `write.id`; StorePreconditionFailed if `ifEtag` no longer matches. */
  updateObject(
    calendarId: string, write: ObjectWrite, ifEtag?: string, mail?: NewMail[], deliveries?: NewDelivery[],
  ): Promise<CalendarObject | null>;
  /** StorePreconditionFailed if `ifEtag` is given and no longer matches. */
  deleteObject(calendarId: string, id: string, ifEtag?: string, mail?: NewMail[], deliveries?: NewDelivery[]): Promise<boolean>;
  /** Upserts by UID, all or nothing. */
  importObjects(calendarId: string, writes: ObjectWrite[]): Promise<{ created: number; updated: number }>;
  listObjects(query: ObjectQuery): Promise<ObjectPage>;
  /** Every match of the query as heads and envelopes, without reading the calendar texts. */
  listObjectEnvelopes(query: EnvelopeQuery): Promise<ObjectEnvelope[]>;
  /** How many objects of this type the calendar holds. */
  countObjects(calendarId: string, componentType: ComponentType): Promise<number>;
  changesSince(calendarId: string, syncToken: number): Promise<Change[]>;

  // event pages
  /** Counts one "add to calendar" click on an event's page for `app`. */
  recordEventAdd(calendarId: string, objectId: string, app: string, at: number): Promise<void>;
  /** The event's add counts by app; apps never clicked are absent. */
  getEventAdds(calendarId: string, objectId: string): Promise<Record<string, number>>;

  // mail outbox
  /**
   * Claims up to `limit` due mails (pending and due, or claimed by a worker whose lease ran
   * out): each is marked sending until `now + leaseMs`, its attempts counted.
   */
  claimMail(now: number, leaseMs: number, limit: number): Promise<Mail[]>;
  /** Records an attempt: sent, retried at `retryAt`, or dead when `retryAt` is null. */
  finishMail(id: string, outcome: MailOutcome): Promise<void>;
  /** An entry's mails, oldest first. */
  listMail(calendarId: string, objectId: string): Promise<Mail[]>;
  /** Queues a mail again at once (after an outage, or a dead one); false when unknown. */
  requeueMail(calendarId: string, id: string, now: number): Promise<Mail | null>;

  // schedule inboxes (RFC 6638 §2.2): filled by the object writes above
  /** The user's inbox, oldest first. */
  listInbox(userId: number): Promise<InboxItem[]>;
  getInboxItem(userId: number, uri: string): Promise<InboxItem | null>;
  /** False when there is no such item; StorePreconditionFailed if `ifEtag` is given and no longer matches. */
  deleteInboxItem(userId: number, uri: string, ifEtag?: string): Promise<boolean>;

  // outbox: every write above appends its event in its own transaction
  /** Events committed after `seq`, oldest first. */
  outboxAfter(seq: number, limit: number): Promise<OutboxEvent[]>;
  /** The newest event's seq (0 when none): where a consumer that starts now begins. */
  lastOutboxSeq(): Promise<number>;
  /** Drops events older than `before` (ms); every instance has long read them. */
  pruneOutbox(before: number): Promise<number>;

  /** Resolves when the database answers (readiness); rejects with StoreUnavailable otherwise. */
  ping(): Promise<void>;
  /** A consistent online copy of the whole database. */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}
