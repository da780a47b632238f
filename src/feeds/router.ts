import type { Context, Middleware } from 'koa';
import type { Config } from '../config.js';
import { logUnexpected } from '../http/error-handler.js';
import type { Calendar, Store } from '../store/types.js';
import { syncOf } from '../subscribers/sync-event.js';
import { classifyClient } from '../subscribers/classify.js';
import type { SyncRecorder } from '../subscribers/recorder.js';
import { hashToken } from '../util/secrets.js';
import { notModified } from '../http/conditional.js';
import { acceptsGzip } from './accept-encoding.js';
import type { FeedService, FeedVersion } from './service.js';

export interface FeedDeps {
  store: Store;
  config: Config;
  feeds: FeedService;
  recorder: SyncRecorder;
  now: () => number;
}

const SHARED = /^\/feeds\/([A-Za-z0-9_-]{8,64})\.ics$/;
const PERSONAL = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{16,64})\.ics$/;
const SINGLE = /^\/feeds\/([A-Za-z0-9_-]{8,64})\/events\/([A-Za-z0-9_.-]{1,128})\.ics$/;

/** Feed URLs answer calendars or plain text, never an HTML error page a client would import. */
function plain(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `${message}\n`;
}

const MICROSOFT = new Set(['outlook_desktop', 'microsoft_online', 'windows_calendar']);

/** Sends a feed version: 304 when the client's copy is current, else the (gzipped) bytes. */
async function send(ctx: Context, deps: FeedDeps, version: FeedVersion, client: string): Promise<number> {
  ctx.set('ETag', version.etag);
  if (version.lastModified > 0) ctx.set('Last-Modified', new Date(version.lastModified).toUTCString());
  // Revalidate on every poll: the feed changes without notice, and each 304 is a counted sync.
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('Vary', 'Accept-Encoding');
  const conditions = {
    ifNoneMatch: ctx.get('if-none-match') || undefined,
    ifModifiedSince: ctx.get('if-modified-since') || undefined,
  };
  if (notModified(conditions, version.etag, version.lastModified)) {
    ctx.status = 304;
    return 0;
  }
  const feed = await version.load();
  const gzip = acceptsGzip(ctx.get('accept-encoding')) && (deps.config.gzipMicrosoft || !MICROSOFT.has(client));
  const body = gzip ? feed.gzip : feed.identity;
  ctx.status = 200;
  // text/calendar, inline: Google refuses feeds sent as attachments (DESIGN.md §5.1).
  ctx.type = 'text/calendar; charset=utf-8';
  if (gzip) ctx.set('Content-Encoding', 'gzip');
  ctx.body = body;
  return body.length;
}

type Target =
  | { kind: 'shared'; calendar: Calendar }
  | { kind: 'personal'; calendar: Calendar; subscriberId: string; disabled: boolean };

async function resolve(deps: FeedDeps, ctx: Context): Promise<Target | { status: number; message: string }> {
  const shared = SHARED.exec(ctx.path);
  const personal = shared ? null : PERSONAL.exec(ctx.path);
  const key = (shared ?? personal)?.[1];
  if (!key) return { status: 404, message: 'No such feed.' };
  const calendar = await deps.store.getCalendarByFeedKey(key);
  if (!calendar) {
    return (await deps.store.isRetiredFeedKey(key))
      ? { status: 410, message: 'This feed address was replaced by its owner. Ask them for the new one.' }
      : { status: 404, message: 'No such feed.' };
  }
  if (shared) return calendar.published ? { kind: 'shared', calendar } : { status: 404, message: 'No such feed.' };
  const subscriber = await deps.store.findSubscriberByToken(calendar.id, hashToken(personal![2]!));
  if (!subscriber) return { status: 404, message: 'No such feed.' };
  const disabled = subscriber.blocked || subscriber.deleted || !calendar.published;
  return { kind: 'personal', calendar, subscriberId: subscriber.id, disabled };
}

/** GET|HEAD of the shared and personal feed URLs, each poll recorded as a sync. */
export function feedRoutes(deps: FeedDeps): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/feeds/')) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      return plain(ctx, 405, 'Feeds are read with GET.');
    }
    try {
      const single = SINGLE.exec(ctx.path);
      if (single) return await sendSingle(ctx, deps, single[1]!, single[2]!);
      const target = await resolve(deps, ctx);
      if ('status' in target) return plain(ctx, target.status, target.message);
      const userAgent = ctx.get('user-agent') || null;
      const client = classifyClient(userAgent ?? undefined);
      if (target.kind === 'personal' && target.disabled && deps.config.disabledFeedStatus === 410) {
        return plain(ctx, 410, 'This subscription has been disabled by the calendar owner.');
      }
      const version = target.kind === 'personal' && target.disabled
        ? deps.feeds.disabled(target.calendar)
        : deps.feeds.current(target.calendar);
      const bytes = await send(ctx, deps, version, client);
      deps.recorder.record(syncOf(target.calendar, {
        surface: 'feed', method: ctx.method, status: ctx.status, bytes, userAgent, ip: ctx.ip || null, client, at: deps.now(),
      }, target.kind === 'personal' ? target.subscriberId : null));
    } catch (err) {
      logUnexpected(ctx, err);
      plain(ctx, 503, 'The feed is temporarily unavailable.');
      ctx.set('Retry-After', '60');
    }
  };
}

async function sendSingle(ctx: Context, deps: FeedDeps, key: string, eventId: string): Promise<void> {
  const calendar = await deps.store.getCalendarByFeedKey(key);
  const body = calendar?.published ? await deps.feeds.single(calendar, eventId) : null;
  if (!body) return plain(ctx, 404, 'No such event.');
  ctx.type = 'text/calendar; charset=utf-8';
  // A one-off download for "add to calendar" buttons, unlike a feed: it may be an attachment.
  ctx.set('Content-Disposition', `attachment; filename="${eventId}.ics"`);
  ctx.body = body;
}

/** robots.txt must not block feeds: some calendar fetchers honour it (DESIGN.md §5.6). */
export const robots: Middleware = async (ctx, next) => {
  if (ctx.path !== '/robots.txt') return next();
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = 'User-agent: *\nAllow: /feeds/\nAllow: /c/\nDisallow: /api/\nDisallow: /dav/\n';
};
