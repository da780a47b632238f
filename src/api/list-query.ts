import { DateTime } from 'luxon';
import { HttpError, invalid } from '../errors.js';
import { readDateField } from '../entries/times.js';
import type { TimeFilter } from '../entries/instances.js';
import type { SortOrder } from '../store/types.js';
import { z } from 'zod';
import { pageLimit, pageQuery } from './paging.js';

/** The widest window `expand=true` lists occurrences over. */
export const MAX_EXPAND_SECONDS = 366 * 86_400;

export interface ListQuery {
  filter: TimeFilter;
  status?: string;
  text?: string;
  json?: { field: string; value: string };
  order: SortOrder;
  limit: number;
  cursor?: string;
  /** Set with expand=true: the bounded window occurrences are listed in. */
  expand?: { from: number; to: number };
  calendarIds?: string[];
}

const ORDERS = ['START_DATE_ASC', 'START_DATE_DESC', 'CREATED_ASC', 'CREATED_DESC'] as const satisfies readonly SortOrder[];

const bound = (description: string) => z.string().optional().meta({
  description: `${description}: a date or date-time; without an offset it is wall time in the calendar's zone (UTC across calendars).`,
});

/** The parameters a list takes, as documented; parseListQuery reads them and refuses any other. */
export const listQueryParams = z.object({
  start_after: bound('Entries starting at or after'),
  start_before: bound('Entries starting at or before'),
  end_after: bound('Entries ending at or after'),
  end_before: bound('Entries ending at or before'),
  month: z.coerce.number().int().min(1).max(12).optional().meta({ description: 'With `year`: entries starting that month.' }),
  year: z.coerce.number().int().min(1).max(9999).optional(),
  upcoming: z.string().optional().meta({ description: '`now`, or a date: entries starting from then on.' }),
  q: z.string().optional().meta({ description: 'Text found in the title, description or location.' }),
  json_field: z.string().optional().meta({ description: 'With `json_value`: entries whose custom_data field has that value.' }),
  json_value: z.string().optional(),
  status: z.string().optional().meta({ description: 'The iCalendar STATUS, any case.' }),
  order_by: z.enum(ORDERS).default('START_DATE_ASC'),
  expand: z.enum(['true', 'false']).default('false').meta({
    description: 'true lists each occurrence of a repeating entry in the window (at most 366 days; from now when no bound is given).',
  }),
  calendar_id: z.string().optional().meta({ description: 'Across calendars only: comma-separated calendar ids.' }),
  ...pageQuery,
});
const KNOWN = new Set(Object.keys(listQueryParams.shape));

type Query = Record<string, string | string[] | undefined>;

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (Array.isArray(v)) throw invalid(name, `${name} may be given once`);
  return v === '' ? undefined : v;
}

const seconds = (dt: DateTime) => Math.floor(dt.toSeconds());

function monthWindow(query: Query, zone: string): TimeFilter {
  const month = single(query, 'month');
  const year = single(query, 'year');
  if (month === undefined && year === undefined) return {};
  if (month === undefined || year === undefined) throw invalid(month ? 'year' : 'month', 'month and year go together');
  const m = Number(month);
  const y = Number(year);
  if (!Number.isInteger(m) || m < 1 || m > 12) throw invalid('month', 'month must be 1-12');
  if (!Number.isInteger(y) || y < 1 || y > 9999) throw invalid('year', 'year must be 1-9999');
  const first = DateTime.fromObject({ year: y, month: m, day: 1 }, { zone });
  return { startAfter: seconds(first), startBefore: seconds(first.plus({ months: 1 })) - 1 };
}

/** Reads a list's query string; dates without an offset are wall time in `zone`. */
export function parseListQuery(query: Query, zone: string, now: number): ListQuery {
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) throw invalid(name, `unknown query parameter "${name}"`);
  }
  const date = (name: string) => {
    const v = single(query, name);
    return v === undefined ? undefined : seconds(readDateField(name, v, zone, false).dt);
  };
  const filter: TimeFilter = {
    ...monthWindow(query, zone),
    ...Object.fromEntries(Object.entries({
      startAfter: date('start_after'), startBefore: date('start_before'),
      endAfter: date('end_after'), endBefore: date('end_before'),
    }).filter(([, v]) => v !== undefined)),
  };
  const upcoming = single(query, 'upcoming');
  if (upcoming !== undefined) {
    // AddEvent's `upcoming`: events from now (or from a date) on, soonest first.
    filter.startAfter = upcoming === 'now' ? Math.floor(now / 1000) : date('upcoming');
  }
  for (const [a, b, field] of [['startAfter', 'startBefore', 'start_before'], ['endAfter', 'endBefore', 'end_before']] as const) {
    if (filter[a] !== undefined && filter[b] !== undefined && filter[a]! > filter[b]!) {
      throw new HttpError(400, 'INVALID_TIME_RANGE', `${field} is before its lower bound`, { field });
    }
  }
  const order = (single(query, 'order_by') ?? 'START_DATE_ASC').toUpperCase() as SortOrder;
  if (!(ORDERS as readonly string[]).includes(order)) throw invalid('order_by', `order_by must be one of ${ORDERS.join(', ')}`);
  const jsonField = single(query, 'json_field');
  const jsonValue = single(query, 'json_value');
  if ((jsonField === undefined) !== (jsonValue === undefined)) {
    throw invalid(jsonField === undefined ? 'json_field' : 'json_value', 'json_field and json_value go together');
  }
  const expandRaw = single(query, 'expand');
  if (expandRaw !== undefined && expandRaw !== 'true' && expandRaw !== 'false') throw invalid('expand', 'expand is true or false');
  const calendarIds = single(query, 'calendar_id')?.split(',').map((s) => s.trim()).filter(Boolean);
  const result: ListQuery = {
    filter,
    order,
    limit: pageLimit(single(query, 'page_limit')),
    ...(single(query, 'status') !== undefined ? { status: single(query, 'status')!.toUpperCase() } : {}),
    ...(single(query, 'q') !== undefined ? { text: single(query, 'q')! } : {}),
    ...(jsonField !== undefined ? { json: { field: jsonField, value: jsonValue! } } : {}),
    ...(single(query, 'page_cursor') !== undefined ? { cursor: single(query, 'page_cursor')! } : {}),
    ...(calendarIds ? { calendarIds } : {}),
  };
  if (expandRaw === 'true') {
    const from = filter.startAfter ?? filter.endAfter ?? Math.floor(now / 1000);
    const to = filter.startBefore ?? filter.endBefore ?? from + MAX_EXPAND_SECONDS;
    if (to - from > MAX_EXPAND_SECONDS) {
      throw new HttpError(400, 'INVALID_TIME_RANGE', 'expand=true lists at most 366 days; narrow the window', { field: 'expand' });
    }
    result.expand = { from, to };
  }
  return result;
}
