import { HttpError } from '../../errors.js';
import { StorePreconditionFailed } from '../../store/types.js';
import { checkWriteConditions } from '../conditions.js';
import type { MethodHandler } from '../context.js';

/** DELETE of an object (If-Match honoured) or of a whole calendar with its objects. */
export const deleteMethod: MethodHandler = async ({ ctx, deps, resource }) => {
  if (resource.kind === 'calendar') {
    await deps.store.deleteCalendar(resource.calendar.id);
    ctx.status = 204;
    return;
  }
  if (resource.kind !== 'object') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'DELETE takes calendars and objects');
  const object = await deps.store.getObjectByUri(resource.calendar.id, resource.uri);
  if (!object) throw new HttpError(404, 'NOT_FOUND', 'no such calendar object');
  checkWriteConditions({ ifMatch: ctx.get('if-match'), ifNoneMatch: '' }, object.etag);
  try {
    await deps.store.deleteObject(resource.calendar.id, object.id, object.etag);
  } catch (err) {
    if (err instanceof StorePreconditionFailed) throw new HttpError(412, 'PRECONDITION_FAILED', 'the resource changed meanwhile');
    throw err;
  }
  ctx.status = 204;
};
