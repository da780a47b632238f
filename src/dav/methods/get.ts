import { HttpError } from '../../errors.js';
import { notModified, readConditions } from '../../http/conditional.js';
import { ALL } from '../../store/types.js';
import { renderFeed } from '../../feeds/render.js';
import { feedSettingsOf } from '../../feeds/settings.js';
import type { MethodHandler } from '../context.js';
import { publicHead, publicText } from '../public-filter.js';
import { admitted } from '../resources.js';
import { inboxItem } from '../schedule-inbox.js';
import { collectionEtag } from '../sync-token.js';

/**
 * GET/HEAD of an object (or a schedule inbox message) answers its text with its ETag; of a calendar collection, the
 * whole calendar as one iCalendar file (as Radicale and sabre/dav do), through the feed
 * renderer with everything included (the owner's view keeps reminders and attendees).
 */
export const getMethod: MethodHandler = async ({ ctx, deps, resource }) => {
  if (resource.kind === 'inbox-item') {
    const item = await inboxItem(deps.store, resource);
    ctx.set('ETag', `"${item.etag}"`);
    ctx.type = `text/calendar; charset=utf-8; method=${item.method}`;
    ctx.body = item.data;
    return;
  }
  if (resource.kind === 'object') {
    const stored = await deps.store.getObjectByUri(resource.calendar.id, resource.uri);
    if (!stored) throw new HttpError(404, 'NOT_FOUND', 'no such calendar object');
    const object = resource.readOnly ? publicHead(stored, resource.calendar) : stored;
    ctx.set('ETag', `"${object.etag}"`);
    ctx.set('Last-Modified', new Date(object.updatedAt).toUTCString());
    if (notModified(readConditions(ctx), `"${object.etag}"`, object.updatedAt)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.body = resource.readOnly ? publicText(stored.data, resource.calendar) : stored.data;
    return;
  }
  const { calendar, readOnly } = admitted(resource, 'calendar');
  const etag = collectionEtag(calendar);
  ctx.set('ETag', etag);
  ctx.set('Last-Modified', new Date(calendar.updatedAt).toUTCString());
  // A client that polls the collection as a file (as it would a feed) gets 304 while nothing changed.
  if (notModified(readConditions(ctx), etag, calendar.updatedAt)) {
    ctx.status = 304;
    return;
  }
  const { objects } = await deps.store.listObjects({
    calendarIds: [calendar.id], order: 'START_DATE_ASC', limit: ALL,
  });
  const settings = feedSettingsOf(calendar.settings);
  const owner = !readOnly;
  ctx.type = 'text/calendar; charset=utf-8';
  ctx.body = renderFeed({
    calendar,
    settings: { ...settings, includeReminders: owner || settings.includeReminders, includeAttendees: owner || settings.includeAttendees },
    objects: objects.map((o) => o.data),
  });
};
