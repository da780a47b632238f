import type { MethodHandler } from '../context.js';
import { allowedFor } from '../allowed-methods.js';

/**
 * RFC 4791 §5.1: DAV classes 1 and 3 (RFC 4918), calendar-access, and extended-mkcol
 * (RFC 5689). Scheduling (RFC 6638) is not implemented, so it is not advertised.
 */
export const options: MethodHandler = async ({ ctx, resource }) => {
  ctx.set('DAV', '1, 3, calendar-access, extended-mkcol');
  ctx.set('Allow', allowedFor(resource).join(', '));
  ctx.status = 200;
  ctx.body = '';
};
