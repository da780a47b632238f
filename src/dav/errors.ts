import type { Context } from 'koa';
import { DomainError } from '../calendar/errors.js';
import { HttpError } from '../errors.js';
import { davFromDomain } from './domain-errors.js';
import { unexpectedError } from '../http/error-handler.js';
import { DAV, clark } from '../xml/namespaces.js';
import { el } from '../xml/write.js';
import { sendXml } from './context.js';

/** Calcast's own namespace, for a human-readable reason next to the RFC precondition. */
export const CALCAST_NS = 'https://calcast.dev/ns/';

/**
 * The DAV surface's one error formatter: `<D:error>` with the RFC precondition element
 * (RFC 4918 §16) and a message; never a stack trace.
 */
export function davError(ctx: Context, err: unknown, memberHref: ((uri: string) => string) | null = null): void {
  let e: HttpError;
  if (err instanceof HttpError) e = err;
  else if (err instanceof DomainError) e = davFromDomain(err, memberHref);
  else if ((err as { status?: number }).status === 413) e = new HttpError(413, 'PAYLOAD_TOO_LARGE', 'the body is too large');
  else e = unexpectedError(ctx, err);
  for (const [k, v] of Object.entries(e.options.headers ?? {})) ctx.set(k, v);
  sendXml(ctx, e.status, el(clark(DAV, 'error'),
    e.options.precondition
      ? el(e.options.precondition, e.options.href ? el(clark(DAV, 'href'), e.options.href) : null)
      : null,
    el(clark(CALCAST_NS, 'message'), e.message)));
}
