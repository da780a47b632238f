import type Router from '@koa/router';
import type { Context } from 'koa';
import { html } from '../pages/layout.js';
import { verifyPassword } from '../util/secrets.js';
import type { DashboardDeps } from './deps.js';
import type { DashboardState } from './session.js';
import { csrfField, dashboardPage, sendDashboard } from './shell.js';

/** As the admin bootstrap requires (CALCAST_ADMIN_PASSWORD): at least 8 characters. */
const MIN_LENGTH = 8;
const MAX_LENGTH = 200;

function passwordPage(basePath: string, csrf: string, notice?: { ok: boolean; text: string }): string {
  return dashboardPage({
    basePath, title: 'Change password', csrf,
    body: html`<section class="card hero" aria-labelledby="pw-heading">
<h1 id="pw-heading">Change password</h1>
<p class="muted">The new password is also the one for CalDAV. Every other browser signed in as you is signed out.</p>
${notice ? html`<p class="${notice.ok ? 'ok' : 'notice'}" role="${notice.ok ? 'status' : 'alert'}">${notice.text}</p>` : ''}
<form method="post" action="${basePath}/dashboard/password">${csrfField(csrf)}
<div class="field"><label for="current">Current password</label><input id="current" name="current" type="password" autocomplete="current-password" required></div>
<div class="field"><label for="new">New password</label><input id="new" name="new" type="password" autocomplete="new-password" required minlength="${MIN_LENGTH}" maxlength="${MAX_LENGTH}"></div>
<button class="btn" type="submit">Change password</button></form></section>`,
  });
}

type View = (ctx: Context, state: DashboardState) => Promise<void>;
type Action = (ctx: Context, state: DashboardState, form: URLSearchParams) => Promise<void>;

/** GET/POST /dashboard/password: a new password ends the user's other sessions (a stolen cookie stops working). */
export function passwordRoutes(router: Router, deps: DashboardDeps, view: (v: View) => (ctx: Context) => Promise<void>, action: (a: Action) => (ctx: Context) => Promise<void>): void {
  const { service, basePath } = deps;
  router.get('/dashboard/password', view(async (ctx, { csrf }) => sendDashboard(ctx, 200, passwordPage(basePath, csrf))));
  router.post('/dashboard/password', action(async (ctx, { user, session, csrf }, form) => {
    const next = form.get('new') ?? '';
    const refuse = (text: string) => sendDashboard(ctx, 400, passwordPage(basePath, csrf, { ok: false, text }));
    if (!(await verifyPassword(form.get('current') ?? '', user.passwordHash))) return refuse('The current password is not right.');
    if (next.length < MIN_LENGTH || next.length > MAX_LENGTH) return refuse(`The new password must be ${MIN_LENGTH} to ${MAX_LENGTH} characters.`);
    await service.changePassword(user, session, next);
    sendDashboard(ctx, 200, passwordPage(basePath, csrf, { ok: true, text: 'Password changed. Other browsers are signed out.' }));
  }));
}
