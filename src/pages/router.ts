import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { HttpError } from '../errors.js';
import { readBody } from '../http/body.js';
import { unexpectedError } from '../http/error-handler.js';
import type { PageDeps } from './page-deps.js';
import { sendPage } from './layout.js';
import { errorPage, notFoundPage } from './not-found-page.js';
import { findProvider } from './providers.js';
import { qrSvg } from './qr.js';
import { eventRoutes } from './event-routes.js';
import { PageNotFound, publishedCalendar } from './lookup.js';
import { nextEvents, subscribePage, yahooPage } from './subscribe-page.js';

// A form with one short field; anything bigger is not our form.
const MAX_FORM_BYTES = 4096;
// The page surface: calendar pages under /c, event pages under /e.
const PREFIXES = ['/c', '/e'];

/**
 * The page surface: GET /c/:key renders the subscribe page, POST /c/:key/subscribe mints a
 * personal subscriber for the chosen app and sends the browser on (a form post, so it works
 * without JavaScript); /e/ holds the event pages. Other /c/ and /e/ paths get the friendly
 * 404; all other paths go to `next`.
 */
export function pageRoutes(deps: PageDeps): Middleware {
  const { store, clock, config } = deps;
  // Links in the page carry the base URL's path, for deployments under a prefix.
  const basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, '');
  const router = new Router();

  router.get('/c/:key', async (ctx) => {
    const calendar = await publishedCalendar(store, ctx.params.key ?? '');
    const sharedUrl = `${config.baseUrl}/feeds/${calendar.feedKey}.ics`.replace(/^https?:/, 'webcal:');
    const [qr, events] = await Promise.all([
      qrSvg(sharedUrl, `QR code of the calendar link ${sharedUrl}`),
      nextEvents(store, calendar, Math.floor(clock.now() / 1000)),
    ]);
    const markup = subscribePage({
      calendar, sharedUrl, qr, events, subscribeAction: `${basePath}/c/${calendar.feedKey}/subscribe`,
    });
    sendPage(ctx, 200, markup);
    // The event list changes; the page is cheap to render, so browsers always ask again.
    ctx.set('Cache-Control', 'no-cache');
  });

  router.post('/c/:key/subscribe', async (ctx) => {
    const calendar = await publishedCalendar(store, ctx.params.key ?? '');
    const backHref = `${basePath}/c/${calendar.feedKey}`;
    const form = new URLSearchParams((await readBody(ctx, ['application/x-www-form-urlencoded'], MAX_FORM_BYTES)).toString('utf8'));
    const provider = findProvider(form.get('app') ?? '');
    if (!provider) {
      sendPage(ctx, 400, errorPage(400, 'Please choose one of the calendar apps on the calendar’s page.', backHref));
      return;
    }
    const userAgent = ctx.get('user-agent');
    // Country and city stay null: no geo lookup is configured.
    const minted = await deps.service.mintSubscriber(calendar, {
      client: provider.client(userAgent), userAgent: userAgent || null,
    });
    const link = provider.link({ feedUrl: minted.feedUrl, webcalUrl: minted.webcalUrl, title: calendar.title });
    // Every answer carries a freshly minted personal URL: never cache or replay it.
    ctx.set('Cache-Control', 'no-store');
    if (link === null) {
      sendPage(ctx, 200, yahooPage(calendar, minted.feedUrl, backHref));
      ctx.set('X-Robots-Tag', 'noindex');
      return;
    }
    // 303: the browser GETs the provider link, and Back does not re-post the form.
    ctx.status = 303;
    ctx.set('Location', link);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = '';
  });

  eventRoutes(router, deps, basePath);

  const routes = router.routes() as Middleware;
  const allowed = router.allowedMethods() as Middleware;
  return async (ctx: Context, next: Next) => {
    if (!PREFIXES.some((p) => ctx.path === p || ctx.path.startsWith(`${p}/`))) return next();
    try {
      let unmatched = false;
      await routes(ctx, () => allowed(ctx, async () => { unmatched = true; }));
      if (ctx.body != null) return;
      // allowedMethods set 405 or 501 with an Allow header: keep both, add a page.
      if (ctx.status === 405 || ctx.status === 501) sendPage(ctx, ctx.status, errorPage(ctx.status, 'This address only opens a page.'));
      else if (unmatched) throw new PageNotFound();
    } catch (err) {
      pageError(ctx, err);
    }
  };
}

/** The surface's one error formatter: HTML pages, never JSON or a stack trace. */
function pageError(ctx: Context, err: unknown): void {
  ctx.remove('Cache-Control');
  if (err instanceof PageNotFound) {
    sendPage(ctx, 404, notFoundPage());
    return;
  }
  const e = err instanceof HttpError ? err : unexpectedError(ctx, err);
  for (const [k, v] of Object.entries(e.options.headers ?? {})) ctx.set(k, v);
  sendPage(ctx, e.status, errorPage(e.status, e.status >= 500 ? 'Please try again in a moment.' : `${e.message}.`));
}
