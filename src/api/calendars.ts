import type { Context } from 'koa';
import { z } from 'zod';
import { notFound } from '../errors.js';
import type { CalendarService } from '../calendar/service.js';
import { color, customData } from '../entries/schemas.js';
import { canonicalTimezone } from '../ical/timezones.js';
import { readJson } from '../http/body.js';
import type { AuthState } from '../http/auth.js';
import type { Calendar, Store } from '../store/types.js';
import type { Config } from '../config.js';
import type { FeedService } from '../feeds/service.js';
import { feedSettingsInput, feedSettingsOf, fromInput, presentFeedSettings } from '../feeds/settings.js';
import type { Clock } from '../util/clock.js';
import { followerCounts } from '../subscribers/followers.js';
import { asPatch, mergePatch, parseInput } from './validate.js';
import type { ApiRouter } from './openapi/route.js';
import { calendarSchema, locationHeader } from './openapi/schemas.js';
import { pageOf } from './paging.js';

export interface ApiDeps {
  store: Store;
  clock: Clock;
  config: Config;
  baseUrl: string;
  feeds: FeedService;
  service: CalendarService;
}

const timezone = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const zone = canonicalTimezone(name);
    if (!zone) ctx.addIssue({ code: 'custom', message: `unknown time zone "${name}": use an IANA name such as Europe/Paris` });
    return zone ?? name;
  });

/** A calendar's fields as the API and the dashboard's create form take them. */
export const calendarInput = z.strictObject({
  title: z.string().trim().min(1).max(255),
  description: z.string().max(10_000).nullish(),
  timezone: timezone.nullish(),
  color,
  weekday_begin: z.enum(['sunday', 'monday', 'saturday']).nullish(),
  custom_data: customData,
  published: z.boolean().nullish(),
  feed: feedSettingsInput.nullish(),
});
type CalendarInput = z.infer<typeof calendarInput>;

/** Validated input as the service's calendar fields; feed settings merge over `settings`. */
export function calendarFields(input: CalendarInput, settings: Calendar['settings']) {
  return {
    settings: { ...settings, feed: fromInput(input.feed, feedSettingsOf(settings)) },
    title: input.title,
    description: input.description ?? null,
    timezone: input.timezone ?? 'UTC',
    color: input.color ?? null,
    weekdayBegin: input.weekday_begin ?? null,
    customData: (input.custom_data ?? null) as Calendar['customData'],
    published: input.published ?? true,
  };
}

/** Public links of a calendar, built on CALCAST_BASE_URL. */
export function calendarLinks(baseUrl: string, calendar: Calendar, username: string) {
  const feed = `${baseUrl}/feeds/${calendar.feedKey}.ics`;
  return {
    feed_url: feed,
    webcal_url: feed.replace(/^https?:/, 'webcal:'),
    subscribe_url: `${baseUrl}/c/${calendar.feedKey}`,
    caldav_url: `${baseUrl}/dav/calendars/${encodeURIComponent(username)}/${encodeURIComponent(calendar.slug)}/`,
    // Read-only, no login: for subscribers whose app syncs CalDAV instead of polling the feed.
    caldav_public_url: `${baseUrl}/dav/public/${calendar.feedKey}/`,
  };
}

/** A calendar as the API shows it, with its links, feed settings and size, and followers. */
export async function presentCalendar(deps: ApiDeps, calendar: Calendar, username: string) {
  return {
    id: calendar.id,
    title: calendar.title,
    description: calendar.description,
    timezone: calendar.timezone,
    color: calendar.color,
    weekday_begin: calendar.weekdayBegin,
    custom_data: calendar.customData,
    published: calendar.published,
    events_total: await deps.store.countObjects(calendar.id, 'VEVENT'),
    ...(await followerCounts(deps.store, calendar.id, deps.clock.now(), deps.config.activeDays)),
    feed: presentFeedSettings(feedSettingsOf(calendar.settings)),
    // Google's importer drops feeds over ~1 MB / ~1,000 events (DESIGN.md §5.6): say so early.
    feed_status: await deps.feeds.size(calendar),
    created_at: new Date(calendar.createdAt).toISOString(),
    updated_at: new Date(calendar.updatedAt).toISOString(),
    ...calendarLinks(deps.baseUrl, calendar, username),
  };
}

/** The caller's calendar, or 404: another user's calendar is indistinguishable from none. */
export async function ownCalendar(store: Store, ctx: Context, id: string): Promise<Calendar> {
  const calendar = await store.getCalendar(id);
  const { user } = ctx.state.auth as AuthState;
  if (!calendar || calendar.ownerId !== user.id) throw notFound('calendar');
  return calendar;
}

/** A stored calendar seen as input, for merge patches (native PATCH, the dialects' saves). */
export function calendarInputView(c: Calendar): Record<string, unknown> {
  return {
    title: c.title, description: c.description, timezone: c.timezone, color: c.color,
    weekday_begin: c.weekdayBegin, custom_data: c.customData, published: c.published,
    feed: presentFeedSettings(feedSettingsOf(c.settings)),
  };
}

export function calendarRoutes(router: ApiRouter, deps: ApiDeps): void {
  const { store, baseUrl, service } = deps;
  const present = (ctx: Context, c: Calendar) => presentCalendar(deps, c, (ctx.state.auth as AuthState).user.username);

  router.post('/calendars', {
    summary: 'Create a calendar', body: calendarInput,
    responses: { 201: { description: 'The new calendar, with its feed and CalDAV links.', schema: calendarSchema, headers: locationHeader } },
    errors: ['CONFLICT'],
  }, async (ctx) => {
    const input = parseInput(calendarInput, await readJson(ctx));
    const { user } = ctx.state.auth as AuthState;
    const calendar = await service.createCalendar({ ownerId: user.id, components: ['VEVENT', 'VTODO', 'VJOURNAL'], ...calendarFields(input, {}) });
    ctx.status = 201;
    ctx.set('Location', `${baseUrl}/api/v1/calendars/${calendar.id}`);
    ctx.body = await present(ctx, calendar);
  });

  router.get('/calendars', {
    summary: 'List your calendars',
    responses: { 200: { description: 'All of them, on one page.', schema: pageOf(calendarSchema) } },
  }, async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    const calendars = await store.listCalendars(user.id);
    ctx.body = { data: await Promise.all(calendars.map((c) => present(ctx, c))), next_cursor: null };
  });

  router.get('/calendars/:id', {
    summary: 'Get a calendar',
    responses: { 200: { description: 'The calendar.', schema: calendarSchema } },
  }, async (ctx) => {
    ctx.body = await present(ctx, await ownCalendar(store, ctx, ctx.params.id!));
  });

  router.patch('/calendars/:id', {
    summary: 'Change a calendar (JSON Merge Patch)',
    description: 'The stored calendar merged with the patch must pass the create rules; `null` removes a field.',
    body: calendarInput.partial(),
    responses: { 200: { description: 'The calendar as changed.', schema: calendarSchema } },
    errors: ['EMPTY_PATCH', 'CONFLICT'],
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const patch = asPatch(await readJson(ctx));
    const input = parseInput(calendarInput, mergePatch(calendarInputView(calendar), patch));
    ctx.body = await present(ctx, await service.updateCalendar(calendar, calendarFields(input, calendar.settings)));
  });

  router.post('/calendars/:id/rotate-feed-key', {
    summary: 'Rotate the feed key', tag: 'calendars',
    description: 'The old feed, webcal and subscribe URLs answer 410 Gone from now on.',
    responses: { 200: { description: 'The calendar with its new links.', schema: calendarSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    ctx.body = await present(ctx, await service.rotateFeedKey(calendar));
  });

  router.delete('/calendars/:id', {
    summary: 'Delete a calendar and everything in it',
    responses: { 204: { description: 'Deleted.' } },
  }, async (ctx) => {
    await service.deleteCalendar(await ownCalendar(store, ctx, ctx.params.id!));
    ctx.status = 204;
  });
}
