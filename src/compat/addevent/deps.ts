import type { ListDeps } from '../../api/entries.js';
import type { Config } from '../../config.js';
import type { AuthState } from '../../http/auth.js';
import { HttpError } from '../../errors.js';
import type { Calendar } from '../../store/types.js';
import { parseParams, type RawParams } from '../common/params.js';
import type { DialectCall, DialectEndpoint } from '../common/routes.js';
import { z } from 'zod';

/** What the AddEvent dialect reads and writes through: the native list deps and the settings. */
export interface AddEventDeps extends ListDeps {
  config: Config;
}

/** AddEvent's own default zone: "The timezone parameter defaults to America/Los_Angeles". */
export const DEFAULT_ZONE = 'America/Los_Angeles';

const calendarIdParam = z.object({ calendar_id: z.string().trim().min(1, 'must not be empty') });

/** The caller's calendar named by `calendar_id`; another user's is as unknown as none (404). */
export async function ownCalendarParam(deps: AddEventDeps, auth: AuthState, params: RawParams): Promise<Calendar> {
  const { calendar_id: id } = parseParams(calendarIdParam, params);
  const calendar = await deps.store.getCalendar(id);
  if (!calendar || calendar.ownerId !== auth.user.id) {
    throw new HttpError(404, 'NOT_FOUND', `no calendar has the id ${id}`, { field: 'calendar_id' });
  }
  return calendar;
}

/** An endpoint of this dialect: its handler with the deps bound. */
export const endpoint = (deps: AddEventDeps, handle: (call: DialectCall, deps: AddEventDeps) => Promise<object>): DialectEndpoint =>
  ({ handle: (call) => handle(call, deps) });
