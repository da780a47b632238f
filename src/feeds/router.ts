import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import { unexpectedError } from '../http/error-handler.js';
import { notModified } from '../http/conditional.js';
import type { Store } from '../store/types.js';
import { syncOf } from '../subscribers/sync-event.js';
import type { SyncRecorder } from '../subscribers/recorder.js';
import { acceptsGzip } from './accept-encoding.js';
import { headersOf } from './answer-headers.js';
import { clientOf } from './client-memo.js';
import { createFeedResolver } from './resolve.js';
import type { FeedService, FeedVersion } from './service.js';

export interface FeedDeps {
  store: Store;
  config: Config;
  feeds: FeedService;
  recorder: SyncRecorder;
  now: () => number;
}

const SINGLE = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/events\/([A-Za-z0-9_.-]{1,128})\.ics$/;
const MICROSOFT = new Set(['outlook_desktop', 'microsoft_online', 'windows_calendar']);

/** Feed URLs answer calendars or plain text, never an HTML error page a client would import. */
function plain(res: ServerResponse, status: number, message: string, extra: string[] = []): void {
  const body = Buffer.from(`${message}\n`);
  res.writeHead(status, ['Content-Type', 'text/plain; charset=utf-8', 'Cache-Control', 'no-store', 'Content-Length', String(body.length), ...extra]);
  res.end(body);
}

/** Sends a feed version: 304 when the client's copy is current, else the (gzipped) bytes. */
async function send(req: IncomingMessage, res: ServerResponse, deps: FeedDeps, version: FeedVersion, client: string): Promise<{ status: number; bytes: number }> {
  const headers = headersOf(version);
  const conditions = { ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] };
  if (notModified(conditions, version.etag, version.lastModified)) {
    res.writeHead(304, headers.notModified);
    res.end();
    return { status: 304, bytes: 0 };
  }
  const feed = await version.load();
  const gzip = acceptsGzip(req.headers['accept-encoding']) && (deps.config.gzipMicrosoft || !MICROSOFT.has(client));
  const body = gzip ? feed.gzip : feed.identity();
  res.writeHead(200, headers.full(feed, gzip));
  // Node sends no body for HEAD, but the headers above are the GET's (RFC 9110 §9.3.2).
  res.end(body);
  return { status: 200, bytes: body.length };
}

/**
 * GET|HEAD of the shared and personal feed URLs, each poll recorded as a sync. The hot path of
 * the product, so it is a plain node:http handler in front of Koa (app.ts): a poll pays for
 * one calendar read, a header block built once per version, and a queued sync. Returns false
 * for a path outside /feeds/, which Koa then answers.
 */
export function createFeedHandler(deps: FeedDeps) {
  const resolveFeed = createFeedResolver(deps.store);
  const answer = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Feeds are read with GET.', ['Allow', 'GET, HEAD']);
    const single = SINGLE.exec(path);
    if (single) return sendSingle(res, deps, single[1]!, single[2]!);
    const target = await resolveFeed(path);
    if ('status' in target) return plain(res, target.status, target.message);
    const userAgent = req.headers['user-agent'] || null;
    const client = clientOf(userAgent);
    const disabled = target.kind === 'personal' && target.disabled;
    if (disabled && deps.config.disabledFeedStatus === 410) {
      return plain(res, 410, 'This subscription has been disabled by the calendar owner.');
    }
    const version = disabled ? deps.feeds.disabled(target.calendar) : deps.feeds.current(target.calendar);
    const { status, bytes } = await send(req, res, deps, version, client);
    deps.recorder.record(syncOf(target.calendar, {
      surface: 'feed', method: req.method, status, bytes, userAgent, ip: req.socket.remoteAddress ?? null, client, at: deps.now(),
    }, target.kind === 'personal' ? target.subscriberId : null));
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '/';
    if (!url.startsWith('/feeds/')) return false;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    answer(req, res, path).catch((err: unknown) => {
      // A feed never shows an error page (a client would store it as the calendar): a plain 503
      // whatever went wrong, so the subscriber keeps its last good copy and polls again.
      unexpectedError({ method: req.method ?? '', path }, err);
      if (!res.headersSent) plain(res, 503, 'The feed is temporarily unavailable.', ['Retry-After', '60']);
      else res.destroy();
    });
    return true;
  };
}

async function sendSingle(res: ServerResponse, deps: FeedDeps, key: string, eventId: string): Promise<void> {
  const calendar = await deps.store.getCalendarByFeedKey(key);
  const body = calendar?.published ? await deps.feeds.single(calendar, eventId) : null;
  if (!body) return plain(res, 404, 'No such event.');
  res.writeHead(200, [
    'Content-Type', 'text/calendar; charset=utf-8', 'Content-Length', String(body.length),
    // A one-off download for "add to calendar" buttons, unlike a feed: it may be an attachment.
    'Content-Disposition', `attachment; filename="${eventId}.ics"`,
  ]);
  res.end(body);
}
