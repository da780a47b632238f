import { gzipSync } from 'node:zlib';

/** One rendered feed, ready to send in either encoding. */
export interface RenderedFeed {
  identity: Buffer;
  gzip: Buffer;
  events: number;
}

export function packFeed(text: string, events: number): RenderedFeed {
  const identity = Buffer.from(text, 'utf8');
  return { identity, gzip: gzipSync(identity, { level: 6 }), events };
}

/**
 * A bounded LRU of rendered feeds. Keys carry the calendar's sync token, settings and
 * window day, so a write or a setting change is a miss; `dropCalendar` also frees the
 * stale entries of a calendar at once. A 304 or a cached 200 renders nothing.
 */
export function createFeedCache(maxBytes = 64 * 1024 * 1024) {
  const entries = new Map<string, RenderedFeed>();
  let bytes = 0;
  const size = (f: RenderedFeed) => f.identity.length + f.gzip.length;
  const remove = (key: string) => {
    const f = entries.get(key);
    if (!f) return;
    entries.delete(key);
    bytes -= size(f);
  };
  return {
    get(key: string): RenderedFeed | undefined {
      const f = entries.get(key);
      if (f) {
        entries.delete(key);
        entries.set(key, f); // most recently used last
      }
      return f;
    },
    set(key: string, feed: RenderedFeed): void {
      remove(key);
      if (size(feed) > maxBytes) return;
      entries.set(key, feed);
      bytes += size(feed);
      for (const oldest of entries.keys()) {
        if (bytes <= maxBytes) break;
        remove(oldest);
      }
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
