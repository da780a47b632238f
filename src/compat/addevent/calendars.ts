import { z } from 'zod';
import { calendarFields, calendarInput, calendarInputView, calendarLinks } from '../../api/calendars.js';
import { mergePatch, parseInput } from '../../api/validate.js';
import { mainCalendarId } from '../../calendar/main-calendar.js';
import { customDataText } from '../../entries/schemas.js';
import { invalid } from '../../errors.js';
import type { AuthState } from '../../http/auth.js';
import type { Calendar } from '../../store/types.js';
import { followerCounts } from '../../subscribers/followers.js';
import { ok } from '../common/envelope.js';
import { pageOf, pagingUrls, readPage } from '../common/paging.js';
import { paletteColor, paletteNumber } from '../common/palette.js';
import type { DialectCall, DialectEndpoint } from '../common/routes.js';
import type { RawParams } from '../common/params.js';
import { unix } from '../common/unix.js';
import { renamed } from '../common/renamed.js';
import { DEFAULT_ZONE, endpoint, ownCalendarParam, type AddEventDeps } from './deps.js';

/** Calendars a list page holds; the product does not say, scripts follow `paging.next`. */
export const CALENDARS_PER_PAGE = 100;

/** AddEvent's template and palette ids have no Calcast meaning; they are kept so a script reads back what it set. */
const KEPT = ['template_id', 'template_embed_id', 'palette_id'] as const;
type Kept = Record<(typeof KEPT)[number], string>;
const keptOf = (c: Calendar): Kept => ({ template_id: '', template_embed_id: '', palette_id: '', ...(c.settings.addevent as Partial<Kept> | undefined) });

const WEEKDAYS: Record<string, 'sunday' | 'monday'> = { 0: 'sunday', 1: 'monday' };
const WEEKDAY_NUMBERS: Record<string, string> = { sunday: '0', monday: '1', saturday: '6' };
const NATIVE_NAMES = { color: 'calendar_color' };

/** What AddEvent shows of a calendar's figures and links. */
async function figures(deps: AddEventDeps, auth: AuthState, c: Calendar) {
  const followers = await followerCounts(deps.store, c.id, deps.clock.now(), deps.config.activeDays);
  const link = calendarLinks(deps.baseUrl, c, auth.user.username).subscribe_url;
  return {
    followers_active: String(followers.followers_active),
    followers_total: String(followers.followers_total),
    events_total: String(await deps.store.countObjects(c.id, 'VEVENT')),
    // Calcast has no link shortener: both links are the calendar's subscribe page.
    link_short: link,
    link_long: link,
    custom_data: c.customData ? JSON.stringify(c.customData) : '',
    date_create: unix(c.createdAt),
    date_modified: unix(c.updatedAt),
  };
}

/** A calendar as the list shows it. */
export async function listedCalendar(deps: AddEventDeps, auth: AuthState, c: Calendar, mainId: string | null) {
  const f = await figures(deps, auth, c);
  return {
    id: c.id, uniquekey: c.feedKey, title: c.title, description: c.description ?? '',
    followers_active: f.followers_active, followers_total: f.followers_total, events_total: f.events_total,
    main_calendar: String(c.id === mainId), template_id: keptOf(c).template_id,
    link_short: f.link_short, link_long: f.link_long, custom_data: f.custom_data,
    date_create: f.date_create, date_modified: f.date_modified,
  };
}

/** A calendar as create and save answer it. */
async function savedCalendar(deps: AddEventDeps, auth: AuthState, c: Calendar) {
  const f = await figures(deps, auth, c);
  const kept = keptOf(c);
  return {
    id: c.id, uniquekey: c.feedKey, title: c.title, description: c.description ?? '', timezone: c.timezone,
    weekday_begin: WEEKDAY_NUMBERS[c.weekdayBegin ?? 'sunday'] ?? '0', calendar_color: paletteNumber(c.color),
    palette_id: kept.palette_id, followers_active: f.followers_active, followers_total: f.followers_total,
    events_total: f.events_total, template_id: kept.template_id, template_embed_id: kept.template_embed_id,
    link_short: f.link_short, link_long: f.link_long, custom_data: f.custom_data,
    date_create: f.date_create, date_modified: f.date_modified,
  };
}

const present = (params: RawParams, name: string) => Object.hasOwn(params, name);

/** The native calendar fields the call's parameters name (a save changes only those). */
function nativeFields(params: RawParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (present(params, 'title')) out.title = params.title;
  if (present(params, 'description')) out.description = params.description || null;
  if (present(params, 'timezone') && params.timezone !== '') out.timezone = params.timezone;
  if (present(params, 'calendar_color')) out.color = paletteColor('calendar_color', params.calendar_color!);
  if (present(params, 'weekday_begin') && params.weekday_begin !== '') {
    const day = WEEKDAYS[params.weekday_begin!.trim()];
    if (!day) throw invalid('weekday_begin', 'weekday_begin must be 0 (Sunday) or 1 (Monday)');
    out.weekday_begin = day;
  }
  if (present(params, 'custom_data')) {
    out.custom_data = params.custom_data === '' ? null : parseInput(z.object({ custom_data: customDataText(500) }), params).custom_data;
  }
  return out;
}

/** The kept template and palette ids, with the ones this call gives. */
function keptSettings(c: Calendar | null, params: RawParams): Calendar['settings'] {
  const settings = c?.settings ?? {};
  const kept: Partial<Kept> = { ...(settings.addevent as Partial<Kept> | undefined) };
  for (const key of KEPT) if (present(params, key)) kept[key] = params[key]!.slice(0, 200);
  return { ...settings, addevent: kept };
}

async function list({ ctx, params, auth }: DialectCall, deps: AddEventDeps) {
  const page = readPage(params);
  const calendars = await deps.store.listCalendars(auth!.user.id);
  const mainId = mainCalendarId(calendars);
  // "sorted by recently saved calendars appearing first"
  const recent = [...calendars].sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
  const { rows, more } = pageOf(recent, page, CALENDARS_PER_PAGE);
  return ok({
    calendars: await Promise.all(rows.map((c) => listedCalendar(deps, auth!, c, mainId))),
    paging: pagingUrls(deps.baseUrl, ctx.path, params, page, more),
  });
}

async function create({ params, auth }: DialectCall, deps: AddEventDeps) {
  const input = await renamed(NATIVE_NAMES, async () =>
    parseInput(calendarInput, { timezone: DEFAULT_ZONE, ...nativeFields(params) }));
  const calendar = await deps.service.createCalendar({
    ownerId: auth!.user.id, components: ['VEVENT', 'VTODO', 'VJOURNAL'],
    ...calendarFields(input, keptSettings(null, params)),
  });
  return ok({ calendar: await savedCalendar(deps, auth!, calendar) });
}

async function save({ params, auth }: DialectCall, deps: AddEventDeps) {
  const calendar = await ownCalendarParam(deps, auth!, params);
  const input = await renamed(NATIVE_NAMES, async () =>
    parseInput(calendarInput, mergePatch(calendarInputView(calendar), nativeFields(params))));
  const saved = await deps.service.updateCalendar(calendar, calendarFields(input, keptSettings(calendar, params)));
  return ok({ calendar: await savedCalendar(deps, auth!, saved) });
}

async function remove({ params, auth }: DialectCall, deps: AddEventDeps) {
  const calendar = await ownCalendarParam(deps, auth!, params);
  await deps.service.deleteCalendar(calendar, { keepMain: true });
  return ok({ calendar: { id: calendar.id, status: 'deleted' } });
}

export function calendarEndpoints(deps: AddEventDeps): Record<string, DialectEndpoint> {
  return {
    'me/calendars/list': endpoint(deps, list),
    'me/calendars/create': endpoint(deps, create),
    'me/calendars/save': endpoint(deps, save),
    'me/calendars/delete': endpoint(deps, remove),
  };
}
