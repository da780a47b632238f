import type Router from '@koa/router';
import type { CalendarService } from '../calendar/service.js';
import { eventMapping } from '../entries/event.js';
import { ADD_APPS } from '../entries/links.js';
import type { Store } from '../store/types.js';
import { ownCalendar } from './calendars.js';

/** The event page's "add to calendar" clicks, per app, with every app listed (zeros included). */
export function eventAddRoutes(router: Router, store: Store, service: CalendarService): void {
  router.get('/calendars/:id/events/:entryId/adds', async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const object = await service.entryOf(calendar, eventMapping, ctx.params.entryId!);
    const counts = await store.getEventAdds(calendar.id, object.id);
    const byApp = Object.fromEntries(ADD_APPS.map((app) => [app, counts[app] ?? 0]));
    ctx.body = { event_id: object.id, total: Object.values(byApp).reduce((a, b) => a + b, 0), by_app: byApp };
  });
}
