import type { Context, Next } from 'koa';
import { HttpError } from '../errors.js';
import type { CalendarService } from '../calendar/service.js';
import type { Store, User } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { hashToken, sameSecret } from '../util/secrets.js';

export interface AuthState {
  user: User;
  tokenId: string;
}

const unauthorized = (message: string) =>
  new HttpError(401, 'UNAUTHORIZED', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="Calcast"' },
  });

/**
 * The user an API token belongs to, or null. Every surface that takes a token (Bearer, the
 * dialects' `token` parameter or `x-api-key`) checks it here.
 */
export async function authenticateToken(store: Store, service: CalendarService, clock: Clock, secret: string): Promise<AuthState | null> {
  const hash = hashToken(secret);
  const found = await store.findToken(hash);
  // The lookup is by hash; the constant-time compare guards the final equality anyway.
  if (!found || !sameSecret(found.tokenHash, hash)) return null;
  // last_used_at is for humans ("used a minute ago"): a write per request would cost more
  // than the request itself, so it is refreshed at most once a minute.
  const now = clock.now();
  if (found.token.lastUsedAt === null || now - found.token.lastUsedAt > 60_000) await service.touchToken(found.token.id, now);
  return { user: found.user, tokenId: found.token.id };
}

/** Bearer-token auth for the JSON API; the user lands in ctx.state.auth. */
export function bearerAuth(store: Store, service: CalendarService, clock: Clock) {
  return async (ctx: Context, next: Next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    if (!match) throw unauthorized('an API token is required: Authorization: Bearer <token>');
    const auth = await authenticateToken(store, service, clock, match[1]!);
    if (!auth) throw unauthorized('the API token is not valid');
    ctx.state.auth = auth;
    await next();
  };
}
