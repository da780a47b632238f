import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Subscriber, SubscriberStatus } from '../../store/types.js';
import { CLIENT_LABELS, type ClientClass } from '../../subscribers/classify.js';
import { activeSince } from '../../subscribers/followers.js';
import { subscriberStatus } from '../../subscribers/stats.js';
import { HttpError, invalid } from '../../errors.js';
import { ok } from '../common/envelope.js';
import { pageOf, pagingUrls, readPage, rowsThrough } from '../common/paging.js';
import { parseParams, type RawParams } from '../common/params.js';
import type { DialectCall, DialectEndpoint } from '../common/routes.js';
import { endpoint, ownCalendarParam, type AddEventDeps } from './deps.js';

/** "If the list of subscribers contain more than 20 records the results are paginated." */
export const SUBSCRIBERS_PER_PAGE = 20;

const STATUSES: readonly SubscriberStatus[] = ['active', 'inactive', 'blocked', 'all'];

/** The column titles AddEvent sends with every subscriber list, in its order. */
const HEADER = {
  active: 'Active', blocked: 'Blocked', userid: 'ID', calendar: 'Calendar', syncs: 'Syncs', name: 'Name', email: 'Email',
  ip: 'IP', city: 'City', region: 'Region', country: 'Country', location: 'Location', postal: 'Postal',
  createdate: 'Created', lastsyncdate: 'Last sync date',
};

/** AddEvent's names for the apps it tells apart; Calcast's label for the others. */
const APPS: Partial<Record<ClientClass, string>> = {
  google: 'Google', apple_ios: 'Apple', apple_macos: 'Apple', outlook_desktop: 'Outlook', microsoft_online: 'Outlook.com',
};
const appName = (client: string) => APPS[client as ClientClass] ?? CLIENT_LABELS[client as ClientClass] ?? client;

/** AddEvent's date form, "Oct 6th 2024 21:49pm (UTC)": a 24-hour clock with am/pm after it. */
function addEventDate(ms: number | null): string {
  if (ms === null) return '';
  const dt = DateTime.fromMillis(ms, { zone: 'UTC' }).setLocale('en-US');
  const d = dt.day;
  const suffix = d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th';
  return `${dt.toFormat('MMM')} ${d}${suffix} ${dt.year} ${dt.toFormat('HH:mm')}${dt.hour < 12 ? 'am' : 'pm'} (UTC)`;
}

/** One subscriber as AddEvent shows it; Calcast keeps no IP, region, location or postal code of subscribers. */
function shown(s: Subscriber, since: number) {
  const status = subscriberStatus(s, since);
  return {
    active: status === 'active' ? 'Yes' : 'No', blocked: s.blocked ? 'True' : 'False', userid: s.id,
    calendar: appName(s.client), syncs: String(s.syncCount), name: s.name ?? '', email: s.email ?? '',
    ip: '', city: s.city ?? '', region: '', country: s.country ?? '', location: '', postal: '',
    createdate: addEventDate(s.createdAt), lastsyncdate: addEventDate(s.lastSyncAt),
  };
}

function choice<T extends string>(params: RawParams, name: string, options: readonly T[], fallback: T): T {
  const raw = (params[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (!options.includes(raw as T)) throw invalid(name, `${name} must be one of ${options.join(', ')}`);
  return raw as T;
}

async function list({ ctx, params, auth }: DialectCall, deps: AddEventDeps) {
  const calendar = await ownCalendarParam(deps, auth!, params);
  const page = readPage(params);
  const status = choice(params, 'status', STATUSES, 'all');
  const order = choice(params, 'order', ['asc', 'desc'] as const, 'desc');
  const since = activeSince(deps.clock.now(), deps.config.activeDays);
  const found = await deps.store.listSubscribers({
    calendarId: calendar.id, status, activeSince: since, order, limit: rowsThrough(page, SUBSCRIBERS_PER_PAGE),
  });
  const { rows, more } = pageOf(found.subscribers, page, SUBSCRIBERS_PER_PAGE);
  return ok({
    summary: { subscribers_total: String(found.summary.total), subscribers_active: String(found.summary.active) },
    calendar: { header: HEADER, subscribers: rows.map((s) => shown(s, since)) },
    paging: pagingUrls(deps.baseUrl, ctx.path, params, page, more),
  });
}

const userId = z.object({ user_id: z.string().trim().min(1, 'must not be empty') });

async function one(deps: AddEventDeps, call: DialectCall) {
  const calendar = await ownCalendarParam(deps, call.auth!, call.params);
  const { user_id: id } = parseParams(userId, call.params);
  const subscriber = await deps.store.getSubscriber(calendar.id, id);
  if (!subscriber) throw new HttpError(404, 'NOT_FOUND', `no subscriber of this calendar has the id ${id}`, { field: 'user_id' });
  return { calendar, subscriber };
}

async function view(call: DialectCall, deps: AddEventDeps) {
  const { subscriber } = await one(deps, call);
  return ok({ calendar: { header: HEADER, subscriber: shown(subscriber, activeSince(deps.clock.now(), deps.config.activeDays)) } });
}

async function remove(call: DialectCall, deps: AddEventDeps) {
  const { calendar, subscriber } = await one(deps, call);
  await deps.service.deleteSubscriber(calendar, subscriber.id);
  return ok({ calendar: { subscriber: { userid: subscriber.id, status: 'deleted' } } });
}

export function subscriberEndpoints(deps: AddEventDeps): Record<string, DialectEndpoint> {
  return {
    'me/calendars/subscribers/list': endpoint(deps, list),
    'me/calendars/subscribers/subscriber': endpoint(deps, view),
    'me/calendars/subscribers/subscriber/delete': endpoint(deps, remove),
  };
}
