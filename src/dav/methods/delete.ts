import { conditionHeaders, writeExpectation } from '../../http/conditional.js';
import type { MethodHandler } from '../context.js';

/**
 * DELETE of an object (If-Match honoured, strongly; an organizer's scheduling object cancels,
 * RFC 6638 §3.2.3), of a handled schedule inbox message, or of a whole calendar with its objects.
 */
export const deleteMethod: MethodHandler = async ({ ctx, deps, resource }) => {
  if (resource.kind === 'calendar') {
    await deps.service.deleteCalendar(resource.calendar);
  } else if (resource.kind === 'inbox-item') {
    const current = await deps.store.getInboxItem(resource.user.id, resource.uri);
    const expected = writeExpectation({ ifMatch: conditionHeaders(ctx).ifMatch }, current?.etag ?? null);
    await deps.service.deleteInboxMessage(resource.user, resource.uri, expected);
  } else if (resource.kind === 'object') {
    const current = await deps.store.getObjectByUri(resource.calendar.id, resource.uri);
    const expected = writeExpectation({ ifMatch: conditionHeaders(ctx).ifMatch }, current?.etag ?? null);
    await deps.service.deleteObject(resource.calendar, { uri: resource.uri }, expected, 'scheduling');
  }
  ctx.status = 204;
};
