import type { CalendarService } from '../../calendar/service.js';
import type { Config } from '../../config.js';
import type { InstanceIndex } from '../../ical/instance-index.js';
import type { Calendar, Store } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import { invalid, notFound } from '../../errors.js';
import type { AuthState } from '../../http/auth.js';
import type { RawParams } from '../common/params.js';

export interface CalendarxDeps {
  store: Store;
  service: CalendarService;
  clock: Clock;
  config: Config;
  /** Expanded series, shared with the native lists, to test a recurring event against a window. */
  instances: InstanceIndex;
}

/** Rows per page of every CalendarX list (the product does not say; AddEvent's lists use 20). */
export const PAGE_SIZE = 20;

/** A parameter the product marks "Mandatory": absent or empty is a 400 naming it. */
export function required(params: RawParams, name: string): string {
  const v = params[name]?.trim();
  if (!v) throw invalid(name, `${name} is required`);
  return v;
}

/** The caller's calendar `calendar_id`; another account's calendar is as unknown as none. */
export async function ownCalendarOf(deps: CalendarxDeps, auth: AuthState, params: RawParams): Promise<Calendar> {
  const calendar = await deps.store.getCalendar(required(params, 'calendar_id'));
  if (!calendar || calendar.ownerId !== auth.user.id) throw notFound('calendar');
  return calendar;
}
