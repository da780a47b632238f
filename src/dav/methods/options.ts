import type { MethodHandler } from '../context.js';
import { allowedFor } from '../allowed-methods.js';

/**
 * RFC 4791 §5.1: DAV classes 1 and 3 (RFC 4918), calendar-access, extended-mkcol (RFC 5689)
 * and calendar-auto-schedule (RFC 6638 §2: implicit scheduling, inbox and outbox).
 */
export const options: MethodHandler = async ({ ctx, resource }) => {
  ctx.set('DAV', '1, 3, calendar-access, extended-mkcol, calendar-auto-schedule');
  ctx.set('Allow', allowedFor(resource).join(', '));
  ctx.status = 200;
  ctx.body = '';
};
