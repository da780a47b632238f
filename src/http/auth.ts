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

/** Bearer-token auth for the JSON API; the user lands in ctx.state.auth. */
export function bearerAuth(store: Store, service: CalendarService, clock: Clock) {
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('an API token is required: Authorization: Bearer <token>');
    const hash = hashToken(match[1]!);
    const found = await store.findToken(hash);
    // The lookup is by hash; the constant-time compare guards the final equality anyway.
    if (!found || !sameSecret(found.tokenHash, hash)) throw unauthorized('the API token is not valid');
    ctx.state.auth = { user: found.user, tokenId: found.token.id } satisfies AuthState;
    // last_used_at is for humans ("used a minute ago"): a write per request would cost more
    // than the request itself, so it is refreshed at most once a minute.
    const now = clock.now();
    if (found.token.lastUsedAt === null || now - found.token.lastUsedAt > 60_000) await service.touchToken(found.token.id, now);
    await next();
  };
}
