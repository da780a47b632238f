import type { Context, Next } from 'koa';
import { HttpError } from '../errors.js';

/** Logs an unexpected error once, server-side; the client never sees its stack. */
export function logUnexpected(ctx: Context, err: unknown): void {
  console.error(`[calcast] ${ctx.method} ${ctx.path} failed:`, err);
}

/** Body-size and parse errors raised by Koa itself carry a status; keep those, hide the rest. */
function asHttpError(ctx: Context, err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const status = (err as { status?: number }).status;
  if (status === 413) return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'the body is too large');
  logUnexpected(ctx, err);
  return new HttpError(500, 'INTERNAL', 'internal error');
}

/** The JSON API's formatter: `{ "error": { "code", "message", "field"? } }`. */
export function jsonErrors() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (err) {
      const e = asHttpError(ctx, err);
      ctx.status = e.status;
      for (const [k, v] of Object.entries(e.options.headers ?? {})) ctx.set(k, v);
      ctx.body = { error: { code: e.code, message: e.message, ...(e.options.field ? { field: e.options.field } : {}) } };
    }
  };
}
