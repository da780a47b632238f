import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { DashboardSession, User } from '../store/types.js';
import { sameSecret } from '../util/secrets.js';

export const COOKIE = 'calcast_session';
/**
 * A random value set by the sign-in page, from which its form's CSRF token is derived: without
 * it another site could sign a browser in to the attacker's account (login CSRF, OWASP).
 */
export const LOGIN_COOKIE = 'calcast_login';

/** The signed-in browser, as the dashboard's handlers see it. */
export interface DashboardState {
  user: User;
  session: DashboardSession;
  /** The CSRF token every state-changing form carries. */
  csrf: string;
}

/**
 * The CSRF token is derived from the session's own secret, so it is per session, needs no
 * storage, and a page on another origin can neither read it nor compute it (the secret lives
 * only in the HttpOnly cookie). SameSite=Lax alone would leave top-level form posts from
 * older browsers open (OWASP's CSRF cheat sheet: defence in depth).
 */
export const csrfToken = (secret: string) => createHash('sha256').update(`csrf\0${secret}`).digest('base64url');

export const csrfMatches = (secret: string, sent: string | null) => sent !== null && sameSecret(csrfToken(secret), sent);

/** A cookie's value, or null. */
export function cookieValue(ctx: Context, cookie: string): string | null {
  for (const part of ctx.get('cookie').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return value.join('=') || null;
  }
  return null;
}

/**
 * Set by hand rather than with ctx.cookies: behind an https proxy Node sees plain http, and
 * Koa refuses to send a Secure cookie over it. Secure follows CALCAST_BASE_URL instead.
 * Path limits the cookie to the dashboard, so feeds and the API never receive it.
 */
export function setCookie(ctx: Context, name: string, opts: { secret: string; path: string; secure: boolean; maxAgeSeconds: number }): void {
  ctx.append('Set-Cookie', [
    `${name}=${opts.secret}`, `Path=${opts.path}`, `Max-Age=${opts.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax',
    ...(opts.secure ? ['Secure'] : []),
  ].join('; '));
}

export function clearCookie(ctx: Context, name: string, opts: { path: string; secure: boolean }): void {
  setCookie(ctx, name, { secret: '', path: opts.path, secure: opts.secure, maxAgeSeconds: 0 });
}
