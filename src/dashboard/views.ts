import type Router from '@koa/router';
import type { Context } from 'koa';
import { calendarLinks } from '../api/calendars.js';
import { decodeCursor, encodeCursor } from '../api/paging.js';
import { invalid } from '../errors.js';
import { qrSvg } from '../pages/qr.js';
import { nextEvents } from '../pages/subscribe-page.js';
import type { SubscriberStatus } from '../store/types.js';
import { activeSince } from '../subscribers/followers.js';
import { calendarStats } from '../subscribers/stats.js';
import { calendarPage } from './calendar-page.js';
import { calendarsPage } from './calendars-page.js';
import { ownedCalendar, type DashboardDeps } from './deps.js';
import type { DashboardState } from './session.js';
import { rotateConfirmation } from './settings-section.js';
import { dashboardPage, sendDashboard } from './shell.js';
import { ORDERS, STATUSES, type Order } from './subscriber-table.js';

const DAYS = 30;
const PAGE_SIZE = 25;

/** Confirmations shown after a redirect (?done=…): fixed texts, so the query cannot inject any. */
const NOTICES: Record<string, string> = {
  settings: 'Settings saved.', published: 'The calendar is published.', unpublished: 'The calendar is unpublished.',
  rotated: 'The key was rotated: the calendar has a new shared URL, and the old one answers 410 Gone.',
  blocked: 'Subscriber blocked: their feed now answers the “Calendar disabled” calendar.',
  unblocked: 'Subscriber unblocked.', deleted: 'Subscriber deleted.', created: 'Calendar created.',
};

interface Cursor { s: number; i: string }
const isCursor = (v: unknown): v is Cursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as Cursor).s) && typeof (v as Cursor).i === 'string';

function pick<T extends string>(ctx: Context, key: string, options: readonly T[], fallback: T): T {
  const v = ctx.query[key];
  if (v === undefined || v === '') return fallback;
  if (typeof v !== 'string' || !options.includes(v as T)) throw invalid(key, `${key} must be one of ${options.join(', ')}`);
  return v as T;
}

type View = (ctx: Context, state: DashboardState) => Promise<void>;

/** The dashboard's GET pages; `guard` resolves the session (or sends the browser to sign in). */
export function viewRoutes(router: Router, deps: DashboardDeps, guard: (view: View) => (ctx: Context) => Promise<void>): void {
  const { store, clock, config, basePath } = deps;
  const stats = (calendarId: string) => calendarStats(store, calendarId, clock.now(), config.activeDays, DAYS);

  router.get('/dashboard', guard(async (ctx, { user, csrf }) => {
    const calendars = await store.listCalendars(user.id);
    const rows = await Promise.all(calendars.map(async (calendar) => ({
      calendar, events: await store.countObjects(calendar.id, 'VEVENT'), stats: await stats(calendar.id),
    })));
    sendDashboard(ctx, 200, calendarsPage({ basePath, username: user.username, csrf, rows }));
  }));

  router.get('/dashboard/calendars/:id', guard(async (ctx, { user, csrf }) => {
    const calendar = await ownedCalendar(store, user, ctx.params.id!);
    const status = pick<SubscriberStatus>(ctx, 'status', STATUSES, 'all');
    const order = pick<Order>(ctx, 'order', ORDERS, 'desc');
    const rawAfter = typeof ctx.query.after === 'string' && ctx.query.after !== '' ? ctx.query.after : undefined;
    const after = rawAfter === undefined ? undefined : decodeCursor(rawAfter, isCursor);
    const since = activeSince(clock.now(), config.activeDays);
    const links = calendarLinks(config.baseUrl, calendar, user.username);
    const [figures, events, upcoming, qr, list] = await Promise.all([
      stats(calendar.id),
      store.countObjects(calendar.id, 'VEVENT'),
      nextEvents(store, calendar, Math.floor(clock.now() / 1000)),
      qrSvg(links.webcal_url, `QR code of the calendar link ${links.webcal_url}`),
      store.listSubscribers({
        calendarId: calendar.id, status, activeSince: since, order, limit: PAGE_SIZE,
        ...(after ? { after: { sort: after.s, id: after.i } } : {}),
      }),
    ]);
    const done = typeof ctx.query.done === 'string' ? NOTICES[ctx.query.done] : undefined;
    sendDashboard(ctx, 200, calendarPage({
      basePath, csrf, calendar, links, qr, events, upcoming, stats: figures,
      subscribers: {
        subscribers: list.subscribers, activeSince: since, status, order, paged: after !== undefined,
        next: list.next ? encodeCursor({ s: list.next.sort, i: list.next.id }) : null,
      },
      ...(done ? { notice: done } : {}),
    }));
  }));

  router.get('/dashboard/calendars/:id/rotate', guard(async (ctx, { user, csrf }) => {
    const calendar = await ownedCalendar(store, user, ctx.params.id!);
    const href = `${basePath}/dashboard/calendars/${calendar.id}`;
    const feed = calendarLinks(config.baseUrl, calendar, user.username).feed_url;
    sendDashboard(ctx, 200, dashboardPage({ basePath, title: 'Rotate key', csrf, body: rotateConfirmation(calendar, href, csrf, feed) }));
  }));
}
