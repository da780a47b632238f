import { z } from 'zod';
import type { CalendarService } from '../calendar/service.js';
import { readBody } from '../http/body.js';
import type { Store } from '../store/types.js';
import { ownCalendar } from './calendars.js';
import type { ApiRouter } from './openapi/route.js';
import { importSchema } from './openapi/schemas.js';

/** Whole-calendar exports are larger than API bodies; 10 MiB holds ~10,000 events. */
const IMPORT_LIMIT = 10 * 1024 * 1024;

export function importRoutes(router: ApiRouter, store: Store, service: CalendarService): void {
  router.post('/calendars/:id/import', {
    summary: 'Import an iCalendar file', tag: 'calendars',
    description: 'Entries are matched by UID: new ones are created, known ones replaced. One bad component refuses the whole file.',
    upload: { type: 'text/calendar', schema: z.string().meta({ description: 'An RFC 5545 VCALENDAR, up to 10 MiB.' }) },
    responses: { 200: { description: 'What the import did.', schema: importSchema } },
    errors: ['CONFLICT'],
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const body = await readBody(ctx, ['text/calendar'], IMPORT_LIMIT);
    ctx.body = await service.importObjects(calendar, body.toString('utf8'));
  });
}
