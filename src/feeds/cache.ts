import { gunzipSync, gzipSync } from 'node:zlib';

/** One rendered feed, ready to send in either encoding. */
export interface RenderedFeed {
  gzip: Buffer;
  /** Bytes of the uncompressed feed: its Content-Length, and what Google's limit counts. */
  identityLength: number;
  events: number;
  /** The uncompressed bytes: kept while the cache has room, else unzipped again from `gzip`. */
  identity(): Buffer;
}

/** Key suffix of a feed's identity copy: after the `calendarId|` prefix, so dropCalendar frees it too. */
const IDENTITY = '\0identity';

/**
 * A bounded LRU of rendered feeds. Keys carry the calendar's sync token, settings and
 * window day, so a write or a setting change is a miss; `dropCalendar` also frees the
 * stale entries of a calendar at once. A 304 or a cached 200 renders nothing.
 *
 * The gzip copy (about a ninth of the identity one) and the identity copy are separate
 * entries: when the feeds do not all fit, the identity copies, asked for less often, leave
 * first, and one asked for again is unzipped from the gzip copy (about a millisecond for a
 * 1,000-event feed) instead of rendered (tens of milliseconds, and megabytes of garbage).
 */
export function createFeedCache(maxBytes = 64 * 1024 * 1024) {
  const entries = new Map<string, RenderedFeed | Buffer>();
  let bytes = 0;
  const size = (v: RenderedFeed | Buffer) => (Buffer.isBuffer(v) ? v.length : v.gzip.length);
  const remove = (key: string) => {
    const v = entries.get(key);
    if (v === undefined) return;
    entries.delete(key);
    bytes -= size(v);
  };
  const touch = (key: string) => {
    const v = entries.get(key);
    if (v !== undefined) {
      entries.delete(key);
      entries.set(key, v); // most recently used last
    }
    return v;
  };
  const put = (key: string, v: RenderedFeed | Buffer) => {
    remove(key);
    if (size(v) > maxBytes) return;
    entries.set(key, v);
    bytes += size(v);
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      remove(oldest);
    }
  };
  return {
    get: (key: string) => touch(key) as RenderedFeed | undefined,
    /** Compresses (gzip level 6) and keeps the feed text rendered for `key`. */
    set(key: string, text: string, events: number): RenderedFeed {
      const identity = Buffer.from(text, 'utf8');
      const gzip = gzipSync(identity, { level: 6 });
      const feed: RenderedFeed = {
        gzip, identityLength: identity.length, events,
        identity: () => {
          const kept = touch(key + IDENTITY) as Buffer | undefined;
          if (kept) return kept;
          const unzipped = gunzipSync(gzip);
          if (entries.has(key)) put(key + IDENTITY, unzipped); // not for a version already evicted
          return unzipped;
        },
      };
      put(key + IDENTITY, identity);
      put(key, feed); // after its identity copy: the gzip copy is the one to keep longer
      return feed;
    },
    dropCalendar(calendarId: string): void {
      for (const key of [...entries.keys()]) if (key.startsWith(`${calendarId}|`)) remove(key);
    },
    get bytes() {
      return bytes;
    },
  };
}
export type FeedCache = ReturnType<typeof createFeedCache>;
