import type Router from '@koa/router';
import { z } from 'zod';
import type { CalendarService } from '../calendar/service.js';
import type { AuthState } from '../http/auth.js';
import { readJson } from '../http/body.js';
import type { ApiToken, Store } from '../store/types.js';
import { parseInput } from './validate.js';

const tokenInput = z.strictObject({ name: z.string().trim().min(1).max(100) });

const present = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  created_at: new Date(t.createdAt).toISOString(),
  last_used_at: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(),
});

/** The caller's own API tokens. The secret is shown once, on creation; only its hash is kept. */
export function tokenRoutes(router: Router, store: Store, service: CalendarService): void {
  router.get('/tokens', async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    ctx.body = { data: (await store.listTokens(user.id)).map(present), next_cursor: null };
  });

  router.post('/tokens', async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    const { name } = parseInput(tokenInput, await readJson(ctx));
    const { token, secret } = await service.createToken(user, name);
    ctx.status = 201;
    ctx.body = { ...present(token), token: secret };
  });

  router.delete('/tokens/:tokenId', async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    await service.revokeToken(user, ctx.params.tokenId!);
    ctx.status = 204;
  });
}
