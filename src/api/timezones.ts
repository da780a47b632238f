import type Router from '@koa/router';
import { listTimezones } from '../ical/timezones.js';
import type { Clock } from '../util/clock.js';

/** Public: every canonical IANA zone with its offset now, for time-zone pickers. */
export function timezoneRoutes(router: Router, clock: Clock): void {
  router.get('/timezones', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = { data: listTimezones(new Date(clock.now())) };
  });
}
