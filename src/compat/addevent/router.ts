import type { Middleware } from 'koa';
import { listTimezones } from '../../ical/timezones.js';
import { dialectRoutes } from '../common/routes.js';
import { calendarEndpoints } from './calendars.js';
import type { AddEventDeps } from './deps.js';
import { eventEndpoints } from './events.js';
import { subscriberEndpoints } from './subscribers.js';

export const ADDEVENT_PREFIX = '/compat/addevent/api/v1';

/**
 * AddEvent's v1 calendar API: every endpoint of its documentation, at its path under
 * /compat/addevent/api/v1, over the native calendars, entries and subscribers.
 */
export function addEventRoutes(deps: AddEventDeps): Middleware {
  return dialectRoutes(ADDEVENT_PREFIX, deps, {
    ...calendarEndpoints(deps),
    ...eventEndpoints(deps),
    ...subscriberEndpoints(deps),
    // The only reply whose meta.code is a number in the product's documentation.
    timezones: { public: true, handle: async () => ({ meta: { code: 200 }, data: listTimezones(new Date(deps.clock.now())) }) },
  });
}
