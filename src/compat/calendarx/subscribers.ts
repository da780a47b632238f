import { DateTime } from 'luxon';
import { invalid, notFound } from '../../errors.js';
import { zoneOf } from '../../ical/zone-cache.js';
import type { Calendar, Subscriber, SubscriberStatus } from '../../store/types.js';
import { activeSince } from '../../subscribers/followers.js';
import { subscriberStatus } from '../../subscribers/stats.js';
import { ok } from '../common/envelope.js';
import { pageOf, pagingUrls, readPage } from '../common/paging.js';
import type { RawParams } from '../common/params.js';
import type { DialectCall, DialectEndpoint } from '../common/routes.js';
import { unix } from '../common/unix.js';
import { PAGE_SIZE, ownCalendarOf, required, type CalendarxDeps } from './deps.js';

/** CalendarX's calendar_type for each client class; classes it has no name for keep Calcast's. */
const CALENDAR_TYPES: Record<string, string> = {
  google: 'google', apple_ios: 'apple', apple_macos: 'apple', outlook_desktop: 'outlook', microsoft_online: 'outlookcom',
};

/** Most subscribers one list reads: CalendarX sorts and filters by subscription date, which the store does not. */
const MAX_SUBSCRIBERS = 100_000;

/** What CalendarX shows for a detail it has no value for (its own replies say "null"). */
const unknown = (v: string | null) => v ?? 'null';

function subscriberShape(s: Subscriber, calendar: Calendar, since: number) {
  const status = subscriberStatus(s, since);
  return {
    id: s.id,
    name: s.name ?? '',
    email: s.email ?? '',
    // Calcast keeps no subscriber's address, postal code or state (only country and city).
    ip: 'null',
    postal: 'null',
    city: unknown(s.city),
    state: 'null',
    country: unknown(s.country),
    date: DateTime.fromMillis(s.createdAt, { zone: zoneOf(calendar.timezone) }).toFormat('MM/dd/yyyy HH:mm:ss'),
    unixtime_stamp: unix(s.createdAt),
    calendar_type: CALENDAR_TYPES[s.client] ?? s.client,
    active: String(status === 'active'),
    blocked: String(s.blocked),
  };
}

/** month + year: subscribers who subscribed in that month, in the calendar's zone. */
function monthFilter(params: RawParams, zone: string): ((s: Subscriber) => boolean) | null {
  const { month, year } = params;
  if (!month && !year) return null;
  if (!month || !year) throw invalid(month ? 'year' : 'month', 'month and year go together');
  if (!/^\d{2}$/.test(month) || +month < 1 || +month > 12) throw invalid('month', 'month must be two digits from 01 to 12');
  if (!/^\d{4}$/.test(year)) throw invalid('year', 'year must be four digits, e.g. 2018');
  const from = DateTime.fromObject({ year: +year, month: +month, day: 1 }, { zone: zoneOf(zone) });
  const [a, b] = [from.toMillis(), from.plus({ months: 1 }).toMillis()];
  return (s) => s.createdAt >= a && s.createdAt < b;
}

/** date-* and id-* both sort by subscription date: Calcast's ids are random, CalendarX's count up. */
function sorter(raw: string | undefined) {
  const order = raw?.trim() || 'date-desc'; // "sorted by recently created"
  if (!['date-asc', 'date-desc', 'id-asc', 'id-desc'].includes(order)) {
    throw invalid('order_by', 'order_by must be one of date-asc, date-desc, id-asc, id-desc');
  }
  const sign = order.endsWith('-asc') ? 1 : -1;
  return (a: Subscriber, b: Subscriber) => sign * (a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

function listSubscribers(deps: CalendarxDeps, status: SubscriberStatus) {
  return async ({ ctx, params, auth }: DialectCall) => {
    const calendar = await ownCalendarOf(deps, auth!, params);
    const page = readPage(params);
    const compare = sorter(params.order_by);
    const inMonth = monthFilter(params, calendar.timezone);
    const since = activeSince(deps.clock.now(), deps.config.activeDays);
    const { subscribers } = await deps.store.listSubscribers({ calendarId: calendar.id, status, activeSince: since, order: 'desc', limit: MAX_SUBSCRIBERS });
    const matches = (inMonth ? subscribers.filter(inMonth) : subscribers).sort(compare);
    const { rows, more } = pageOf(matches, page, PAGE_SIZE);
    return ok({
      calendar: { id: calendar.id, subscribers_count: matches.length },
      subscribers: rows.map((s) => subscriberShape(s, calendar, since)),
      paging: pagingUrls(deps.config.baseUrl, ctx.path, params, page, more),
    });
  };
}

async function oneSubscriber(deps: CalendarxDeps, { params, auth }: DialectCall) {
  const calendar = await ownCalendarOf(deps, auth!, params);
  const s = await deps.store.getSubscriber(calendar.id, required(params, 'subscriber_id'));
  if (!s) throw notFound('subscriber');
  const since = activeSince(deps.clock.now(), deps.config.activeDays);
  return ok({ calendar: { id: calendar.id }, subscribers: [subscriberShape(s, calendar, since)] });
}

/** The list (every subscriber), its /inactive/ and /blocked/ segments, and one subscriber. */
export function subscriberEndpoints(deps: CalendarxDeps): Record<string, DialectEndpoint> {
  return {
    'calendars/subscribers/list': { handle: listSubscribers(deps, 'all') },
    'calendars/subscribers/list/inactive': { handle: listSubscribers(deps, 'inactive') },
    'calendars/subscribers/list/blocked': { handle: listSubscribers(deps, 'blocked') },
    'calendars/subscriber': { handle: (call) => oneSubscriber(deps, call) },
  };
}
