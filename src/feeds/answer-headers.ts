import type { RenderedFeed } from './cache.js';
import type { FeedVersion } from './service.js';

/**
 * Header blocks of feed answers, built once per feed version (and per encoding of its bytes)
 * and handed to writeHead as flat arrays: a poll of an unchanged feed formats no date and
 * sets no header one by one.
 */
export interface VersionHeaders {
  /** The 304's headers: the validators and caching rules, no content headers (RFC 9110 §15.4.5). */
  notModified: string[];
  /** The 200's headers for the bytes of `feed` in one encoding. */
  full(feed: RenderedFeed, gzip: boolean): string[];
}

const byVersion = new WeakMap<FeedVersion, VersionHeaders>();

export function headersOf(version: FeedVersion): VersionHeaders {
  const known = byVersion.get(version);
  if (known) return known;
  const validators = [
    'ETag', version.etag,
    ...(version.lastModified > 0 ? ['Last-Modified', new Date(version.lastModified).toUTCString()] : []),
    // Revalidate on every poll: the feed changes without notice, and each 304 is a counted sync.
    'Cache-Control', 'no-cache',
    'Vary', 'Accept-Encoding',
  ];
  const blocks = new WeakMap<RenderedFeed, [string[], string[]]>();
  const build = (feed: RenderedFeed, gzip: boolean) => [
    ...validators,
    // text/calendar, inline: Google refuses feeds sent as attachments (DESIGN.md §5.1).
    'Content-Type', 'text/calendar; charset=utf-8',
    'Content-Length', String(gzip ? feed.gzip.length : feed.identityLength),
    ...(gzip ? ['Content-Encoding', 'gzip'] : []),
  ];
  const headers: VersionHeaders = {
    notModified: validators,
    full(feed, gzip) {
      let pair = blocks.get(feed);
      if (!pair) {
        pair = [build(feed, false), build(feed, true)];
        blocks.set(feed, pair);
      }
      return pair[gzip ? 1 : 0];
    },
  };
  byVersion.set(version, headers);
  return headers;
}
