import type { CalendarService } from '../calendar/service.js';
import { eventMapping } from '../entries/event.js';
import { ADD_APPS } from '../entries/links.js';
import type { Store } from '../store/types.js';
import { ownCalendar } from './calendars.js';
import type { ApiRouter } from './openapi/route.js';
import { eventAddsSchema } from './openapi/schemas.js';

/** The event page's "add to calendar" clicks, per app, with every app listed (zeros included). */
export function eventAddRoutes(router: ApiRouter, store: Store, service: CalendarService): void {
  router.get('/calendars/:id/events/:entryId/adds', {
    summary: 'Add-to-calendar clicks of an event, per app', tag: 'events',
    responses: { 200: { description: 'Every app, zeros included.', schema: eventAddsSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const object = await service.entryOf(calendar, eventMapping, ctx.params.entryId!);
    const counts = await store.getEventAdds(calendar.id, object.id);
    const byApp = Object.fromEntries(ADD_APPS.map((app) => [app, counts[app] ?? 0]));
    ctx.body = { event_id: object.id, total: Object.values(byApp).reduce((a, b) => a + b, 0), by_app: byApp };
  });
}
