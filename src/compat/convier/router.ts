import type { Context, Middleware } from 'koa';
import { DomainError } from '../../calendar/errors.js';
import type { Notify } from '../../calendar/entries.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Config } from '../../config.js';
import { MAPPINGS, type AnyMapping } from '../../entries/mappings.js';
import { eventInput, journalInput, todoInput } from '../../entries/schemas.js';
import { HttpError } from '../../errors.js';
import { authenticateToken, type AuthState } from '../../http/auth.js';
import { readBody, readJson } from '../../http/body.js';
import { unexpectedError } from '../../http/error-handler.js';
import { itip } from '../../mail/compose.js';
import { parseCalendar } from '../../ical/parse.js';
import type { Calendar, Store } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import { FormShapeError, parseNestedForm } from './nested-form.js';
import { ConvierFailure, readConvierRequest, type ComponentKind, type ConvierRequest } from './request.js';

export interface ConvierDeps {
  store: Store;
  service: CalendarService;
  clock: Clock;
  config: Config;
}

const PATH = /^\/compat\/convier\/(event|todo|journal)$/;
const KINDS = {
  event: { mapping: MAPPINGS.events, schema: eventInput },
  todo: { mapping: MAPPINGS.todos, schema: todoInput },
  journal: { mapping: MAPPINGS.journals, schema: journalInput },
} as const;
const FORM = 'application/x-www-form-urlencoded';
const SLUG = 'convier';

function reply(ctx: Context, status: number, body: { error: boolean; message: string; uid: string; data: string }): void {
  ctx.status = status;
  ctx.body = body;
}

async function readRequestBody(ctx: Context): Promise<unknown> {
  try {
    if ((ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase() === FORM) {
      return parseNestedForm((await readBody(ctx, [FORM])).toString('utf8'));
    }
    return await readJson(ctx);
  } catch (err) {
    if (err instanceof FormShapeError) throw new ConvierFailure(400, err.message);
    if (err instanceof HttpError) {
      const status = err.status === 413 || err.status === 415 ? err.status : 400;
      throw new ConvierFailure(status, status === 415 ? `Send the request as ${FORM} or application/json.` : err.message);
    }
    throw err;
  }
}

/** The owner's requests live in one unpublished calendar, so a reused uid finds its request. */
async function requestsCalendar(deps: ConvierDeps, auth: AuthState): Promise<Calendar> {
  const found = await deps.store.getCalendarBySlug(auth.user.id, SLUG);
  if (found) return found;
  try {
    return await deps.service.createCalendar({
      ownerId: auth.user.id, slug: SLUG, title: 'Convier requests', description: null, timezone: 'UTC', color: null,
      weekdayBegin: null, customData: null, published: false, components: ['VEVENT', 'VTODO', 'VJOURNAL'], settings: {},
    });
  } catch (err) {
    // Two first requests at once: the other one made it.
    const made = await deps.store.getCalendarBySlug(auth.user.id, SLUG);
    if (made) return made;
    throw err;
  }
}

/** The native input, checked by the native schema: a refusal is a parameter that failed (402). */
function nativeInput(kind: ComponentKind, req: ConvierRequest): Record<string, unknown> {
  const fields = req.method === 'CANCEL' && kind === 'event' ? { ...req.fields, status: 'CANCELLED' } : req.fields;
  const parsed = KINDS[kind].schema.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConvierFailure(402, `${issue.path.join('.') || kind}: ${issue.message}`);
}

async function generate(deps: ConvierDeps, auth: AuthState, kind: ComponentKind, req: ConvierRequest) {
  const calendar = await requestsCalendar(deps, auth);
  const mapping = KINDS[kind].mapping as AnyMapping;
  const input = nativeInput(kind, req);
  const notify: Notify = { mode: req.method === 'PUBLISH' ? 'NO_NOTIFICATION' : 'UPDATE_NOTIFICATION', mail: req.mail, newVersion: true };
  if (!req.uid) return { ...(await deps.service.createEntry(calendar, mapping, input, notify)), method: req.method };
  const existing = await deps.store.getObjectByUid(calendar.id, req.uid);
  if (!existing || existing.componentType !== mapping.type) throw new ConvierFailure(402, `No ${kind} request has the uid ${req.uid}.`);
  // A reused uid replaces the request: every field is the new one, SEQUENCE goes up by one.
  const keys = Object.keys(KINDS[kind].schema.shape).filter((k) => k !== 'id' && k !== 'custom_data');
  const updated = await deps.service.patchEntry(calendar, mapping, existing, input, keys, { etag: existing.etag, source: 'read' }, notify);
  return { ...updated, method: req.method };
}

/**
 * Convier's API: POST a component (form-encoded nested parameters, or the same as JSON) with a
 * Bearer token; the request is stored, mailed to its attendees, and answered as
 * `{ error, message, uid, data }`.
 */
export function convierRoutes(deps: ConvierDeps): Middleware {
  return async (ctx, next) => {
    const match = PATH.exec(ctx.path);
    if (!match) return next();
    const kind = match[1] as ComponentKind;
    try {
      if (ctx.method !== 'POST') {
        ctx.set('Allow', 'POST');
        return reply(ctx, 405, { error: true, message: 'Send the request with POST.', uid: '', data: '' });
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
      const auth = bearer ? await authenticateToken(deps.store, deps.service, deps.clock, bearer[1]!) : null;
      if (!auth) throw new ConvierFailure(401, 'A valid API token is required: Authorization: Bearer YOUR_TOKEN.');
      const req = readConvierRequest(kind, await readRequestBody(ctx));
      const { object, notifications, method } = await generate(deps, auth, kind, req);
      const from = deps.config.mail ? { from: deps.config.mail.from, host: new URL(deps.config.baseUrl).hostname } : null;
      const told = notifications === 'queued' ? 'and sent to its attendees' : notifications === 'disabled' ? '(e-mail is not configured)' : '';
      reply(ctx, 200, {
        error: false, message: `Request generated ${told}`.trim(), uid: object.uid,
        data: req.download ? itip(parseCalendar(object.data), method, from).text : '',
      });
    } catch (err) {
      if (err instanceof ConvierFailure) return reply(ctx, err.status, { error: true, message: err.message, uid: '', data: '' });
      // A native rule refused a value that was present (a date it cannot read, say): 402.
      if (err instanceof DomainError || (err instanceof HttpError && err.status < 500)) {
        return reply(ctx, 402, { error: true, message: err.message, uid: '', data: '' });
      }
      const failure = unexpectedError(ctx, err);
      for (const [k, v] of Object.entries(failure.options.headers ?? {})) ctx.set(k, v);
      reply(ctx, failure.status, { error: true, message: 'Something went wrong on the server.', uid: '', data: '' });
    }
  };
}
