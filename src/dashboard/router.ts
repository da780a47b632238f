import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { DomainError } from '../calendar/errors.js';
import { HttpError } from '../errors.js';
import { httpFromDomain, unexpectedError } from '../http/error-handler.js';
import { PageNotFound } from '../pages/lookup.js';
import { actionRoutes } from './actions.js';
import { sendAsset } from './assets.js';
import type { DashboardDeps } from './deps.js';
import { readForm } from './forms.js';
import { loginPage } from './login-page.js';
import { passwordRoutes } from './password.js';
import { clearCookie, COOKIE, cookieValue, csrfMatches, csrfToken, LOGIN_COOKIE, setCookie, type DashboardState } from './session.js';
import { refusalPage, sendDashboard } from './shell.js';
import { viewRoutes } from './views.js';

const DAY_S = 86_400;
/** The failure window of calendar/sessions.ts: when a locked-out browser may try again. */
const RETRY_AFTER_S = 15 * 60;
/** How long a sign-in form stays usable. */
const LOGIN_FORM_S = 60 * 60;

/**
 * The owner's dashboard under /dashboard: sign-in with a server-side session in an HttpOnly
 * cookie, the calendar list, one calendar's page, and forms that change things through the
 * calendar service, each carrying the session's CSRF token.
 */
export function dashboardRoutes(deps: DashboardDeps): Middleware {
  const { service, config, basePath } = deps;
  const home = `${basePath}/dashboard`;
  const secure = config.baseUrl.startsWith('https:');
  const cookie = { path: home, secure };
  const loginCookie = { path: `${home}/login`, secure };
  const router = new Router();

  const signedIn = async (ctx: Context): Promise<(DashboardState & { secret: string }) | null> => {
    const secret = cookieValue(ctx, COOKIE);
    const found = secret ? await service.sessionFor(secret) : null;
    return found && secret ? { ...found, secret, csrf: csrfToken(secret) } : null;
  };
  const redirect = (ctx: Context, to: string) => {
    ctx.status = 303;
    ctx.redirect(to);
  };

  /** GET pages: without a session the browser is sent to sign in. */
  const view = (handler: (ctx: Context, state: DashboardState) => Promise<void>) => async (ctx: Context) => {
    const state = await signedIn(ctx);
    if (!state) return redirect(ctx, `${home}/login`);
    await handler(ctx, state);
  };
  /** POSTs: a session and its CSRF token, or 403 before anything is read or written. */
  const action = (handler: (ctx: Context, state: DashboardState, form: URLSearchParams) => Promise<void>) => async (ctx: Context) => {
    const state = await signedIn(ctx);
    const form = await readForm(ctx);
    if (!state || !csrfMatches(state.secret, form.get('csrf'))) {
      sendDashboard(ctx, 403, refusalPage(basePath, 'Not allowed', state
        ? 'This form was out of date or did not come from the dashboard. Go back, reload the page and try again.'
        : 'Your session has ended. Sign in again.'));
      return;
    }
    await handler(ctx, state, form);
  };

  router.get('/dashboard/login', async (ctx) => {
    if (await signedIn(ctx)) return redirect(ctx, home);
    const secret = randomBytes(18).toString('base64url');
    setCookie(ctx, LOGIN_COOKIE, { ...loginCookie, secret, maxAgeSeconds: LOGIN_FORM_S });
    sendDashboard(ctx, 200, loginPage({ basePath, csrf: csrfToken(secret) }));
  });

  router.post('/dashboard/login', async (ctx) => {
    const form = await readForm(ctx);
    const formSecret = cookieValue(ctx, LOGIN_COOKIE);
    if (!formSecret || !csrfMatches(formSecret, form.get('csrf'))) {
      sendDashboard(ctx, 403, refusalPage(basePath, 'Not allowed', 'This sign-in form has expired or did not come from this site. Open the sign-in page again.'));
      return;
    }
    const username = (form.get('username') ?? '').trim();
    const result = await service.login(username, form.get('password') ?? '', ctx.ip, config.sessionDays);
    if (!result.ok) {
      if (result.reason === 'limited') ctx.set('Retry-After', String(RETRY_AFTER_S));
      const notice = result.reason === 'limited'
        ? 'Too many failed sign-ins. Wait 15 minutes, then try again.'
        : 'That user name and password do not match. Try again.';
      sendDashboard(ctx, result.reason === 'limited' ? 429 : 200, loginPage({ basePath, notice, username, csrf: csrfToken(formSecret) }));
      return;
    }
    clearCookie(ctx, LOGIN_COOKIE, loginCookie);
    setCookie(ctx, COOKIE, { ...cookie, secret: result.secret, maxAgeSeconds: config.sessionDays * DAY_S });
    redirect(ctx, home);
  });

  router.post('/dashboard/logout', action(async (ctx, { session }) => {
    await service.logout(session);
    clearCookie(ctx, COOKIE, cookie);
    redirect(ctx, `${home}/login`);
  }));

  viewRoutes(router, deps, view);
  actionRoutes(router, deps, action);
  passwordRoutes(router, deps, view, action);

  const routes = router.routes() as Middleware;
  const allowed = router.allowedMethods() as Middleware;
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== '/dashboard' && !ctx.path.startsWith('/dashboard/')) return next();
    try {
      if (sendAsset(ctx)) return;
      let unmatched = false;
      await routes(ctx, () => allowed(ctx, async () => { unmatched = true; }));
      if (unmatched) throw new PageNotFound();
      if (ctx.status === 405 || ctx.status === 501) sendDashboard(ctx, 405, refusalPage(basePath, 'Not possible here', 'This address does not take that method.'));
    } catch (err) {
      dashboardError(ctx, basePath, err);
    }
  };
}

/** The surface's one error formatter: a short HTML page with the status, never a stack trace. */
function dashboardError(ctx: Context, basePath: string, err: unknown): void {
  if (err instanceof PageNotFound) {
    sendDashboard(ctx, 404, refusalPage(basePath, 'Not found', 'There is no such calendar or subscriber among yours.'));
    return;
  }
  const e = err instanceof DomainError ? httpFromDomain(err) : err instanceof HttpError ? err : null;
  if (e) {
    for (const [k, v] of Object.entries(e.options.headers ?? {})) ctx.set(k, v);
    const field = e.options.field ? ` (field: ${e.options.field})` : '';
    sendDashboard(ctx, e.status, refusalPage(basePath, e.status === 404 ? 'Not found' : 'That did not work', `${e.message}${field}.`));
    return;
  }
  const failure = unexpectedError(ctx, err);
  for (const [k, v] of Object.entries(failure.options.headers ?? {})) ctx.set(k, v);
  sendDashboard(ctx, failure.status, refusalPage(basePath, 'Something went wrong', 'Please try again in a moment.'));
}
