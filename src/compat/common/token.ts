import type { Context } from 'koa';
import type { CalendarService } from '../../calendar/service.js';
import { HttpError } from '../../errors.js';
import { authenticateToken, type AuthState } from '../../http/auth.js';
import type { Store } from '../../store/types.js';
import type { Clock } from '../../util/clock.js';
import type { RawParams } from './params.js';

export interface TokenDeps {
  store: Store;
  service: CalendarService;
  clock: Clock;
}

const refused = (message: string) =>
  new HttpError(401, 'UNAUTHORIZED', message, { field: 'token', headers: { 'WWW-Authenticate': 'Bearer realm="Calcast"' } });

/**
 * The caller's account: a Calcast API token, given as the products document it (`token=` in the
 * query string or form) or as an `Authorization: Bearer` header. A header that is present wins.
 */
export async function dialectAuth(deps: TokenDeps, ctx: Context, params: RawParams): Promise<AuthState> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
  const secret = bearer?.[1] ?? params.token ?? '';
  if (secret === '') throw refused('token is required: add token=YOUR_TOKEN or send Authorization: Bearer YOUR_TOKEN');
  const auth = await authenticateToken(deps.store, deps.service, deps.clock, secret);
  if (!auth) throw refused('the token is not a valid API token');
  return auth;
}
