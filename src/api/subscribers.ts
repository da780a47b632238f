import { z } from 'zod';
import type { CalendarService } from '../calendar/service.js';
import type { Config } from '../config.js';
import { invalid, notFound } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Store, Subscriber, SubscriberStatus } from '../store/types.js';
import { CLIENT_CLASSES, type ClientClass } from '../subscribers/classify.js';
import { activeSince } from '../subscribers/followers.js';
import { calendarStats, subscriberStatus } from '../subscribers/stats.js';
import type { Clock } from '../util/clock.js';
import { ownCalendar } from './calendars.js';
import { decodeCursor, encodeCursor, pageLimit, pageQuery } from './paging.js';
import { asPatch, parseInput } from './validate.js';
import type { ApiRouter } from './openapi/route.js';
import { locationHeader, mintedSubscriberSchema, statsSchema, subscriberPageSchema, subscriberSchema } from './openapi/schemas.js';

export interface SubscriberDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'activeDays' | 'baseUrl'>;
  service: CalendarService;
}

const STATUSES: readonly SubscriberStatus[] = ['active', 'inactive', 'blocked', 'all'];
const ORDERS = ['asc', 'desc'] as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const clientClass = z.enum(CLIENT_CLASSES as [ClientClass, ...ClientClass[]]);
const name = z.string().trim().max(200);
const email = z.email().max(254);

/** PATCH is a merge patch: absent fields stay, null clears name or email. */
const patchInput = z.strictObject({ blocked: z.boolean().optional(), name: name.nullable().optional(), email: email.nullable().optional() });
const createInput = z.strictObject({ name: name.nullish(), email: email.nullish(), client: clientClass.nullish() });

/** The query parameters of the list and of the statistics (their names are the ones `reader` accepts). */
const listQuery = z.object({
  status: z.enum(STATUSES).default('all'),
  order: z.enum(ORDERS).default('desc').meta({ description: 'By last sync; subscribers that never synced come last.' }),
  ...pageQuery,
});
const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30).meta({ description: 'UTC days up to today.' }) });
const namesOf = (schema: z.ZodObject) => Object.keys(schema.shape);

export function presentSubscriber(s: Subscriber, since: number) {
  return {
    id: s.id, kind: s.kind, client: s.client, status: subscriberStatus(s, since), sync_count: s.syncCount,
    first_sync_at: iso(s.firstSyncAt), last_sync_at: iso(s.lastSyncAt), created_at: iso(s.createdAt),
    name: s.name, email: s.email, country: s.country, city: s.city,
  };
}

type Query = Record<string, string | string[] | undefined>;

/** One value of a known query parameter; unknown or repeated parameters are refused. */
function reader(query: Query, known: readonly string[]) {
  for (const key of Object.keys(query)) if (!known.includes(key)) throw invalid(key, `unknown query parameter "${key}"`);
  return (key: string): string | undefined => {
    const v = query[key];
    if (Array.isArray(v)) throw invalid(key, `${key} may be given once`);
    return v === '' ? undefined : v;
  };
}

function oneOf<T extends string>(key: string, value: string | undefined, options: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!options.includes(value as T)) throw invalid(key, `${key} must be one of ${options.join(', ')}`);
  return value as T;
}

interface Cursor { o: 'asc' | 'desc'; s: number; i: string }
const isCursor = (v: unknown): v is Cursor =>
  typeof v === 'object' && v !== null && ORDERS.includes((v as Cursor).o) &&
  Number.isSafeInteger((v as Cursor).s) && typeof (v as Cursor).i === 'string';

/**
 * Subscribers of a calendar and its sync statistics. Another user's calendar is a 404.
 *
 * GET /calendars/:id/stats?days=30 (1-365) answers, for the UTC days [today - days + 1, today]:
 *   { "days": 30, "from": "2024-01-02", "to": "2024-01-31",
 *     "data": [{ "day": "2024-01-02", "syncs": 12, "active_subscribers": 3, "new_subscribers": 1 }, ...],
 *     "by_client": { "apple_ios": 40, "google": 12 },
 *     "totals": { "syncs": 52, "new_subscribers": 4,
 *                 "subscribers": { "total": 9, "active": 5, "inactive": 3, "blocked": 1 } } }
 * Every day is present (zero-filled). `active_subscribers` is the distinct subscribers that
 * synced that day; `by_client` is syncs per client class over the range, largest first, zero
 * classes left out; `totals.subscribers` is the state now. Figures come from the daily rollups,
 * so they outlive the pruning of the raw log.
 */
export function subscriberRoutes(router: ApiRouter, deps: SubscriberDeps): void {
  const { store, clock, config } = deps;
  const since = () => activeSince(clock.now(), config.activeDays);
  const base = (id: string) => `/api/v1/calendars/${id}/subscribers`;

  router.get('/calendars/:id/subscribers', {
    summary: 'List a calendar\'s subscribers', query: listQuery,
    responses: { 200: { description: 'A page of subscribers, and the counts by status.', schema: subscriberPageSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const get = reader(ctx.query, namesOf(listQuery));
    const status = oneOf('status', get('status'), STATUSES, 'all');
    const order = oneOf('order', get('order'), ORDERS, 'desc');
    const limit = pageLimit(get('page_limit'));
    const raw = get('page_cursor');
    const cursor = raw === undefined ? undefined : decodeCursor(raw, isCursor);
    if (cursor && cursor.o !== order) throw invalid('page_cursor', 'page_cursor belongs to the other order');
    const activeFrom = since();
    const page = await store.listSubscribers({
      calendarId: calendar.id, status, activeSince: activeFrom, order, limit,
      ...(cursor ? { after: { sort: cursor.s, id: cursor.i } } : {}),
    });
    ctx.body = {
      data: page.subscribers.map((s) => presentSubscriber(s, activeFrom)),
      summary: page.summary,
      next_cursor: page.next ? encodeCursor({ o: order, s: page.next.sort, i: page.next.id }) : null,
    };
  });

  router.post('/calendars/:id/subscribers', {
    summary: 'Mint a personal feed URL for a named person', body: createInput,
    responses: { 201: { description: 'The subscriber, with its personal feed URL.', schema: mintedSubscriberSchema, headers: locationHeader } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const input = parseInput(createInput, await readJson(ctx));
    const minted = await deps.service.mintSubscriber(calendar, {
      name: input.name ?? null, email: input.email ?? null, client: input.client ?? 'unknown',
    });
    ctx.status = 201;
    ctx.set('Location', `${config.baseUrl}${base(calendar.id)}/${minted.subscriber.id}`);
    ctx.body = { ...presentSubscriber(minted.subscriber, since()), feed_url: minted.feedUrl, webcal_url: minted.webcalUrl };
  });

  router.get('/calendars/:id/subscribers/:sid', {
    summary: 'Get a subscriber',
    responses: { 200: { description: 'The subscriber.', schema: subscriberSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const s = await store.getSubscriber(calendar.id, ctx.params.sid!);
    if (!s) throw notFound('subscriber');
    ctx.body = presentSubscriber(s, since());
  });

  router.patch('/calendars/:id/subscribers/:sid', {
    summary: 'Block, unblock or rename a subscriber (JSON Merge Patch)',
    description: 'A blocked subscriber\'s feed answers a "Calendar disabled" calendar.',
    body: patchInput,
    responses: { 200: { description: 'The subscriber as changed.', schema: subscriberSchema } },
    errors: ['EMPTY_PATCH'],
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const patch = parseInput(patchInput, asPatch(await readJson(ctx)));
    ctx.body = presentSubscriber(await deps.service.updateSubscriber(calendar, ctx.params.sid!, patch), since());
  });

  router.delete('/calendars/:id/subscribers/:sid', {
    summary: 'Delete a subscriber',
    responses: { 204: { description: 'Deleted; a personal URL keeps answering "Calendar disabled".' } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    await deps.service.deleteSubscriber(calendar, ctx.params.sid!);
    ctx.status = 204;
  });

  router.get('/calendars/:id/stats', {
    summary: 'Daily syncs and subscribers of a calendar', tag: 'subscribers', query: statsQuery,
    responses: { 200: { description: 'Every day of the range, zero-filled, and the totals.', schema: statsSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const rawDays = reader(ctx.query, namesOf(statsQuery))('days') ?? '30';
    const days = Number(rawDays);
    if (!/^\d+$/.test(rawDays) || days < 1 || days > 365) throw invalid('days', 'days must be a whole number from 1 to 365');
    const stats = await calendarStats(store, calendar.id, clock.now(), config.activeDays, days);
    ctx.body = {
      days, from: stats.from, to: stats.to,
      data: stats.daily.map((d) => ({
        day: d.day, syncs: d.syncs, active_subscribers: d.activeSubscribers, new_subscribers: d.newSubscribers,
      })),
      by_client: stats.byClient,
      totals: { syncs: stats.totals.syncs, new_subscribers: stats.totals.newSubscribers, subscribers: stats.totals.subscribers },
    };
  });
}
