import { z } from 'zod';
import type { CalendarService } from '../calendar/service.js';
import type { AuthState } from '../http/auth.js';
import { readJson } from '../http/body.js';
import type { ApiToken, Store } from '../store/types.js';
import { parseInput } from './validate.js';
import type { ApiRouter } from './openapi/route.js';
import { newTokenSchema, tokenSchema } from './openapi/schemas.js';
import { pageOf } from './paging.js';

const tokenInput = z.strictObject({ name: z.string().trim().min(1).max(100) });

const present = (t: ApiToken) => ({
  id: t.id,
  name: t.name,
  created_at: new Date(t.createdAt).toISOString(),
  last_used_at: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(),
});

/** The caller's own API tokens. The secret is shown once, on creation; only its hash is kept. */
export function tokenRoutes(router: ApiRouter, store: Store, service: CalendarService): void {
  router.get('/tokens', {
    summary: 'List your API tokens',
    responses: { 200: { description: 'All of them, on one page.', schema: pageOf(tokenSchema) } },
  }, async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    ctx.body = { data: (await store.listTokens(user.id)).map(present), next_cursor: null };
  });

  router.post('/tokens', {
    summary: 'Create an API token', body: tokenInput,
    responses: { 201: { description: 'The token, with its secret shown this once.', schema: newTokenSchema } },
  }, async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    const { name } = parseInput(tokenInput, await readJson(ctx));
    const { token, secret } = await service.createToken(user, name);
    ctx.status = 201;
    ctx.body = { ...present(token), token: secret };
  });

  router.delete('/tokens/:tokenId', {
    summary: 'Revoke an API token',
    responses: { 204: { description: 'Revoked; it no longer authenticates.' } },
  }, async (ctx) => {
    const { user } = ctx.state.auth as AuthState;
    await service.revokeToken(user, ctx.params.tokenId!);
    ctx.status = 204;
  });
}
