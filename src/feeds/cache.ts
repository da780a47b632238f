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

/** Most recently used last: a Map keeps insertion order, so a hit moves its key to the end. */
function touch<V>(map: Map<string, V>, key: string): V | undefined {
  const v = map.get(key);
  if (v !== undefined) {
    map.delete(key);
    map.set(key, v);
  }
  return v;
}

/**
 * A bounded cache of rendered feeds. Keys carry the calendar's sync token, settings and
 * window day, so a write or a setting change is a miss; `dropCalendar` also frees the
 * stale entries of a calendar at once. A 304 or a cached 200 renders nothing.
 *
 * The gzip copies (about a ninth of the identity ones, and what nearly every client asks for)
 * and the identity copies are two LRUs under one byte budget, and identity copies are evicted
 * first: with more feeds than fit, the gzip copies all stay, so no poll renders again (tens of
 * milliseconds and megabytes of garbage for 1,000 events), and an identity copy asked for
 * again is unzipped from its gzip copy (about a millisecond). One LRU over both would cycle:
 * each new identity copy would push out some other feed's gzip copy.
 */
export function createFeedCache(maxBytes = 32 * 1024 * 1024) {
  const gzips = new Map<string, RenderedFeed>();
  const identities = new Map<string, Buffer>();
  let bytes = 0;
  const evict = () => {
    for (const [key, b] of identities) {
      if (bytes <= maxBytes) return;
      identities.delete(key);
      bytes -= b.length;
    }
    for (const [key, f] of gzips) {
      if (bytes <= maxBytes) return;
      gzips.delete(key);
      bytes -= f.gzip.length;
    }
  };
  const dropIdentity = (key: string) => {
    const b = identities.get(key);
    if (b === undefined) return;
    identities.delete(key);
    bytes -= b.length;
  };
  const keepIdentity = (key: string, b: Buffer) => {
    if (!gzips.has(key) || b.length > maxBytes) return; // not for a version already evicted
    dropIdentity(key);
    identities.set(key, b);
    bytes += b.length;
    evict();
  };
  const remove = (key: string) => {
    dropIdentity(key);
    const f = gzips.get(key);
    if (f === undefined) return;
    gzips.delete(key);
    bytes -= f.gzip.length;
  };
  return {
    get: (key: string) => touch(gzips, key),
    /** Compresses (gzip level 6) and keeps the feed text rendered for `key`. */
    set(key: string, text: string, events: number): RenderedFeed {
      const identity = Buffer.from(text, 'utf8');
      const gzip = gzipSync(identity, { level: 6 });
      const feed: RenderedFeed = {
        gzip, identityLength: identity.length, events,
        identity: () => {
          const kept = touch(identities, key);
          if (kept) return kept;
          const unzipped = gunzipSync(gzip);
          keepIdentity(key, unzipped);
          return unzipped;
        },
      };
      remove(key);
      if (gzip.length > maxBytes) return feed;
      gzips.set(key, feed);
      bytes += gzip.length;
      evict();
      keepIdentity(key, identity);
      return feed;
    },
    dropCalendar(calendarId: string): void {
      for (const key of [...gzips.keys()]) if (key.startsWith(`${calendarId}|`)) remove(key);
    },
    get bytes() {
      return bytes;
    },
  };
}
export type FeedCache = ReturnType<typeof createFeedCache>;
