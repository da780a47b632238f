import { conditionHeaders, writeExpectation } from '../../http/conditional.js';
import type { MethodHandler } from '../context.js';
import { readCalendarBody } from '../calendar-body.js';
import { admitted, hrefs } from '../resources.js';

/**
 * PUT of a calendar object (RFC 4791 §5.3.2): 201 on create, 204 on update, with the ETag
 * of the text as sent when it is stored unchanged. The service checks every precondition and
 * writes nothing unless all hold; an organizer's scheduling object also sends its invitations
 * and stores SCHEDULE-STATUS (RFC 6638 §3.2), so that answer carries no ETag.
 */
export const put: MethodHandler = async ({ ctx, deps, user, resource }) => {
  const { calendar, uri } = admitted(resource, 'object');
  const text = await readCalendarBody(ctx);
  const current = await deps.store.getObjectByUri(calendar.id, uri);
  const expected = writeExpectation(conditionHeaders(ctx), current?.etag ?? null);
  const { object, created, altered } = await deps.service.putObject(calendar, { uri, text, ...(expected ? { expected } : {}) });
  // Koa turns a null body into 204, so the body is set before the status.
  ctx.body = null;
  ctx.status = created ? 201 : 204;
  // RFC 4791 §5.3.4: an ETag only for the octets the client sent; otherwise it GETs them.
  if (!altered) ctx.set('ETag', `"${object.etag}"`);
  if (created) ctx.set('Location', hrefs.object(calendar, user!.username, uri));
};
