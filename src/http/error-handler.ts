import type { Context, Next } from 'koa';
import { DomainError } from '../calendar/errors.js';
import { HttpError, type ErrorCode } from '../errors.js';
import { StoreUnavailable } from '../store/types.js';
import { outageLog } from '../util/outage-log.js';

/** Logs an unexpected error once, server-side; the client never sees its stack. */
function logUnexpected(ctx: Pick<Context, 'method' | 'path'>, err: unknown): void {
  console.error(`[calcast] ${ctx.method} ${ctx.path} failed:`, err);
}

const logOutage = outageLog();

/**
 * An error no surface formatter knows. The database being away (restarting, pool exhausted past
 * its wait) is a 503 with Retry-After that clients and load balancers retry; anything else is a
 * bug, logged with its stack and answered as a bare 500.
 */
export function unexpectedError(ctx: Pick<Context, 'method' | 'path'>, err: unknown): HttpError {
  if (err instanceof StoreUnavailable) {
    logOutage(`[calcast] ${ctx.method} ${ctx.path}: ${err.message}`);
    return new HttpError(503, 'UNAVAILABLE', 'the service is briefly unavailable; retry shortly',
      { headers: { 'Retry-After': String(err.retryAfter) } });
  }
  logUnexpected(ctx, err);
  return new HttpError(500, 'INTERNAL', 'internal error');
}

/** The HTTP status and code of each kind of domain refusal. */
const DOMAIN: Record<DomainError['kind'], [number, ErrorCode]> = {
  'not-found': [404, 'NOT_FOUND'],
  conflict: [409, 'CONFLICT'],
  'precondition-failed': [412, 'PRECONDITION_FAILED'],
  invalid: [400, 'VALIDATION_FAILED'],
  'too-large': [413, 'PAYLOAD_TOO_LARGE'],
};

/** A domain refusal as an HTTP error with its status, stable code and field. */
export function httpFromDomain(err: DomainError): HttpError {
  const [status, code] = DOMAIN[err.kind];
  return new HttpError(status, code, err.message, err.detail.field ? { field: err.detail.field } : {});
}

/** Body-size and parse errors raised by Koa itself carry a status; keep those, hide the rest. */
function asHttpError(ctx: Context, err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DomainError) return httpFromDomain(err);
  const status = (err as { status?: number }).status;
  if (status === 413) return new HttpError(413, 'PAYLOAD_TOO_LARGE', 'the body is too large');
  return unexpectedError(ctx, err);
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
