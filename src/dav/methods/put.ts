import { HttpError } from '../../errors.js';
import { readBody } from '../../http/body.js';
import { conditionHeaders, writeExpectation } from '../../http/conditional.js';
import { CALDAV, clark } from '../../xml/namespaces.js';
import type { MethodHandler } from '../context.js';
import { MAX_RESOURCE_SIZE } from '../limits.js';
import { admitted, hrefs } from '../resources.js';

const cal = (local: string) => clark(CALDAV, local);
const refuse = (status: number, precondition: string, message: string) =>
  new HttpError(status, 'FORBIDDEN', message, { precondition });

/** Reads the body as text/calendar within max-resource-size (RFC 4791 §5.3.2.1). */
async function readCalendarBody(ctx: Parameters<MethodHandler>[0]['ctx']): Promise<string> {
  try {
    const raw = await readBody(ctx, ['text/calendar'], MAX_RESOURCE_SIZE);
    return raw.toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const status = (err as HttpError).status;
    if (status === 415) throw refuse(415, cal('supported-calendar-data'), 'the body must be text/calendar');
    if (status === 413) throw refuse(403, cal('max-resource-size'), `calendar objects are limited to ${MAX_RESOURCE_SIZE} bytes`);
    throw err;
  }
}

/**
 * PUT of a calendar object (RFC 4791 §5.3.2): 201 on create, 204 on update, with the ETag
 * of the text as sent, which is stored unchanged. The service checks every precondition and
 * writes nothing unless all hold.
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
