import { HttpError } from '../../errors.js';
import { InvalidObject, describeObject, objectShape } from '../../entries/describe.js';
import { readBody } from '../../http/body.js';
import { CalendarParseError, parseCalendar } from '../../ical/parse.js';
import { StoreConflict, StorePreconditionFailed, type CalendarObject } from '../../store/types.js';
import { randomId } from '../../util/ids.js';
import { CALDAV, clark } from '../../xml/namespaces.js';
import { checkWriteConditions } from '../conditions.js';
import type { MethodHandler } from '../context.js';
import { MAX_RESOURCE_SIZE } from '../limits.js';
import { hrefs } from '../resources.js';

const cal = (local: string) => clark(CALDAV, local);
const refuse = (status: number, precondition: string, message: string) =>
  new HttpError(status, 'FORBIDDEN', message, { precondition });
const preconditionFailed = (message: string) => new HttpError(412, 'PRECONDITION_FAILED', message);

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

/** API ids double as member names; a client's name becomes the id when it is a valid, free one. */
function idFor(uri: string): string {
  const base = uri.replace(/\.ics$/i, '');
  return /^[A-Za-z0-9_.-]{1,128}$/.test(base) ? base : randomId();
}

/**
 * PUT of a calendar object (RFC 4791 §5.3.2): 201 on create, 204 on update, with the ETag
 * of the text as sent, which is stored unchanged. Nothing is written unless every
 * precondition holds.
 */
export const put: MethodHandler = async ({ ctx, deps, user, resource }) => {
  if (resource.kind !== 'object') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'PUT creates calendar objects only');
  const { calendar, uri } = resource;
  const text = await readCalendarBody(ctx);
  let root;
  let shape;
  try {
    root = parseCalendar(text);
    shape = objectShape(root);
  } catch (err) {
    if (err instanceof CalendarParseError) throw refuse(403, cal('valid-calendar-data'), err.message);
    if (err instanceof InvalidObject) throw refuse(403, cal(err.rule), err.message);
    throw err;
  }
  if (!calendar.components.includes(shape.type)) {
    throw refuse(403, cal('supported-calendar-component'), `this calendar does not take ${shape.type}`);
  }
  const existing = await deps.store.getObjectByUri(calendar.id, uri);
  checkWriteConditions({ ifMatch: ctx.get('if-match'), ifNoneMatch: ctx.get('if-none-match') }, existing?.etag ?? null);
  const sameUid = await deps.store.getObjectByUid(calendar.id, shape.uid);
  if (sameUid && sameUid.uri !== uri) {
    // RFC 4791 §5.3.2.1: name the resource that already has this UID.
    throw new HttpError(409, 'CONFLICT', `UID ${shape.uid} is already used by ${sameUid.uri}`, {
      precondition: cal('no-uid-conflict'),
      href: hrefs.object(calendar, user!.username, sameUid.uri),
    });
  }
  let saved: CalendarObject;
  try {
    if (existing) {
      const write = describeObject(root, calendar.timezone, existing, existing.customData, text);
      saved = (await deps.store.updateObject(calendar.id, write, existing.etag))!;
    } else {
      let id = idFor(uri);
      if (await deps.store.getObject(calendar.id, id)) id = randomId();
      saved = await deps.store.createObject(calendar.id, describeObject(root, calendar.timezone, { id, uri }, null, text));
    }
  } catch (err) {
    if (err instanceof StorePreconditionFailed) throw preconditionFailed('the resource changed meanwhile');
    if (err instanceof StoreConflict) throw preconditionFailed(`the ${err.key} was taken meanwhile`);
    throw err;
  }
  // Koa turns a null body into 204, so the body is set before the status.
  ctx.body = null;
  ctx.status = existing ? 204 : 201;
  ctx.set('ETag', `"${saved.etag}"`);
  if (!existing) ctx.set('Location', hrefs.object(calendar, user!.username, uri));
};
