import type { Context, Middleware } from 'koa';
import { HttpError } from '../errors.js';
import { allowedFor, RECOGNISED_UNSUPPORTED } from './allowed-methods.js';
import type { SyncRecorder } from '../subscribers/recorder.js';
import { basicAuthenticator } from './auth.js';
import type { DavDeps, MethodHandler } from './context.js';
import { davError } from './errors.js';
import { deleteMethod } from './methods/delete.js';
import { getMethod } from './methods/get.js';
import { mkcalendar } from './methods/mkcalendar.js';
import { mkcol } from './methods/mkcol.js';
import { options } from './methods/options.js';
import { propfind } from './methods/propfind.js';
import { proppatch } from './methods/proppatch.js';
import { post } from './methods/post.js';
import { put } from './methods/put.js';
import { report } from './methods/report.js';
import { resolvePublic } from './public-access.js';
import { hrefs, resolveOwned } from './resources.js';
import { clientNetwork } from './client-network.js';

/** The method table. @koa/router knows no DAV verbs, so this router answers OPTIONS and Allow itself. */
const METHODS: Record<string, MethodHandler> = {
  OPTIONS: options, PROPFIND: propfind, PROPPATCH: proppatch, MKCALENDAR: mkcalendar, MKCOL: mkcol,
  GET: getMethod, HEAD: getMethod, PUT: put, DELETE: deleteMethod, REPORT: report, POST: post,
};

/** Methods that create a collection at a free URL. */
const CREATES = new Set(['MKCALENDAR', 'MKCOL']);

/**
 * Clients given only the server's address (python caldav, DAVx5's base-URL login) PROPFIND
 * there for current-user-principal before trying /.well-known/caldav (RFC 6764 §6 step 3):
 * / answers those methods as /dav/ does. GET / stays the web front page.
 */
const AT_SERVER_ROOT = new Set(['OPTIONS', 'PROPFIND']);

/** RFC 6764 §5: /.well-known/caldav redirects every method (301 keeps PROPFIND a PROPFIND). */
function wellKnown(ctx: Context): void {
  ctx.status = 301;
  ctx.set('Location', '/dav/');
  ctx.body = '';
}

/**
 * The unauthenticated public view is limited per client network, before any work; owned DAV
 * (authenticated) and feeds are not. Calcast has no trust-proxy setting: the socket's address
 * is the client's.
 */
async function publicRateCheck(deps: DavDeps, ctx: Context): Promise<void> {
  const perMinute = deps.config.publicDavRate;
  if (perMinute === 0 || !ctx.path.startsWith('/dav/public/')) return;
  const verdict = await deps.service.takeRequest(`dav-public:${clientNetwork(ctx.req.socket.remoteAddress ?? '')}`, perMinute);
  if (!verdict.ok) {
    throw new HttpError(429, 'RATE_LIMITED', `too many requests from this network; retry in ${verdict.retryAfter} s`,
      { headers: { 'Retry-After': String(verdict.retryAfter) } });
  }
}

export function davRoutes(deps: DavDeps & { recorder: SyncRecorder }): Middleware {
  const authenticate = basicAuthenticator(deps.store, () => deps.clock.now());
  return async (ctx, next) => {
    if (ctx.path === '/.well-known/caldav' || ctx.path === '/.well-known/caldav/') return wellKnown(ctx);
    const atRoot = ctx.path === '/' && AT_SERVER_ROOT.has(ctx.method);
    if (!atRoot && ctx.path !== '/dav' && !ctx.path.startsWith('/dav/')) return next();
    let memberHref: ((uri: string) => string) | null = null;
    try {
      const handler = METHODS[ctx.method];
      if (!handler && !RECOGNISED_UNSUPPORTED.has(ctx.method)) throw new HttpError(501, 'NOT_IMPLEMENTED', `${ctx.method} is not implemented`);
      await publicRateCheck(deps, ctx);
      const path = atRoot || ctx.path === '/dav' ? '/dav/' : ctx.path;
      const pub = await resolvePublic(deps, ctx, path);
      const user = pub ? null : await authenticate(ctx);
      const resource = pub ? pub.resource : await resolveOwned(deps.store, path, user!);
      if (!resource) throw new HttpError(404, 'NOT_FOUND', 'no such resource');
      if (user && (resource.kind === 'calendar' || resource.kind === 'object')) {
        memberHref = (uri) => hrefs.object(resource.calendar, user.username, uri);
      }
      const creates = CREATES.has(ctx.method);
      // An unmapped calendar URL (e.g. one just deleted) answers 404 to everything but the
      // creating methods, not 405: clients learn a collection is gone from a 404 (RFC 4918 §9.1).
      if (resource.kind === 'new-calendar' && !creates && ctx.method !== 'OPTIONS') {
        throw new HttpError(404, 'NOT_FOUND', 'no such calendar');
      }
      // Creating over an existing calendar reaches the handler: 403 resource-must-be-null (RFC 4791 §5.3.1.1).
      if (!allowedFor(resource).includes(ctx.method) && !(creates && resource.kind === 'calendar' && !pub)) {
        if (pub) throw pub.denied();
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed here`, { headers: { Allow: allowedFor(resource).join(', ') } });
      }
      await handler!({ ctx, deps, user, resource });
      if (pub) pub.recordRead();
    } catch (err) {
      davError(ctx, err, memberHref);
    }
  };
}

