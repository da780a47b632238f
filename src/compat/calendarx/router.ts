import type { Middleware } from 'koa';
import { listTimezones } from '../../ical/timezones.js';
import { dialectRoutes, type DialectCall, type DialectEndpoint } from '../common/routes.js';
import { createCalendar, deleteCalendar, listCalendars, saveCalendar } from './calendars.js';
import type { CalendarxDeps } from './deps.js';
import { createEvent, deleteEvent, listEvents, saveEvent } from './events.js';
import { subscriberEndpoints } from './subscribers.js';

export const CALENDARX_PREFIX = '/compat/calendarx/api/v1';

/**
 * CalendarX's zone list: `meta.code` is a number here (the product's only such reply), and an
 * offset has no plus sign ("00:00", "01:00", "-05:00").
 */
function timezones(deps: CalendarxDeps): DialectEndpoint {
  return {
    public: true,
    handle: async () => ({
      meta: { code: 200 },
      data: listTimezones(new Date(deps.clock.now())).map((z) => ({ label: z.label, offset: z.offset.replace(/^\+/, '') })),
    }),
  };
}

/** CalendarX v1 over the calendar service: calendars, their events and subscribers, and time zones. */
export function calendarxRoutes(deps: CalendarxDeps): Middleware {
  const bind = (f: (d: CalendarxDeps, call: DialectCall) => Promise<object>): DialectEndpoint => ({ handle: (call) => f(deps, call) });
  return dialectRoutes(CALENDARX_PREFIX, deps, {
    'calendars/list': bind(listCalendars),
    'calendars/create': bind(createCalendar),
    'calendars/save': bind(saveCalendar),
    'calendars/delete': bind(deleteCalendar),
    'calendars/events/list': bind(listEvents),
    'calendars/events/create': bind(createEvent),
    'calendars/events/save': bind(saveEvent),
    'calendars/events/delete': bind(deleteEvent),
    ...subscriberEndpoints(deps),
    timezones: timezones(deps),
  });
}
