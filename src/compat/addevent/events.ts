import { DateTime } from 'luxon';
import { listEntries, mergedEntryInput } from '../../api/entries.js';
import { parseListQuery, type ListQuery } from '../../api/list-query.js';
import { parseInput } from '../../api/validate.js';
import { eventMapping } from '../../entries/event.js';
import { presentEntry } from '../../entries/present.js';
import { eventInput } from '../../entries/schemas.js';
import { HttpError, invalid } from '../../errors.js';
import type { AuthState } from '../../http/auth.js';
import type { Calendar, CalendarObject, SortOrder } from '../../store/types.js';
import { ok } from '../common/envelope.js';
import type { EventDialect } from '../common/event-dialect.js';
import { eventFields, eventParamNames } from '../common/event-fields.js';
import { eventJson, type NativeEvent } from '../common/event-json.js';
import { pageOf, pagingUrls, readPage, rowsThrough } from '../common/paging.js';
import type { RawParams } from '../common/params.js';
import { renamed } from '../common/renamed.js';
import type { DialectCall, DialectEndpoint } from '../common/routes.js';
import { listedCalendar } from './calendars.js';
import { DEFAULT_ZONE, endpoint, ownCalendarParam, type AddEventDeps } from './deps.js';
import { mainCalendarId } from '../../calendar/main-calendar.js';

/** Events a list page holds; the product does not say, scripts follow `paging.next`. */
export const EVENTS_PER_PAGE = 100;

// AddEvent's ids count up as events are made, so its id order is creation order.
const ORDERS: Record<string, SortOrder> = {
  'date-asc': 'START_DATE_ASC', 'date-desc': 'START_DATE_DESC', 'id-asc': 'CREATED_ASC', 'id-desc': 'CREATED_DESC',
};
const CALENDAR_ORDERS = ['calendar-id-asc', 'calendar-id-desc'];

/**
 * AddEvent's events: a 12-hour clock beside AM/PM, unix values as the real instants, `color`, and
 * rrule, transp and custom_data; "The timezone parameter defaults to America/Los_Angeles",
 * "By default, events are set to free".
 */
const ADDEVENT: EventDialect = {
  colorParam: 'color',
  extras: ['rrule', 'transp', 'custom_data'],
  defaults: { timezone: DEFAULT_ZONE, transparency: 'free' },
  clock: '12h',
  unix: 'instant',
  listed: ['id', 'unique', 'title', 'eventname', 'description', 'location', 'organizer', 'organizer_email', 'date_start',
    'date_start_time', 'date_start_ampm', 'date_start_unix', 'date_end', 'date_end_time', 'date_end_ampm', 'date_end_unix',
    'all_day_event', 'date_format', 'timezone', 'reminder', 'rrule', 'template_id', 'color', 'transp', 'custom_data',
    'link_short', 'link_long', 'date_create', 'date_modified', 'updated_times'],
  // create and save: the seed's other key order, with `calendar` and no unix times.
  written: ['id', 'calendar', 'unique', 'title', 'description', 'location', 'organizer', 'organizer_email', 'date_start',
    'date_start_time', 'date_start_ampm', 'date_end', 'date_end_time', 'date_end_ampm', 'all_day_event', 'date_format',
    'timezone', 'reminder', 'rrule', 'template_id', 'color', 'transp', 'custom_data', 'updated_times', 'link_short',
    'link_long', 'date_create', 'date_modified'],
};
const NAMES = eventParamNames(ADDEVENT);
const listedEvent = (e: NativeEvent) => eventJson(e, ADDEVENT, ADDEVENT.listed);
const savedEvent = (e: NativeEvent) => eventJson(e, ADDEVENT, ADDEVENT.written);

const given = (params: RawParams, name: string) => (params[name] ?? '') !== '';

/**
 * The list's filters as the native list query (api/list-query.ts) reads them: month+year,
 * upcoming, search, json_field+json_value. Default order: "sorted by recently created", or
 * soonest first with `upcoming` ("This parameter set order_by to date-asc by default").
 */
async function listQuery(params: RawParams, zone: string, now: number, page: number, calendarOrder: boolean) {
  const raw = (params.order_by ?? '').trim().toLowerCase();
  const order = raw === '' ? (given(params, 'upcoming') ? 'date-asc' : 'id-desc') : raw;
  const known = [...Object.keys(ORDERS), ...(calendarOrder ? CALENDAR_ORDERS : [])];
  if (!known.includes(order)) throw invalid('order_by', `order_by must be one of ${known.join(', ')}`);
  const native: Record<string, string> = { order_by: ORDERS[order] ?? 'CREATED_DESC' };
  for (const [from, to] of [['month', 'month'], ['year', 'year'], ['upcoming', 'upcoming'], ['search', 'q'], ['json_field', 'json_field'], ['json_value', 'json_value']]) {
    if (given(params, from!)) native[to!] = params[from!]!.trim();
  }
  const q: ListQuery = await renamed({ q: 'search' }, async () => parseListQuery(native, zone, now));
  return { q: { ...q, limit: rowsThrough(page, EVENTS_PER_PAGE) }, byCalendar: CALENDAR_ORDERS.includes(order) ? order : null };
}

const present = (deps: AddEventDeps, calendar: Calendar, object: CalendarObject, root?: Parameters<typeof presentEntry>[5]) =>
  presentEntry(deps, calendar, eventMapping, object, undefined, root) as unknown as NativeEvent;

async function list({ ctx, params, auth }: DialectCall, deps: AddEventDeps) {
  const calendar = await ownCalendarParam(deps, auth!, params);
  const page = readPage(params);
  const { q } = await listQuery(params, calendar.timezone, deps.clock.now(), page, false);
  const { rows, more } = pageOf((await listEntries(deps, eventMapping, [calendar], q)).data, page, EVENTS_PER_PAGE);
  const link = `${deps.baseUrl}/c/${calendar.feedKey}`;
  return ok({
    calendar: { id: calendar.id, events_count: await deps.store.countObjects(calendar.id, 'VEVENT'), link_short: link, link_long: link },
    events: rows.map((e) => listedEvent(e as unknown as NativeEvent)),
    paging: pagingUrls(deps.baseUrl, ctx.path, params, page, more),
  });
}

/** The calendars `cals_only` names ("Separate multiple calendars with a comma"), or all of them. */
function chosenCalendars(mine: Calendar[], params: RawParams): Calendar[] {
  if (!given(params, 'cals_only')) return mine;
  const ids = params.cals_only!.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.find((id) => !mine.some((c) => c.id === id));
  if (unknown !== undefined) throw new HttpError(404, 'NOT_FOUND', `no calendar has the id ${unknown}`, { field: 'cals_only' });
  return mine.filter((c) => ids.includes(c.id));
}

const utcText = (ms: number) => DateTime.fromMillis(ms, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm:ss');

async function all({ ctx, params, auth }: DialectCall, deps: AddEventDeps) {
  const mine = await deps.store.listCalendars(auth!.user.id);
  const calendars = chosenCalendars(mine, params);
  const page = readPage(params);
  // Month and upcoming dates across calendars are read in the account's main calendar's zone.
  const { q, byCalendar } = await listQuery(params, mine[0]?.timezone ?? DEFAULT_ZONE, deps.clock.now(), page, true);
  let data: Record<string, unknown>[] = [];
  if (byCalendar) {
    // Calendar by calendar (in id order), each one's events in creation order.
    const sorted = [...calendars].sort((a, b) => (a.id < b.id ? -1 : 1) * (byCalendar.endsWith('desc') ? -1 : 1));
    for (const c of sorted) {
      if (data.length >= q.limit) break;
      data = data.concat((await listEntries(deps, eventMapping, [c], { ...q, limit: q.limit - data.length })).data);
    }
  } else if (calendars.length) data = (await listEntries(deps, eventMapping, calendars, q)).data;
  const { rows, more } = pageOf(data, page, EVENTS_PER_PAGE);
  const mainId = mainCalendarId(mine);
  const shown = new Map<string, Promise<Awaited<ReturnType<typeof listedCalendar>>>>();
  const calendarOf = (id: string) => {
    if (!shown.has(id)) shown.set(id, listedCalendar(deps, auth!, calendars.find((c) => c.id === id)!, mainId));
    return shown.get(id)!;
  };
  const events = await Promise.all(rows.map(async (row) => {
    const e = row as unknown as NativeEvent;
    const c = await calendarOf(e.calendar_id);
    return {
      ...listedEvent(e),
      calendar_id: c.id, calendar_uniquekey: c.uniquekey, calendar_title: c.title, calendar_name: '',
      calendar_followers_active: c.followers_active, calendar_followers_total: c.followers_total,
      calendar_events_total: c.events_total, calendar_link_short: c.link_short, calendar_link_long: c.link_long,
      calendar_date_create: utcText(c.date_create * 1000), calendar_date_modified: utcText(c.date_modified * 1000),
    };
  }));
  return ok({ events, paging: pagingUrls(deps.baseUrl, ctx.path, params, page, more) });
}

async function create({ params, auth }: DialectCall, deps: AddEventDeps) {
  const calendar = await ownCalendarParam(deps, auth!, params);
  const { object, root } = await renamed(NAMES, () =>
    deps.service.createEntry(calendar, eventMapping, parseInput(eventInput, eventFields(params, ADDEVENT, 'create'))));
  return ok({ event: savedEvent(present(deps, calendar, object, root)) });
}

/**
 * The caller's event `event_id` names. AddEvent's event calls carry no calendar_id, so the
 * owner's calendars are looked through; ids Calcast makes are random, so one matches.
 */
async function ownEvent(deps: AddEventDeps, auth: AuthState, params: RawParams) {
  const id = (params.event_id ?? '').trim();
  if (id === '') throw invalid('event_id', params.event_id === undefined ? 'event_id is required' : 'event_id: must not be empty');
  const found: { calendar: Calendar; object: CalendarObject }[] = [];
  for (const calendar of await deps.store.listCalendars(auth.user.id)) {
    const object = await deps.store.getObject(calendar.id, id);
    if (object?.componentType === 'VEVENT') found.push({ calendar, object });
  }
  if (found.length === 0) throw new HttpError(404, 'NOT_FOUND', `no event has the id ${id}`, { field: 'event_id' });
  if (found.length > 1) throw new HttpError(409, 'CONFLICT', `${found.length} of your calendars have an event with the id ${id}; use the JSON API for it`, { field: 'event_id' });
  return found[0]!;
}

async function save({ params, auth }: DialectCall, deps: AddEventDeps) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  const stored = present(deps, calendar, object);
  const patch = eventFields(params, ADDEVENT, 'save', stored.all_day);
  if (Object.keys(patch).length === 0) return ok({ event: savedEvent(stored) });
  const saved = await renamed(NAMES, () => {
    const merged = mergedEntryInput(deps, calendar, eventMapping, object, patch);
    return deps.service.patchEntry(calendar, eventMapping, object, merged, Object.keys(patch), { etag: object.etag, source: 'read' });
  });
  return ok({ event: savedEvent(present(deps, calendar, saved.object, saved.root)) });
}

async function remove({ params, auth }: DialectCall, deps: AddEventDeps) {
  const { calendar, object } = await ownEvent(deps, auth!, params);
  await deps.service.deleteObject(calendar, { id: object.id }, { etag: object.etag, source: 'read' });
  return ok({ event: { id: object.id, status: 'deleted' } });
}

export function eventEndpoints(deps: AddEventDeps): Record<string, DialectEndpoint> {
  return {
    'me/calendars/events/list': endpoint(deps, list),
    'me/calendars/events/all': endpoint(deps, all),
    'me/calendars/events/create': endpoint(deps, create),
    'me/calendars/events/save': endpoint(deps, save),
    'me/calendars/events/delete': endpoint(deps, remove),
  };
}
