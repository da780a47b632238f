import type { Context } from 'koa';
import type ICAL from 'ical.js';
import { z } from 'zod';
import { HttpError, invalid, notFound } from '../errors.js';
import type { CalendarService } from '../calendar/service.js';
import { conditionHeaders, writeExpectation } from '../http/conditional.js';
import { hasTimeFilter, matchingInstances, seriesMatches } from '../entries/instances.js';
import { eventInput, journalInput, notificationInput, todoInput } from '../entries/schemas.js';
import { MAPPINGS, type AnyMapping } from '../entries/mappings.js';
import { presentEntry, quotedEtag } from '../entries/present.js';
import { parseCalendar } from '../ical/parse.js';
import type { InstanceIndex } from '../ical/instance-index.js';
import type { Occurrence } from '../ical/occurrence.js';
import type { AuthState } from '../http/auth.js';
import { readJson } from '../http/body.js';
import type { Calendar, CalendarObject, Keyset, Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { filteredPage } from '../entries/filtered-page.js';
import { ownCalendar } from './calendars.js';
import { listQueryParams, parseListQuery, type ListQuery } from './list-query.js';
import { decodeCursor, encodeCursor, pageOf } from './paging.js';
import type { ApiRouter } from './openapi/route.js';
import { ENTRY_NOUNS, ENTRY_SCHEMAS } from './openapi/entry-schemas.js';
import { asObject, asPatch, mergePatch, parseInput } from './validate.js';
import type { Notifications } from '../calendar/invitations.js';

/** Lists test series against the shared instance index; writes go through the service. */
export interface ListDeps {
  store: Store;
  clock: Clock;
  baseUrl: string;
  service: CalendarService;
  instances: InstanceIndex;
}

const SCHEMAS: Record<keyof typeof MAPPINGS, z.ZodObject> = { events: eventInput, todos: todoInput, journals: journalInput };

/** Most objects one expanded listing will open; a wider query is asked to narrow its window. */
const EXPAND_OBJECT_CAP = 5000;

/** An occurrence's place in an expanded listing: its start, its object's id, its RECURRENCE-ID. */
type OccurrenceKey = { s: number; p: string; r: string | null };
const isKeyset = (v: unknown): v is Keyset =>
  typeof v === 'object' && v !== null && Number.isFinite((v as Keyset).sort) && typeof (v as Keyset).id === 'string';
const isOccurrenceKey = (v: unknown): v is OccurrenceKey =>
  typeof v === 'object' && v !== null && Number.isFinite((v as OccurrenceKey).s) && typeof (v as OccurrenceKey).p === 'string';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function compareOccurrences(a: OccurrenceKey, b: OccurrenceKey): number {
  return a.s - b.s || byText(a.p, b.p) || byText(a.r ?? '', b.r ?? '');
}

/** Parses each stored object at most once per request. */
function rootCache() {
  const roots = new Map<string, ICAL.Component>();
  return (o: CalendarObject) => {
    let root = roots.get(o.etag);
    if (!root) roots.set(o.etag, (root = parseCalendar(o.data)));
    return root;
  };
}

/** One page of entries of these calendars, presented; shared by the native lists and the dialects'. */
export async function listEntries(deps: ListDeps, mapping: AnyMapping, calendars: Calendar[], q: ListQuery) {
  const byId = new Map(calendars.map((c) => [c.id, c]));
  const zoneOf = (o: CalendarObject) => byId.get(o.calendarId)!.timezone;
  const root = rootCache();
  const base = {
    calendarIds: calendars.map((c) => c.id), componentType: mapping.type, ...q.filter,
    ...(q.status ? { status: q.status } : {}), ...(q.text ? { text: q.text } : {}), ...(q.json ? { json: q.json } : {}),
  };
  if (!q.expand) {
    const query = { ...base, order: q.order, limit: q.limit, ...(q.cursor ? { after: decodeCursor(q.cursor, isKeyset) } : {}) };
    // Recurring rows passed the envelope prefilter; keep those with a real matching instance.
    const page = hasTimeFilter(q.filter)
      ? await filteredPage(deps.store, query, (o) => !o.recurring || seriesMatches(deps.instances, o, () => root(o), zoneOf(o), q.filter))
      : await deps.store.listObjects(query);
    return {
      data: page.objects.map((o) => presentEntry(deps, byId.get(o.calendarId)!, mapping, o, undefined, root(o))),
      next_cursor: page.next ? encodeCursor(page.next) : null,
    };
  }
  const window = { ...q.filter, startBefore: q.filter.startBefore ?? q.expand.to, endAfter: q.filter.endAfter ?? q.expand.from };
  const { objects } = await deps.store.listObjects({
    ...base, ...window, order: 'START_DATE_ASC', limit: EXPAND_OBJECT_CAP + 1,
  });
  if (objects.length > EXPAND_OBJECT_CAP) {
    throw new HttpError(400, 'INVALID_TIME_RANGE', 'too many entries in this window; narrow it', { field: 'expand' });
  }
  const items: { key: OccurrenceKey; o: CalendarObject; occ: Occurrence }[] = [];
  for (const o of objects) {
    for (const occ of matchingInstances(root(o), zoneOf(o), window)) {
      items.push({ key: { s: occ.start, p: o.id, r: occ.recurrenceId }, o, occ });
    }
  }
  const desc = q.order.endsWith('_DESC');
  items.sort((a, b) => (desc ? -1 : 1) * compareOccurrences(a.key, b.key));
  const after = q.cursor ? decodeCursor(q.cursor, isOccurrenceKey) : null;
  const rest = after ? items.filter((i) => (desc ? -1 : 1) * compareOccurrences(i.key, after) > 0) : items;
  const page = rest.slice(0, q.limit);
  return {
    data: page.map((i) => presentEntry(deps, byId.get(i.o.calendarId)!, mapping, i.o, i.occ, root(i.o))),
    next_cursor: rest.length > q.limit ? encodeCursor(page[page.length - 1]!.key) : null,
  };
}

/**
 * What a merge patch of `object` writes: the stored entry seen as input, merged with the
 * patch, must pass the create rules.
 */
export function mergedEntryInput(
  deps: ListDeps, calendar: Calendar, mapping: AnyMapping, object: CalendarObject, patch: Record<string, unknown>,
): { custom_data?: unknown } {
  const schema = SCHEMAS[mapping.path];
  const current = presentEntry(deps, calendar, mapping, object);
  const view = Object.fromEntries(Object.keys(schema.shape).filter((k) => k !== 'id' && current[k] !== null)
    .map((k) => [k, current[k]]));
  return parseInput(schema, mergePatch(mapping.prepareMerge?.(view, patch) ?? view, patch)) as { custom_data?: unknown };
}

const etagHeader = z.object({ ETag: z.string().meta({ description: 'The version answered; send it back in If-Match.' }) });
const ifMatch = z.object({
  'if-match': z.string().optional().meta({ description: 'An ETag: the write is refused (412) unless it names the stored version.' }),
});

/** Routes for one kind of entry: /calendars/:id/<path>[/:entryId] and the cross-calendar /<path>. */
function entryRoutes(router: ApiRouter, deps: ListDeps, path: keyof typeof MAPPINGS): void {
  const mapping = MAPPINGS[path] as AnyMapping;
  const schema = SCHEMAS[path];
  const noun = ENTRY_NOUNS[path];
  const one = `${noun === 'event' ? 'an' : 'a'} ${noun}`;
  const entry = { schema: ENTRY_SCHEMAS[path], headers: etagHeader };
  const isEvent = mapping.type === 'VEVENT';
  // participants_notification rides beside an event's fields (notifyOf) and in its DELETE query.
  const body = isEvent ? schema.extend(notificationInput.shape) : schema;
  const notification = isEvent ? { query: notificationInput } : {};

  const load = async (ctx: Context) => {
    const calendar = await ownCalendar(deps.store, ctx, ctx.params.id!);
    return { calendar, object: await deps.service.entryOf(calendar, mapping, ctx.params.entryId!) };
  };
  /** The version a write replaces: the one If-Match names (strongly), else the one just read. */
  const expectedOf = (ctx: Context, object: CalendarObject) =>
    writeExpectation({ ifMatch: conditionHeaders(ctx).ifMatch }, object.etag) ?? { etag: object.etag, source: 'read' as const };
  const send = (ctx: Context, calendar: Calendar, object: CalendarObject, root?: ICAL.Component, notifications?: Notifications) => {
    ctx.set('ETag', quotedEtag(object.etag));
    ctx.body = { ...presentEntry(deps, calendar, mapping, object, undefined, root), ...(notifications ? { notifications } : {}) };
  };
  /** Events take seed 002's participants_notification beside their fields; others have no attendees. */
  const notifyOf = (body: Record<string, unknown>) => {
    if (mapping.type !== 'VEVENT') return undefined;
    const { participants_notification: mode } = parseInput(notificationInput, { participants_notification: body.participants_notification });
    delete body.participants_notification;
    return { mode };
  };

  router.post(`/calendars/:id/${path}`, {
    summary: `Create ${one}`, body,
    description: 'A client `id` makes the create idempotent: sending the same entry again answers 200 with the stored one.',
    responses: { 201: { description: `The new ${noun}.`, ...entry }, 200: { description: `The ${noun} already stored under this id.`, ...entry } },
    errors: ['INVALID_TIME_RANGE', 'CONFLICT'],
  }, async (ctx) => {
    const calendar = await ownCalendar(deps.store, ctx, ctx.params.id!);
    const body = asObject(await readJson(ctx));
    const notify = notifyOf(body);
    const input = parseInput(schema, body) as { id?: string };
    const { object, created, root, notifications } = await deps.service.createEntry(calendar, mapping, input, notify);
    ctx.status = created ? 201 : 200;
    send(ctx, calendar, object, root, notify && notifications);
  });

  router.get(`/calendars/:id/${path}`, {
    summary: `List a calendar's ${path}`, query: listQueryParams.omit({ calendar_id: true }),
    responses: { 200: { description: `A page of ${path} (occurrences with expand=true).`, schema: pageOf(ENTRY_SCHEMAS[path]) } },
    errors: ['INVALID_TIME_RANGE'],
  }, async (ctx) => {
    const calendar = await ownCalendar(deps.store, ctx, ctx.params.id!);
    const q = parseListQuery(ctx.query, calendar.timezone, deps.clock.now());
    if (q.calendarIds) throw invalid('calendar_id', 'calendar_id filters the cross-calendar list only');
    ctx.body = await listEntries(deps, mapping, [calendar], q);
  });

  router.get(`/${path}`, {
    summary: `List ${path} across your calendars`, query: listQueryParams,
    responses: { 200: { description: `A page of ${path}; dates without an offset are read in UTC.`, schema: pageOf(ENTRY_SCHEMAS[path]) } },
    errors: ['NOT_FOUND', 'INVALID_TIME_RANGE'],
  }, async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    const q = parseListQuery(ctx.query, 'UTC', deps.clock.now());
    const mine = await deps.store.listCalendars(user.id);
    const calendars = q.calendarIds ? mine.filter((c) => q.calendarIds!.includes(c.id)) : mine;
    if (q.calendarIds && calendars.length !== q.calendarIds.length) throw notFound('calendar');
    ctx.body = await listEntries(deps, mapping, calendars, q);
  });

  router.get(`/calendars/:id/${path}/:entryId`, {
    summary: `Get ${one}`,
    responses: { 200: { description: `The ${noun}.`, ...entry } },
  }, async (ctx) => {
    const { calendar, object } = await load(ctx);
    send(ctx, calendar, object);
  });

  router.patch(`/calendars/:id/${path}/:entryId`, {
    summary: `Change ${one} (JSON Merge Patch)`, body: body.partial(), headers: ifMatch,
    description: 'The stored entry merged with the patch must pass the create rules; `null` removes a field.',
    responses: { 200: { description: `The ${noun} as changed.`, ...entry } },
    errors: ['EMPTY_PATCH', 'INVALID_TIME_RANGE', 'CONFLICT', 'PRECONDITION_FAILED'],
  }, async (ctx) => {
    const { calendar, object } = await load(ctx);
    const expected = expectedOf(ctx, object);
    const patch = asPatch(await readJson(ctx));
    const notify = notifyOf(patch);
    if ('id' in patch) throw invalid('id', 'id cannot be changed');
    const merged = mergedEntryInput(deps, calendar, mapping, object, patch);
    const updated = await deps.service.patchEntry(calendar, mapping, object, merged, Object.keys(patch), expected, notify);
    send(ctx, calendar, updated.object, updated.root, notify && updated.notifications);
  });

  router.delete(`/calendars/:id/${path}/:entryId`, {
    summary: `Delete ${one}`, headers: ifMatch, ...notification,
    responses: { 204: { description: 'Deleted.' } },
    errors: ['CONFLICT', 'PRECONDITION_FAILED'],
  }, async (ctx) => {
    const { calendar, object } = await load(ctx);
    const notify = notifyOf({ participants_notification: ctx.query.participants_notification });
    await deps.service.deleteObject(calendar, { id: object.id }, expectedOf(ctx, object), notify?.mode);
    ctx.status = 204;
  });
}

export function allEntryRoutes(router: ApiRouter, deps: ListDeps): void {
  for (const path of Object.keys(MAPPINGS) as (keyof typeof MAPPINGS)[]) entryRoutes(router, deps, path);
}
