import { HttpError } from '../../errors.js';
import { ALL } from '../../store/types.js';
import { renderFeed } from '../../feeds/render.js';
import { feedSettingsOf } from '../../feeds/settings.js';
import type { MethodHandler } from '../context.js';
import { publicHead, publicText } from '../public-view.js';
import { collectionEtag } from '../sync-token.js';

/**
 * GET/HEAD of an object answers its text with its ETag; of a calendar collection, the
 * whole calendar as one iCalendar file (as Radicale and sabre/dav do), through the feed
 * renderer with everything included (the owner's view keeps reminders and attendees).
 */
export const getMethod: MethodHandler = async ({ ctx, deps, resource }) => {
  if (resource.kind === 'object') {
    const stored = await deps.store.getObjectByUri(resource.calendar.id, resource.uri);
    if (!stored) throw new HttpError(404, 'NOT_FOUND', 'no such calendar object');
    const object = resource.readOnly ? publicHead(stored, resource.calendar) : stored;
    ctx.set('ETag', `"${object.etag}"`);
    ctx.set('Last-Modified', new Date(object.updatedAt).toUTCString());
    if (ctx.get('if-none-match') === `"${object.etag}"`) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.body = resource.readOnly ? publicText(stored.data, resource.calendar) : stored.data;
    return;
  }
  if (resource.kind !== 'calendar') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'GET is for calendars and their objects');
  const { calendar } = resource;
  const { objects } = await deps.store.listObjects({
    calendarIds: [calendar.id], order: 'START_DATE_ASC', limit: ALL,
  });
  const settings = feedSettingsOf(calendar.settings);
  const owner = !resource.readOnly;
  ctx.set('ETag', collectionEtag(calendar));
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.body = renderFeed({
    calendar,
    settings: { ...settings, includeReminders: owner || settings.includeReminders, includeAttendees: owner || settings.includeAttendees },
    objects: objects.map((o) => o.data),
  });
};
