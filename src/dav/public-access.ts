import type { Context } from 'koa';
import { HttpError } from '../errors.js';
import type { SyncRecorder } from '../subscribers/recorder.js';
import { classifyClient } from '../subscribers/classify.js';
import { syncOf } from '../subscribers/sync-event.js';
import { readOnly, type DavDeps } from './context.js';
import { publicPath, type Resource } from './resources.js';

/**
 * The public, read-only view of a published calendar at /dav/public/<feed-key>/. No auth:
 * the feed key is the secret, as for the feed URL. Every successful read is a sync of an
 * anonymous subscriber, so CalDAV followers are counted like feed followers.
 */
export async function resolvePublic(deps: DavDeps & { recorder: SyncRecorder }, ctx: Context, path: string) {
  const parsed = publicPath(path);
  if (!parsed) return null;
  const calendar = await deps.store.getCalendarByFeedKey(parsed.key);
  if (!calendar || !calendar.published) throw new HttpError(404, 'NOT_FOUND', 'no such calendar');
  const resource: Resource = parsed.uri === null
    ? { kind: 'calendar', calendar, readOnly: true }
    : { kind: 'object', calendar, readOnly: true, uri: parsed.uri, head: null };
  return {
    resource,
    denied: readOnly,
    recordRead: () => {
      if (ctx.method === 'OPTIONS' || ctx.status >= 400) return;
      const userAgent = ctx.get('user-agent') || null;
      deps.recorder.record(syncOf(calendar, {
        surface: 'caldav', method: ctx.method, status: ctx.status, at: deps.clock.now(),
        bytes: typeof ctx.body === 'string' ? Buffer.byteLength(ctx.body) : Buffer.isBuffer(ctx.body) ? ctx.body.length : 0,
        userAgent, ip: ctx.ip || null, client: classifyClient(userAgent ?? undefined),
      }));
    },
  };
}
