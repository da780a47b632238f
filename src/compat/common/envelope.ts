import type { Context } from 'koa';
import { DomainError } from '../../calendar/errors.js';
import { HttpError } from '../../errors.js';
import { httpFromDomain, unexpectedError } from '../../http/error-handler.js';

/**
 * The AddEvent/CalendarX envelope: every reply carries `meta.code`, a string in their
 * documented replies ("200"), and the HTTP status is that same code.
 */
export interface Meta {
  code: string | number;
}

/** A successful reply: `{ "meta": { "code": "200" }, ...rest }`, in that key order. */
export const ok = <T extends object>(rest: T): { meta: Meta } & T => ({ meta: { code: '200' }, ...rest });

/**
 * Writes `body` as JSON with `/` escaped as `\/`, as PHP's json_encode writes it: both
 * products' replies do, and a script that compares or greps the raw text keeps matching.
 * JSON parsers read either form the same.
 */
export function sendEnvelope(ctx: Context, status: number, body: object): void {
  ctx.status = status;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body).replace(/\//g, '\\/');
}

/** A refusal in the envelope: the code (a string, as the replies have it), its kind, the message, the field. */
export function errorEnvelope(err: HttpError) {
  return {
    meta: {
      code: String(err.status),
      error_type: err.code,
      error_message: err.message,
      ...(err.options.field ? { field: err.options.field } : {}),
    },
  };
}

/** Any error as the HttpError the envelope shows; unexpected ones are logged and hidden. */
function asHttpError(ctx: Context, err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return httpFromDomain(err);
  return unexpectedError(ctx, err);
}

/** Runs a dialect call; whatever it throws is answered in the envelope with the matching status. */
export async function withEnvelope(ctx: Context, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    const e = asHttpError(ctx, err);
    for (const [k, v] of Object.entries(e.options.headers ?? {})) ctx.set(k, v);
    sendEnvelope(ctx, e.status, errorEnvelope(e));
  }
}
