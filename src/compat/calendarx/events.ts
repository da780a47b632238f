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
import { EVENT_PARAM_NAMES, eventParams, inParamNames } from '../common/event-params.js';
import { eventTimes } from '../common/event-times.js';
import { paletteNumber } from '../common/palette.js';
import { pageOf, pagingUrls, readPage } from '../common/paging.js';
import type { RawParams } from '../common/params.js';
import type { DialectCall } from '../common/routes.js';
import { PAGE_SIZE, ownCalendarOf, required, unix, type CalendarxDeps } from './deps.js';

/** CalendarX's id order is creation order (its ids count up); Calcast's ids are random, so id-* sorts by creation. */
const ORDERS: Record<string, SortOrder> = {
  'date-asc': 'START_DATE_ASC', 'date-desc': 'START_DATE_DESC', 'id-asc': 'CREATED_ASC', 'id-desc': 'CREATED_DESC',
};
const conflict = (field: string, message: string) => new HttpError(409, 'CONFLICT', message, { field });
const NAMES = { ...EVENT_PARAM_NAMES, color: 'color_id' };

/** Native rules name native fields; the reply names CalendarX's parameters. */
async function named<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw inParamNames(err, NAMES);
  }
}

/** The fields every event shape shares, from the native view of the stored event. */
function eventFields(deps: CalendarxDeps, calendar: Calendar, object: CalendarObject, root?: ICAL.Component) {
  const view = presentEntry({ baseUrl: deps.config.baseUrl }, calendar, eventMapping, object, undefined, root ?? parseCalendar(object.data));
  const organizer = view.organizer as { name: string; email: string } | null;
  const reminders = view.reminders as number[] | null;
  return {
    id: object.id,
    text: {
      title: String(view.title),
      description: (view.description as string | null) ?? '',
      location: (view.location as string | null) ?? '',
      organizer: organizer?.name ?? '',
      organizer_email: organizer?.email ?? '',
    },
    times: eventTimes(view),
    color: paletteNumber(view.color as string | null),
    reminder: reminders?.length ? String(reminders[0]) : '',
    // Every save is a new version (SEQUENCE), which is what CalendarX counts.
    updatedTimes: String(object.sequence),
    dates: { date_create: unix(object.createdAt), date_modified: unix(object.updatedAt) },
  };
}

/** An event in a list, as the events list shows it. */
function listedEvent(deps: CalendarxDeps, calendar: Calendar, object: CalendarObject) {
  const e = eventFields(deps, calendar, object);
  return { id: e.id, ...e.text, ...e.times, color: e.color, reminder: e.reminder, ...e.dates, updated_times: e.updatedTimes };
}

/** An event as create and save answer it: with its calendar, color_id, and no unix times. */
function writtenEvent(deps: CalendarxDeps, calendar: Calendar, object: CalendarObject, root?: ICAL.Component) {
  const e = eventFields(deps, calendar, object, root);
  const { date_start, date_start_time, date_start_ampm, date_end, date_end_time, date_end_ampm, all_day_event, date_format, timezone } = e.times;
  return {
    id: e.id, calendar: calendar.id, ...e.text,
    date_start, date_start_time, date_start_ampm, date_end, date_end_time, date_end_ampm, all_day_event, date_format, timezone,
    color_id: e.color, reminder: e.reminder,
    updated_times: e.updatedTimes, ...e.dates,
  };
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
    events: rows.map((o) => listedEvent(deps, calendar, o)),
    paging: pagingUrls(deps.config.baseUrl, ctx.path, params, page, more),
  });
}

export async function createEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  required(params, 'title');
  required(params, 'start_date');
  const input = await named(() => parseInput(eventInput, eventParams(params, { colorParam: 'color_id' })));
  const { object, root } = await named(() => deps.service.createEntry(calendar, eventMapping, input));
  return ok({ event: writtenEvent(deps, calendar, object, root) });
}

export async function saveEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  required(params, 'title');
  required(params, 'start_date');
  const patch = eventParams(params, { colorParam: 'color_id' });
  const merged = await named(() => mergedEntryInput({ ...deps, baseUrl: deps.config.baseUrl }, calendar, eventMapping, object, patch));
  const saved = await named(() => deps.service.patchEntry(
    calendar, eventMapping, object, merged, Object.keys(patch), { etag: object.etag, source: 'read' },
    { mode: 'NO_NOTIFICATION', newVersion: true },
  ));
  return ok({ event: writtenEvent(deps, calendar, saved.object, saved.root) });
}

export async function deleteEvent(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  await deps.service.deleteObject(calendar, { id: object.id }, { etag: object.etag, source: 'read' });
  return ok({ event: { id: object.id, status: 'deleted' } });
}
