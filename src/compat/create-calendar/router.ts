import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { CalendarService } from '../../calendar/service.js';
import { DomainError } from '../../calendar/errors.js';
import type { Config } from '../../config.js';
import { eventMapping } from '../../entries/event.js';
import { eventInput } from '../../entries/schemas.js';
import { createEntryText } from '../../entries/write.js';
import { HttpError } from '../../errors.js';
import { authenticateToken, type AuthState } from '../../http/auth.js';
import { readJson } from '../../http/body.js';
import { unexpectedError } from '../../http/error-handler.js';
import type { Store } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import { CreateCalendarFailure, fail, readRequest, type CreateCalendarRequest } from './request.js';

export interface CreateCalendarDeps {
  store: Store;
  service: CalendarService;
  clock: Clock;
  config: Config;
}

const PATH = '/compat/createcalendar';
// The native field a dialect field became, for naming the right code when a native rule (a
// length limit, say) refuses it.
const FIELD_FAILURES = { title: 'title', description: 'description', location: 'location', start: 'start', end: 'end' } as const;

/** The native event input, checked by the native schema; a refusal names the dialect's code. */
function nativeInput(fields: Record<string, unknown>) {
  const parsed = eventInput.safeParse(fields);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = FIELD_FAILURES[String(issue.path[0]) as keyof typeof FIELD_FAILURES] ?? 'body';
  throw fail(key, 400, `(${issue.message})`);
}
const utc = (dt: CreateCalendarRequest['start']) => dt.toUTC().toISO({ suppressMilliseconds: true })!;

/** The product's times for the file: UTC instants; all-day as 00:00 UTC to 23:59 UTC. */
function fileTimes(r: CreateCalendarRequest): { start: string; end: string } {
  if (!r.allDay) return { start: utc(r.start), end: utc(r.end) };
  return { start: `${r.start.toISODate()}T00:00:00Z`, end: `${r.end.toISODate()}T23:59:00Z` };
}

/**
 * The stored copy, when the setting asks for one, goes into the owner's main (first) calendar
 * as a native entry: in the event's zone, and all-day as dates, which is what feeds want.
 */
async function saveCopy(deps: CreateCalendarDeps, auth: AuthState, r: CreateCalendarRequest): Promise<string | null> {
  const [main] = await deps.store.listCalendars(auth.user.id);
  if (!main) return null;
  const { object } = await deps.service.createEntry(main, eventMapping, nativeInput({
    title: r.title, description: r.description || null, location: r.location || null, timezone: r.timezone,
    all_day: r.allDay,
    start: r.allDay ? r.start.toISODate() : r.start.toISO({ includeOffset: false, suppressMilliseconds: true }),
    end: r.allDay ? r.end.plus({ days: 1 }).toISODate() : r.end.toISO({ includeOffset: false, suppressMilliseconds: true }),
  }));
  return object.uid;
}

function failure(ctx: Context, f: CreateCalendarFailure): void {
  ctx.status = f.status;
  ctx.body = { status: 'failure', 'error-code': f.code, 'error-info': f.message };
  if (f.status === 401) ctx.set('WWW-Authenticate', 'x-api-key');
}

/** The body errors the shared reader raises, in this product's envelope. */
function bodyFailure(err: HttpError): CreateCalendarFailure {
  if (err.status === 413) return fail('tooLarge', 413);
  if (err.status === 415) return fail('mediaType', 415);
  return fail('body', 400, err.message);
}

/**
 * create-calendar's API: POST a JSON event with an `x-api-key` (a Calcast API token) and get
 * one RFC 5545 calendar back, to show inline or download.
 */
export function createCalendarRoutes(deps: CreateCalendarDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PATH) return next();
    try {
      if (ctx.method !== 'POST') {
        ctx.set('Allow', 'POST');
        throw new CreateCalendarFailure(405, 'E1700', 'Send the calendar request with POST.');
      }
      const key = ctx.get('x-api-key');
      const auth = key ? await authenticateToken(deps.store, deps.service, deps.clock, key) : null;
      if (!auth) throw fail('apiKey', 401);
      const request = readRequest(await readJson(ctx).catch((err: unknown) => {
        throw err instanceof HttpError ? bodyFailure(err) : err;
      }));
      const uid = (deps.config.createCalendarSave ? await saveCopy(deps, auth, request) : null) ?? `${randomUUID()}@calcast`;
      const built = createEntryText(eventMapping, nativeInput({
        title: request.title, description: request.description || null, location: request.location || null,
        timezone: 'UTC', ...fileTimes(request),
      }), uid, 'UTC', deps.clock.now());
      ctx.status = 200;
      ctx.type = 'text/calendar; charset=utf-8';
      ctx.set('Content-Disposition', 'inline; filename=calendar.ics');
      ctx.body = built.text;
    } catch (err) {
      if (err instanceof CreateCalendarFailure) return failure(ctx, err);
      if (err instanceof DomainError) return failure(ctx, fail('body', err.kind === 'too-large' ? 413 : 400, err.message));
      const cause = unexpectedError(ctx, err);
      for (const [k, v] of Object.entries(cause.options.headers ?? {})) ctx.set(k, v);
      failure(ctx, new CreateCalendarFailure(cause.status, 'E1799', 'The calendar could not be created. Please try again.'));
    }
  };
}
