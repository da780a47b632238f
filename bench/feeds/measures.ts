import type { Expected } from './check.js';
import type { Nginx } from './nginx.js';
import { APPLE, type FeedUnderTest } from './setup.js';
import type { Load } from './wrk.js';

export interface Side { load: Load; want: Expected }
export interface Measure { name: string; calcast: Side; nginx: Side; nginxEtag?: boolean }

const EMPTY = Buffer.alloc(0);

/**
 * What a poller does, against Calcast and against the fair nginx: a revalidation (304, with
 * `Cache-Control: no-cache` as Thunderbird sends), a full download in each encoding, a HEAD,
 * the same on a personal URL, and a row where nginx compresses on the fly (the old ceiling).
 */
export function measures(feed: FeedUnderTest, nginx: Nginx, nginxEtag: string): Measure[] {
  const get = (url: string, headers: Record<string, string>): Load => ({ url, method: 'GET', headers });
  const ua = { 'User-Agent': APPLE };
  const gz = { 'Accept-Encoding': 'gzip' };
  const cond = (etag: string) => ({ 'If-None-Match': etag, 'Cache-Control': 'no-cache' });
  const c304: Expected = { status: 304, body: EMPTY, etag: feed.etag };
  const n304: Expected = { status: 304, body: EMPTY };
  const cId: Expected = { status: 200, body: feed.identity, etag: feed.etag };
  const cGz: Expected = { status: 200, body: feed.gzip, etag: feed.etag, encoding: 'gzip' };
  return [
    { name: 'shared, 304', calcast: { load: get(feed.shared, { ...cond(feed.etag), ...ua }), want: c304 }, nginx: { load: get(nginx.fair, cond(nginxEtag)), want: n304 } },
    { name: 'shared, full GET, gzip', calcast: { load: get(feed.shared, { ...gz, ...ua }), want: cGz }, nginx: { load: get(nginx.fair, gz), want: { status: 200, body: feed.gzip, encoding: 'gzip' } } },
    { name: 'shared, full GET, identity', calcast: { load: get(feed.shared, ua), want: cId }, nginx: { load: get(nginx.fair, {}), want: { status: 200, body: feed.identity } } },
    { name: 'shared, HEAD (Node client)', calcast: { load: { url: feed.shared, method: 'HEAD', headers: ua }, want: { status: 200, body: EMPTY, etag: feed.etag } }, nginx: { load: { url: nginx.fair, method: 'HEAD', headers: {} }, want: { status: 200, body: EMPTY } } },
    { name: 'personal, 304', calcast: { load: get(feed.personal, { ...cond(feed.etag), ...ua }), want: c304 }, nginx: { load: get(nginx.fair, cond(nginxEtag)), want: n304 } },
    { name: 'personal, full GET, gzip', calcast: { load: get(feed.personal, { ...gz, ...ua }), want: cGz }, nginx: { load: get(nginx.fair, gz), want: { status: 200, body: feed.gzip, encoding: 'gzip' } } },
    { name: 'shared, gzip vs nginx gzip on the fly', calcast: { load: get(feed.shared, { ...gz, ...ua }), want: cGz }, nginx: { load: get(nginx.onTheFly, gz), want: { status: 200, body: feed.identity, decoded: true, encoding: 'gzip' } } },
  ];
}
