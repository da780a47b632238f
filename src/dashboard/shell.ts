import type { Context } from 'koa';
import { html, page, sendPage, type Html } from '../pages/layout.js';
import { assetLinks } from './assets.js';

// Everything comes from this origin and nothing inline runs: the stylesheet and script are
// files (assets.ts), the charts are inline SVG styled by that stylesheet. form-action pins every
// form to this origin (the dashboard, unlike the subscribe page, never posts to a provider).
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface ShellOptions {
  basePath: string;
  title: string;
  body: Html;
  /** The signed-in user's CSRF token: present, the bar shows the calendars link and Log out. */
  csrf?: string;
}

/** A hidden CSRF field for a form that changes something. */
export const csrfField = (token: string) => html`<input type="hidden" name="csrf" value="${token}">`;

export function dashboardPage(o: ShellOptions): string {
  const home = `${o.basePath}/dashboard`;
  const header = html`<header class="bar"><nav aria-label="Dashboard">
<a href="${home}">Calcast dashboard</a>
${o.csrf ? html`<a class="push" href="${home}/password">Password</a><form method="post" action="${home}/logout">${csrfField(o.csrf)}<button type="submit">Log out</button></form>` : ''}
</nav></header>`;
  return page({ title: `${o.title} · Calcast`, robots: 'noindex', body: o.body, header, assets: assetLinks(o.basePath) });
}

/** Sends a dashboard page: never cached (it shows private figures), never framed. */
export function sendDashboard(ctx: Context, status: number, markup: string): void {
  sendPage(ctx, status, markup, CSP);
  ctx.set('Cache-Control', 'no-store');
}

/** A short page for a refusal (403, 404, 400): a heading, one sentence, a way back. */
export function refusalPage(basePath: string, heading: string, message: string, csrf?: string): string {
  return dashboardPage({
    basePath, title: heading, ...(csrf ? { csrf } : {}),
    body: html`<section class="card hero"><h1>${heading}</h1><p>${message}</p>
<p><a href="${basePath}/dashboard">Back to your calendars</a></p></section>`,
  });
}
