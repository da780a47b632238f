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
import { docsRoutes } from './openapi/docs-page.js';
import { openApiDocument } from './openapi/document.js';
import { documented, type RouteBook } from './openapi/route.js';

const PREFIX = '/api/v1';

/**
 * The API's koa routers and the operations booked while mounting them: every /api/v1 route
 * is registered through `documented`, so the OpenAPI document lists it by construction.
 */
export function apiRouters(deps: ListDeps & ApiDeps): { routers: Router[]; book: RouteBook } {
  const book: RouteBook = [];
  const open = new Router({ prefix: PREFIX });
  const publicApi = documented(open, book, { prefix: PREFIX, secured: false });
  timezoneRoutes(publicApi, deps.clock);
  let document: string | undefined;
  publicApi.get('/openapi.json', {
    summary: 'This OpenAPI 3.1 document', tag: 'meta',
    responses: { 200: { description: 'The document, generated from the schemas the routes validate with.' } },
  }, (ctx) => {
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = (document ??= JSON.stringify(openApiDocument(book, deps.baseUrl)));
  });

  const authed = new Router({ prefix: PREFIX });
  authed.use(bearerAuth(deps.store, deps.service, deps.clock));
  const api = documented(authed, book, { prefix: PREFIX, secured: true });
  calendarRoutes(api, deps);
  overviewRoutes(api, deps.store, deps.clock);
  allEntryRoutes(api, deps);
  importRoutes(api, deps.store, deps.service);
  eventAddRoutes(api, deps.store, deps.service);
  eventMailRoutes(api, deps.store, deps.service);
  tokenRoutes(api, deps.store, deps.service);
  subscriberRoutes(api, deps);
  return { routers: [docsRoutes(new URL(deps.baseUrl).pathname.replace(/\/+$/, '')), open, authed], book };
}

/** The JSON API under /api/v1: public routes, then everything behind a bearer token. */
export function apiMiddleware(deps: ListDeps & ApiDeps): Middleware {
  const { routers } = apiRouters(deps);
  const errors = jsonErrors();
  const methods = {
    throw: true,
    methodNotAllowed: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'method not allowed on this resource'),
    notImplemented: () => new HttpError(405, 'METHOD_NOT_ALLOWED', 'method not implemented'),
  };
  const routes = routers.flatMap((r) => [r.routes(), r.allowedMethods(methods)]) as Middleware[];
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
