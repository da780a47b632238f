import { createHash } from 'node:crypto';
import { ALL, type Calendar, type Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import type { FeedCache, RenderedFeed } from './cache.js';
import { renderDisabledFeed, renderFeed } from './render.js';
import { feedSettingsOf, type FeedSettings } from './settings.js';

/** Bump when the renderer's output changes, so clients are not told "not modified" across it. */
const RENDER_VERSION = 1;
const DAY_MS = 86_400_000;

/** Google's importer keeps about 1 MB / ~1,000 events of a feed (DESIGN.md §5.6). */
export const GOOGLE_LIMITS = { bytes: 1_000_000, events: 1_000 };

/** Validators known before rendering: a 304 needs only these. */
export interface FeedVersion {
  etag: string;
  lastModified: number;
  /** Renders (or takes from the cache) the bytes of this version. */
  load(): Promise<RenderedFeed>;
}

/** Weak: the gzip and identity bytes are the same representation (RFC 9110 §8.8.1). */
function etagOf(parts: unknown[]): string {
  return `W/"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}"`;
}

export function createFeedService(store: Store, cache: FeedCache, clock: Clock) {
  /** Events that ended before the start of this day (UTC) are outside the window. */
  const windowStart = (settings: FeedSettings) => Math.floor(clock.now() / DAY_MS) * DAY_MS - settings.pastDays * DAY_MS;

  /**
   * Renders under way, by cache key: the full GETs of a feed that is not cached yet (after a
   * write, or evicted) share one render instead of holding a copy each while the store answers.
   */
  const rendering = new Map<string, Promise<RenderedFeed>>();
  const cached = (key: string, calendarId: string, render: () => Promise<{ text: string; events: number }>): Promise<RenderedFeed> => {
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    let pending = rendering.get(key);
    if (!pending) {
      pending = render().then(({ text, events }) => {
        cache.dropCalendar(calendarId); // older versions of this calendar will never be asked again
        return cache.set(key, text, events);
      }).finally(() => rendering.delete(key));
      rendering.set(key, pending);
    }
    return pending;
  };

  /**
   * Versions already computed, one per calendar: a poll of an unchanged feed reuses its ETag
   * instead of hashing the parts again. Valid while the calendar's sync token (which every
   * write bumps, settings included) and the window's day stay the same; the token comes from
   * the store on each poll, so another instance's write is seen at once.
   */
  const versions = new Map<string, { syncToken: number; day: number; version: FeedVersion }>();

  function current(calendar: Calendar): FeedVersion {
    const day = Math.floor(clock.now() / DAY_MS);
    const known = versions.get(calendar.id);
    if (known && known.syncToken === calendar.syncToken && known.day === day) return known.version;
    const version = computeCurrent(calendar);
    versions.set(calendar.id, { syncToken: calendar.syncToken, day, version });
    return version;
  }

  /**
   * The shared feed of a calendar. Its ETag comes from the sync token (bumped by every write,
   * settings and calendar properties included), the settings and the window's day, so it is
   * stable while nothing changes and a 304 renders nothing.
   */
  function computeCurrent(calendar: Calendar): FeedVersion {
    const settings = feedSettingsOf(calendar.settings);
    const from = windowStart(settings);
    const parts = [RENDER_VERSION, calendar.id, calendar.syncToken, settings, from];
    const key = `${calendar.id}|${JSON.stringify(parts)}`;
    // The window moving is a change too: Last-Modified never predates the window's day.
    const lastModified = Math.max(calendar.updatedAt, from + settings.pastDays * DAY_MS);
    return {
      etag: etagOf(parts),
      lastModified,
      load: () => cached(key, calendar.id, async () => {
        const { objects } = await store.listObjects({
          calendarIds: [calendar.id], componentType: 'VEVENT', overlapping: { from: Math.floor(from / 1000), to: null },
          order: 'START_DATE_ASC', limit: ALL,
        });
        return { text: renderFeed({ calendar, settings, objects: objects.map((o) => o.data) }), events: objects.length };
      }),
    };
  }

  /** The "Calendar disabled" feed of a blocked or deleted personal URL, one per refresh interval. */
  const disabledVersions = new Map<number, FeedVersion>();
  function disabled(calendar: Calendar): FeedVersion {
    const { refreshMinutes } = feedSettingsOf(calendar.settings);
    const known = disabledVersions.get(refreshMinutes);
    if (known) return known;
    const key = `disabled|${refreshMinutes}`;
    const feed = () => cache.get(key) ?? cache.set(key, renderDisabledFeed(refreshMinutes), 0);
    const version = { etag: etagOf([RENDER_VERSION, 'disabled', refreshMinutes]), lastModified: 0, load: async () => feed() };
    disabledVersions.set(refreshMinutes, version);
    return version;
  }

  /** Frees what is kept for a calendar (the outbox says it changed or went away). */
  function forget(calendarId: string): void {
    versions.delete(calendarId);
    cache.dropCalendar(calendarId);
  }

  /** One event as a standalone .ics (the `links.ics` of the JSON API). */
  async function single(calendar: Calendar, eventId: string): Promise<Buffer | null> {
    const object = await store.getObject(calendar.id, eventId);
    if (!object || object.componentType !== 'VEVENT') return null;
    const settings = feedSettingsOf(calendar.settings);
    return Buffer.from(renderFeed({ calendar, settings, objects: [object.data] }), 'utf8');
  }

  /** Size of the shared feed against Google's limits, for the calendar JSON. */
  async function size(calendar: Calendar) {
    const feed = await current(calendar).load();
    return {
      bytes: feed.identityLength,
      events: feed.events,
      exceeds_google_limits: feed.identityLength > GOOGLE_LIMITS.bytes || feed.events > GOOGLE_LIMITS.events,
    };
  }

  return { current, disabled, single, size, forget };
}
export type FeedService = ReturnType<typeof createFeedService>;
