import type ICAL from 'ical.js';
import { mergedEntryInput } from '../../api/entries.js';
import { parseListQuery } from '../../api/list-query.js';
import { parseInput } from '../../api/validate.js';
import { eventMapping } from '../../entries/event.js';
import { hasTimeFilter, seriesMatches } from '../../entries/instances.js';
import { presentEntry } from '../../entries/present.js';
import { eventInput } from '../../entries/schemas.js';
import { HttpError, invalid, notFound } from '../../errors.js';
import type { AuthState } from '../../http/auth.js';
import { parseCalendar } from '../../ical/parse.js';
import { ALL, type Calendar, type CalendarObject, type SortOrder } from '../../store/types.js';
import { ok } from '../common/envelope.js';
import type { EventDialect } from '../common/event-dialect.js';
import { eventFields, eventParamNames } from '../common/event-fields.js';
import { eventJson, type EventKey, type NativeEvent } from '../common/event-json.js';
import { pageOf, pagingUrls, readPage } from '../common/paging.js';
import type { RawParams } from '../common/params.js';
import { renamed } from '../common/renamed.js';
import type { DialectCall } from '../common/routes.js';
import { PAGE_SIZE, ownCalendarOf, required, type CalendarxDeps } from './deps.js';

/** CalendarX's id order is creation order (its ids count up); Calcast's ids are random, so id-* sorts by creation. */
const ORDERS: Record<string, SortOrder> = {
  'date-asc': 'START_DATE_ASC', 'date-desc': 'START_DATE_DESC', 'id-asc': 'CREATED_ASC', 'id-desc': 'CREATED_DESC',
};
const conflict = (field: string, message: string) => new HttpError(409, 'CONFLICT', message, { field });

/** CalendarX's events: a 24-hour clock, wall-time unix values, `color_id`, no AddEvent extras, the calendar's zone by default. */
const CALENDARX: EventDialect = {
  colorParam: 'color_id',
  extras: [],
  defaults: {},
  clock: '24h',
  unix: 'wall',
  listed: ['id', 'title', 'description', 'location', 'organizer', 'organizer_email', 'date_start', 'date_start_time',
    'date_start_ampm', 'date_start_unix', 'date_end', 'date_end_time', 'date_end_ampm', 'date_end_unix', 'all_day_event',
    'date_format', 'timezone', 'color', 'reminder', 'date_create', 'date_modified', 'updated_times'],
  // create and save: with the calendar and color_id, and no unix times.
  written: ['id', 'calendar', 'title', 'description', 'location', 'organizer', 'organizer_email', 'date_start',
    'date_start_time', 'date_start_ampm', 'date_end', 'date_end_time', 'date_end_ampm', 'all_day_event', 'date_format',
    'timezone', 'color_id', 'reminder', 'updated_times', 'date_create', 'date_modified'],
};
const NAMES = eventParamNames(CALENDARX);

/** An event in one of CalendarX's shapes, from the native view of the stored event. */
function eventShape(deps: CalendarxDeps, calendar: Calendar, object: CalendarObject, keys: readonly EventKey[], root?: ICAL.Component) {
  const view = presentEntry({ baseUrl: deps.config.baseUrl }, calendar, eventMapping, object, undefined, root);
  return eventJson(view as unknown as NativeEvent, CALENDARX, keys);
}

/**
 * The caller's event `event_id` (its native id) and its calendar. A native id is unique within
 * its calendar only, so the caller's calendars are searched; `calendar_id` narrows the search
 * when a client-chosen id is used in two of them.
 */
async function ownEvent(deps: CalendarxDeps, auth: AuthState, params: RawParams) {
  const id = required(params, 'event_id');
  const calendars = params.calendar_id ? [await ownCalendarOf(deps, auth, params)] : await deps.store.listCalendars(auth.user.id);
  const found = (await Promise.all(calendars.map(async (calendar) => ({ calendar, object: await deps.store.getObject(calendar.id, id) }))))
    .filter((f): f is { calendar: Calendar; object: CalendarObject } => f.object?.componentType === 'VEVENT');
  if (found.length === 0) throw notFound('event');
  if (found.length > 1) throw conflict('event_id', `event_id ${id} names events in ${found.length} calendars: add calendar_id`);
  return found[0]!;
}

/** The list's query in native terms: month+year and upcoming as the native list reads them. */
function listQuery(params: RawParams, calendar: Calendar, now: number) {
  const orderBy = params.order_by?.trim() || 'id-desc'; // "sorted by recently created"
  if (!(orderBy in ORDERS)) throw invalid('order_by', `order_by must be one of ${Object.keys(ORDERS).join(', ')}`);
  const native: Record<string, string> = { order_by: params.upcoming ? 'START_DATE_ASC' : ORDERS[orderBy]! };
  for (const name of ['month', 'year', 'upcoming']) if (params[name]) native[name] = params[name]!;
  return parseListQuery(native, calendar.timezone, now);
}

export async function listEvents(deps: CalendarxDeps, { ctx, params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  const page = readPage(params);
  const q = listQuery(params, calendar, deps.clock.now());
  const { objects } = await deps.store.listObjects({
    calendarIds: [calendar.id], componentType: 'VEVENT', ...q.filter, order: q.order, limit: ALL,
  });
  // The store's window test is a prefilter for series; an instance must really fall in it.
  const matches = hasTimeFilter(q.filter)
    ? objects.filter((o) => !o.recurring || seriesMatches(deps.instances, o, () => parseCalendar(o.data), calendar.timezone, q.filter))
    : objects;
  const { rows, more } = pageOf(matches, page, PAGE_SIZE);
  return ok({
    calendar: { id: calendar.id, events_count: matches.length },
    events: rows.map((o) => eventShape(deps, calendar, o, CALENDARX.listed)),
    paging: pagingUrls(deps.config.baseUrl, ctx.path, params, page, more),
  });
}

export async function createEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  required(params, 'title');
  required(params, 'start_date');
  const { object, root } = await renamed(NAMES, () =>
    deps.service.createEntry(calendar, eventMapping, parseInput(eventInput, eventFields(params, CALENDARX, 'create'))));
  return ok({ event: eventShape(deps, calendar, object, CALENDARX.written, root) });
}

export async function saveEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  required(params, 'title');
  required(params, 'start_date');
  const stored = presentEntry({ baseUrl: deps.config.baseUrl }, calendar, eventMapping, object);
  const patch = eventFields(params, CALENDARX, 'save', stored.all_day === true);
  const merged = await renamed(NAMES, () => mergedEntryInput({ ...deps, baseUrl: deps.config.baseUrl }, calendar, eventMapping, object, patch));
  const saved = await renamed(NAMES, () => deps.service.patchEntry(
    calendar, eventMapping, object, merged, Object.keys(patch), { etag: object.etag, source: 'read' },
    { mode: 'NO_NOTIFICATION', newVersion: true },
  ));
  return ok({ event: eventShape(deps, calendar, saved.object, CALENDARX.written, saved.root) });
}

export async function deleteEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  await deps.service.deleteObject(calendar, { id: object.id }, { etag: object.etag, source: 'read' });
  return ok({ event: { id: object.id, status: 'deleted' } });
}
