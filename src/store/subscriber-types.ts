/** The store's part for subscribers and the sync log (DESIGN.md §4). */

export type SubscriberKind = 'personal' | 'anonymous';

export interface Subscriber {
  id: string;
  calendarId: string;
  kind: SubscriberKind;
  /** Client class (src/subscribers/classify.ts): chosen on the subscribe page, or seen on the last sync. */
  client: string;
  name: string | null;
  email: string | null;
  country: string | null;
  city: string | null;
  blocked: boolean;
  /** Deleted personal URLs are kept so their feed keeps answering "Calendar disabled". */
  deleted: boolean;
  createdAt: number;
  firstSyncAt: number | null;
  lastSyncAt: number | null;
  syncCount: number;
}

/** What an owner may change on a subscriber. */
export type SubscriberPatch = Partial<Pick<Subscriber, 'blocked' | 'name' | 'email'>>;

export interface NewPersonalSubscriber {
  calendarId: string;
  /** sha256 of the personal URL token; the token itself is never stored. */
  tokenHash: string;
  client: string;
  name: string | null;
  email: string | null;
  country: string | null;
  city: string | null;
  userAgent: string | null;
}

/** One successful poll (200 or 304) of a calendar by a client. */
export interface SyncEvent {
  calendarId: string;
  at: number;
  surface: 'feed' | 'caldav';
  method: string;
  status: number;
  bytes: number;
  client: string;
  userAgent: string | null;
  ip: string | null;
  /** A personal subscriber's id, or the anonymous key of a client on the shared URL. */
  subscriber: { id: string } | { anonymousKey: string };
}

export type SubscriberStatus = 'active' | 'inactive' | 'blocked' | 'all';

export interface SubscriberQuery {
  calendarId: string;
  status: SubscriberStatus;
  /** Last sync at or after this time counts as active (now - CALCAST_ACTIVE_DAYS). */
  activeSince: number;
  order: 'asc' | 'desc'; // by last sync, never-synced last
  after?: { sort: number; id: string };
  limit: number;
}

export interface SubscriberSummary {
  total: number;
  active: number;
  inactive: number;
  blocked: number;
}

export interface DailyStats {
  day: string; // YYYY-MM-DD (UTC)
  syncs: number;
  activeSubscribers: number;
  newSubscribers: number;
}

export interface SubscriberStore {
  createPersonalSubscriber(input: NewPersonalSubscriber): Promise<Subscriber>;
  /** The personal subscriber with this token hash, deleted ones included. */
  findSubscriberByToken(calendarId: string, tokenHash: string): Promise<Subscriber | null>;
  /** A subscriber that is not deleted. */
  getSubscriber(calendarId: string, id: string): Promise<Subscriber | null>;
  updateSubscriber(calendarId: string, id: string, patch: SubscriberPatch): Promise<Subscriber | null>;
  /** Anonymous: removed. Personal: marked deleted, so its URL answers "Calendar disabled". */
  deleteSubscriber(calendarId: string, id: string): Promise<boolean>;
  /** Non-deleted subscribers, one keyset page; the summary covers them all. A limit of 0 answers only the summary. */
  listSubscribers(query: SubscriberQuery): Promise<{ subscribers: Subscriber[]; next: { sort: number; id: string } | null; summary: SubscriberSummary }>;
  /**
   * Records polls in one transaction: log rows, subscriber counters, daily rollups. An
   * anonymous key seen for the first time creates its subscriber; polls of blocked or deleted
   * personal URLs are recorded too; events of a calendar that no longer exists are dropped.
   */
  recordSyncs(events: SyncEvent[]): Promise<void>;
  /** Per-day figures from the rollups, oldest first, for days in [fromDay, toDay]. */
  dailyStats(calendarId: string, fromDay: string, toDay: string): Promise<DailyStats[]>;
  /** Syncs by client class over [from, to] (from the rollups). */
  syncsByClient(calendarId: string, fromDay: string, toDay: string): Promise<Record<string, number>>;
  /** Deletes raw sync_log rows older than `before`; rollups stay. Returns rows deleted. */
  pruneSyncLog(before: number): Promise<number>;
}
