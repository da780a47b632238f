import { listTimezones } from '../ical/timezones.js';
import type { Clock } from '../util/clock.js';
import type { ApiRouter } from './openapi/route.js';
import { timezonesSchema } from './openapi/schemas.js';

/** Public: every canonical IANA zone with its offset now, for time-zone pickers. */
export function timezoneRoutes(router: ApiRouter, clock: Clock): void {
  router.get('/timezones', {
    summary: 'Time zones with their offset now',
    responses: { 200: { description: 'Every canonical IANA zone, by name.', schema: timezonesSchema } },
  }, (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = { data: listTimezones(new Date(clock.now())) };
  });
}
