import Router from '@koa/router';
import type { Middleware } from 'koa';
import { HttpError, notFound } from '../errors.js';
import { bearerAuth } from '../http/auth.js';
import { jsonErrors } from '../http/error-handler.js';
import { calendarRoutes, type ApiDeps } from './calendars.js';
import { subscriberRoutes } from './subscribers.js';
import { allEntryRoutes, type ListDeps } from './entries.js';
import { importRoutes } from './import.js';
import { eventAddRoutes } from './event-adds.js';
import { eventMailRoutes } from './event-mail.js';
import { overviewRoutes } from './overview.js';
import { timezoneRoutes } from './timezones.js';
import { tokenRoutes } from './tokens.js';

/** The JSON API under /api/v1: public routes, then everything behind a bearer token. */
export function apiMiddleware(deps: ListDeps & ApiDeps): Middleware {
  const open = new Router({ prefix: '/api/v1' });
  timezoneRoutes(open, deps.clock);

  const authed = new Router({ prefix: '/api/v1' });
  authed.use(bearerAuth(deps.store, deps.service, deps.clock));
  calendarRoutes(authed, deps);
  overviewRoutes(authed, deps.store, deps.clock);
  allEntryRoutes(authed, deps);
  importRoutes(authed, deps.store, deps.service);
  eventAddRoutes(authed, deps.store, deps.service);
  eventMailRoutes(authed, deps.store, deps.service);
  tokenRoutes(authed, deps.store, deps.service);
  subscriberRoutes(authed, deps);

  const errors = jsonErrors();
  const methods = {
    throw: true,
    methodNotAllowed: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'method not allowed on this resource'),
    notImplemented: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'method not implemented'),
  };
  const routes: Middleware[] = [open.routes(), open.allowedMethods(methods), authed.routes(), authed.allowedMethods(methods)] as Middleware[];
  return (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    return errors(ctx, async () => {
      for (const route of routes) {
        let passed = false;
        await route(ctx, async () => { passed = true; });
        if (!passed) return;
      }
      throw notFound(`${ctx.method} ${ctx.path}`);
    });
  };
}
