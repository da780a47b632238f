import { conditionHeaders, writeExpectation } from '../../http/conditional.js';
import type { MethodHandler } from '../context.js';

/** DELETE of an object (If-Match honoured, strongly) or of a whole calendar with its objects. */
export const deleteMethod: MethodHandler = async ({ ctx, deps, resource }) => {
  if (resource.kind === 'calendar') {
    await deps.service.deleteCalendar(resource.calendar);
  } else if (resource.kind === 'object') {
    const current = await deps.store.getObjectByUri(resource.calendar.id, resource.uri);
    const expected = writeExpectation({ ifMatch: conditionHeaders(ctx).ifMatch }, current?.etag ?? null);
    await deps.service.deleteObject(resource.calendar, { uri: resource.uri }, expected);
  }
  ctx.status = 204;
};
