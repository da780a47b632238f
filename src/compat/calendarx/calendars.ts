import { calendarFields, calendarInput } from '../../api/calendars.js';
import type { Calendar } from '../../store/types.js';
import { followerCounts } from '../../subscribers/followers.js';
import { labelsOf, withLabels } from '../common/calendar-labels.js';
import { ok } from '../common/envelope.js';
import { pageOf, pagingUrls, readPage } from '../common/paging.js';
import { parseParams, type RawParams } from '../common/params.js';
import type { DialectCall } from '../common/routes.js';
import { unix } from '../common/unix.js';
import { PAGE_SIZE, ownCalendarOf, required, type CalendarxDeps } from './deps.js';

/** "If the timezone parameter doesn't contain a value, the timezone America/Los_Angeles is used." */
const DEFAULT_ZONE = 'America/Los_Angeles';
const fields = calendarInput.pick({ title: true, description: true, timezone: true });

/** The calendar as CalendarX shows it; its save reply leaves the time zone out, as the product's does. */
async function calendarShape(deps: CalendarxDeps, c: Calendar, withZone = true) {
  const followers = await followerCounts(deps.store, c.id, deps.clock.now(), deps.config.activeDays);
  const labels = labelsOf(c);
  return {
    id: c.id,
    uniquekey: c.feedKey,
    calendarname: labels.internalName ?? c.title,
    title: c.title,
    description: c.description ?? '',
    ...(withZone ? { timezone: c.timezone } : {}),
    followers_active: String(followers.followers_active),
    followers_total: String(followers.followers_total),
    events_total: String(await deps.store.countObjects(c.id, 'VEVENT')),
    palette_id: labels.paletteId ?? '',
    date_create: unix(c.createdAt),
    date_modified: unix(c.updatedAt),
  };
}

/** The native fields of a create or save; a parameter left out of a save keeps its value. */
function nativeFields(params: RawParams, current: Calendar | null) {
  const description = params.description ?? current?.description;
  return parseParams(fields, {
    title: required(params, 'title'),
    ...(description == null ? {} : { description }),
    timezone: params.timezone === undefined && current ? current.timezone : params.timezone?.trim() || DEFAULT_ZONE,
  });
}

/** calendarname falls back to the title when empty; palette_id empty means the default palette. */
function labelsFrom(params: RawParams, title: string) {
  return {
    internalName: params.calendarname === undefined ? undefined : params.calendarname.trim() || title,
    paletteId: params.palette_id === undefined ? undefined : params.palette_id.trim() || null,
  };
}

export async function listCalendars(deps: CalendarxDeps, { ctx, params, auth }: DialectCall) {
  const page = readPage(params);
  // "Sorted by recently saved calendars appearing first."
  const all = (await deps.store.listCalendars(auth!.user.id)).sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
  const { rows, more } = pageOf(all, page, PAGE_SIZE);
  return ok({
    calendars: await Promise.all(rows.map((c) => calendarShape(deps, c))),
    paging: pagingUrls(deps.config.baseUrl, ctx.path, params, page, more),
  });
}

export async function createCalendar(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const input = nativeFields(params, null);
  const labels = labelsFrom(params, input.title);
  const settings = withLabels({}, { internalName: labels.internalName ?? input.title, paletteId: labels.paletteId ?? null });
  const calendar = await deps.service.createCalendar({
    ownerId: auth!.user.id, components: ['VEVENT', 'VTODO', 'VJOURNAL'], ...calendarFields(input, settings),
  });
  return ok({ calendar: await calendarShape(deps, calendar) });
}

export async function saveCalendar(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  const input = nativeFields(params, calendar);
  const saved = await deps.service.updateCalendar(calendar, {
    title: input.title, description: input.description ?? null, timezone: input.timezone ?? calendar.timezone,
    settings: withLabels(calendar.settings, labelsFrom(params, input.title)),
  });
  return ok({ calendar: await calendarShape(deps, saved, false) });
}

export async function deleteCalendar(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  await deps.service.deleteCalendar(calendar);
  return ok({ calendar: { id: calendar.id, status: 'deleted' } });
}
