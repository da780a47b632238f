import type { Context, Middleware } from 'koa';
import { HttpError, notFound } from '../../errors.js';
import type { AuthState } from '../../http/auth.js';
import { sendEnvelope, withEnvelope } from './envelope.js';
import { readParams, type RawParams } from './params.js';
import { dialectAuth, type TokenDeps } from './token.js';

/** One call as a handler sees it: its parameters, the caller (null on a public endpoint), its path. */
export interface DialectCall {
  ctx: Context;
  params: RawParams;
  auth: AuthState | null;
}

export interface DialectEndpoint {
  /** Public endpoints (the time-zone list) take no token. */
  public?: boolean;
  handle(call: DialectCall): Promise<object>;
}

/**
 * A dialect's endpoints under `prefix`, by path (`me/calendars/list`), with or without the
 * trailing slash the products' URLs have. Each answers GET and POST alike, as the products do.
 */
export function dialectRoutes(prefix: string, deps: TokenDeps, endpoints: Record<string, DialectEndpoint>): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    await withEnvelope(ctx, async () => {
      const name = ctx.path.slice(prefix.length).replace(/^\/+|\/+$/g, '');
      const endpoint = Object.hasOwn(endpoints, name) ? endpoints[name] : undefined;
      if (!endpoint) throw notFound(`endpoint ${ctx.path}`);
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'POST') {
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET or POST', { headers: { Allow: 'GET, HEAD, POST' } });
      }
      const params = await readParams(ctx);
      const auth = endpoint.public ? null : await dialectAuth(deps, ctx, params);
      const body = await endpoint.handle({ ctx, params, auth });
      // A call's answer is the caller's own data, read at this moment.
      ctx.set('Cache-Control', endpoint.public ? 'public, max-age=3600' : 'no-store');
      sendEnvelope(ctx, 200, body);
    });
  };
}
