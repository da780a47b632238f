import { z } from 'zod';
import type { CalendarService } from '../calendar/service.js';
import { eventMapping } from '../entries/event.js';
import type { Mail, Store } from '../store/types.js';
import { ownCalendar } from './calendars.js';
import type { ApiRouter } from './openapi/route.js';
import { mailSchema } from './openapi/schemas.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(m: Mail) {
  return {
    id: m.id, method: m.method, recipient: m.recipient, subject: m.subject, message_id: m.messageId, status: m.status,
    attempts: m.attempts, last_error: m.lastError, next_attempt_at: m.status === 'pending' ? iso(m.nextAttemptAt) : null,
    created_at: iso(m.createdAt), sent_at: iso(m.sentAt),
  };
}

/** An event's invitations as queued, sent, retried or dead (with the SMTP error), and a resend. */
export function eventMailRoutes(router: ApiRouter, store: Store, service: CalendarService): void {
  router.get('/calendars/:id/events/:entryId/mail', {
    summary: 'Invitations of an event (iMIP), as queued, sent or dead', tag: 'events',
    responses: { 200: { description: 'Every invitation the event sent.', schema: z.strictObject({ data: z.array(mailSchema) }) } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const object = await service.entryOf(calendar, eventMapping, ctx.params.entryId!);
    ctx.body = { data: (await store.listMail(calendar.id, object.id)).map(present) };
  });
  router.post('/calendars/:id/events/:entryId/mail/:mailId/resend', {
    summary: 'Send an invitation again', tag: 'events',
    responses: { 202: { description: 'Queued for sending.', schema: mailSchema } },
  }, async (ctx) => {
    const calendar = await ownCalendar(store, ctx, ctx.params.id!);
    const object = await service.entryOf(calendar, eventMapping, ctx.params.entryId!);
    const mail = (await store.listMail(calendar.id, object.id)).find((m) => m.id === ctx.params.mailId);
    ctx.status = 202;
    ctx.body = present(await service.resendMail(calendar, mail?.id ?? ''));
  });
}
