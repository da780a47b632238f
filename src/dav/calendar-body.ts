import type { Context } from 'koa';
import { HttpError } from '../errors.js';
import { readBody } from '../http/body.js';
import { CALDAV, clark } from '../xml/namespaces.js';
import { MAX_RESOURCE_SIZE } from './limits.js';

const refuse = (status: number, precondition: string, message: string) =>
  new HttpError(status, 'FORBIDDEN', message, { precondition: clark(CALDAV, precondition) });

/**
 * Reads the body as text/calendar within max-resource-size (RFC 4791 §5.3.2.1): a PUT's
 * object, or a POST's scheduling message (RFC 6638 §5.1).
 */
export async function readCalendarBody(ctx: Context): Promise<string> {
  try {
    const raw = await readBody(ctx, ['text/calendar'], MAX_RESOURCE_SIZE);
    return raw.toString('utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const status = (err as HttpError).status;
    if (status === 415) throw refuse(415, 'supported-calendar-data', 'the body must be text/calendar');
    if (status === 413) throw refuse(403, 'max-resource-size', `calendar objects are limited to ${MAX_RESOURCE_SIZE} bytes`);
    throw err;
  }
}
