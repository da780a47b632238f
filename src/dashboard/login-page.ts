import { html } from '../pages/layout.js';
import { csrfField, dashboardPage } from './shell.js';

export interface LoginPageInput {
  basePath: string;
  /** The sign-in form's CSRF token (from its own cookie: there is no session yet). */
  csrf: string;
  /** What went wrong on the last try, shown above the form and announced to screen readers. */
  notice?: string;
  username?: string;
}

/** The sign-in form: the same user names and passwords as CalDAV. */
export function loginPage(p: LoginPageInput): string {
  return dashboardPage({
    basePath: p.basePath,
    title: 'Sign in',
    body: html`<section class="card hero" aria-labelledby="login-heading">
<h1 id="login-heading">Sign in</h1>
<p class="muted">Use the user name and password you use for CalDAV.</p>
${p.notice ? html`<p class="notice" role="alert">${p.notice}</p>` : ''}
<form method="post" action="${p.basePath}/dashboard/login">${csrfField(p.csrf)}
<div class="field"><label for="username">User name</label><input id="username" name="username" type="text" autocomplete="username" required value="${p.username ?? ''}" autocapitalize="none" spellcheck="false"></div>
<div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn" type="submit">Sign in</button>
</form>
</section>`,
  });
}
