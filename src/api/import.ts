import type Router from '@koa/router';
import type { CalendarService } from '../calendar/service.js';
import { readBody } from '../http/body.js';
import type { Store } from '../store/types.js';
import { ownCalendar } from './calendars.js';

/** Whole-calendar exports are larger than API bodies; 10 MiB holds ~10,000 events. */
const IMPORT_LIMIT = 10 * 1024 * 1024;

export function importRoutes(router: Router, store: Store, service: CalendarService): void {
  router.post('/calendars/:id/import', async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const body = await readBody(ctx, ['text/calendar'], IMPORT_LIMIT);
    ctx.body = await service.importObjects(calendar, body.toString('utf8'));
  });
}
