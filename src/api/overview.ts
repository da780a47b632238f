import { z } from 'zod';
import { DateTime } from 'luxon';
import { invalid } from '../errors.js';
import { matchingInstances } from '../entries/instances.js';
import { parseCalendar } from '../ical/parse.js';
import { canonicalTimezone } from '../ical/timezones.js';
import type { AuthState } from '../http/auth.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import type { ApiRouter } from './openapi/route.js';
import { parseInput } from './validate.js';
import { overviewSchema } from './openapi/schemas.js';

const overviewQuery = z.object({ time_zone: z.string().min(1, 'an IANA name is required').meta({ description: 'IANA name; days start at midnight there.' }) });

/**
 * Seed 002's overview: upcoming events for today, tomorrow and the next 7 days, with day
 * boundaries in `time_zone`. Ended and cancelled (declined) events are left out.
 */
export function overviewRoutes(router: ApiRouter, store: Store, clock: Clock): void {
  router.get('/events/overview', {
    summary: 'How many events are coming today, tomorrow and in the next 7 days',
    query: overviewQuery,
    responses: { 200: { description: 'Counts of occurrences, across your calendars.', schema: overviewSchema } },
  }, async (ctx) => {
    const { time_zone: raw } = parseInput(overviewQuery, ctx.query);
    const zone = canonicalTimezone(raw);
    if (!zone) throw invalid('time_zone', `unknown time zone "${raw}"`);
    const { user } = ctx.state.auth as AuthState;
    const now = Math.floor(clock.now() / 1000);
    const today = DateTime.fromSeconds(now, { zone }).startOf('day');
    const at = (days: number) => Math.floor(today.plus({ days }).toSeconds());
    const buckets = { today: [now, at(1)], tomorrow: [Math.max(now, at(1)), at(2)], next_7_days: [now, at(7)] } as const;
    const counts = { today: 0, tomorrow: 0, next_7_days: 0 };
    const calendars = await store.listCalendars(user.id);
    const zones = new Map(calendars.map((c) => [c.id, c.timezone]));
    const window = { endAfter: now + 1, startBefore: at(7) - 1 };
    const { objects } = await store.listObjects({
      calendarIds: calendars.map((c) => c.id), componentType: 'VEVENT', ...window, order: 'START_DATE_ASC', limit: 100_000,
    });
    for (const o of objects) {
      for (const occ of matchingInstances(parseCalendar(o.data), zones.get(o.calendarId)!, window)) {
        if (occ.component.getFirstPropertyValue('status') === 'CANCELLED') continue;
        for (const [name, [from, to]] of Object.entries(buckets) as [keyof typeof counts, readonly [number, number]][]) {
          if (occ.end > from && occ.start < to) counts[name]++;
        }
      }
    }
    ctx.body = { data: { time_zone: zone, ...counts } };
  });
}
