import { StoreConflict, type ApiToken, type User } from '../store/types.js';
import { hashPassword, hashToken, newApiToken } from '../util/secrets.js';
import { conflict, notFound } from './errors.js';
import type { ServiceDeps } from './service-deps.js';

/** Users and their API tokens. Secrets are hashed here; the store keeps only the hashes. */
export function accountCommands({ store }: ServiceDeps) {
  return {
    async createUser(username: string, password: string): Promise<User> {
      try {
        return await store.createUser(username, await hashPassword(password));
      } catch (err) {
        if (err instanceof StoreConflict) throw conflict(`a user named "${username}" already exists`, { field: 'username' });
        throw err;
      }
    },
    async setPassword(user: User, password: string): Promise<void> {
      if (!(await store.setPassword(user.id, await hashPassword(password)))) throw notFound('user');
    },
    /** A new token; its secret (`secret` when given, else a fresh one) is returned once. */
    async createToken(user: User, name: string, secret = newApiToken()): Promise<{ token: ApiToken; secret: string }> {
      return { token: await store.createToken(user.id, name, hashToken(secret)), secret };
    },
    async revokeToken(user: User, tokenId: string): Promise<void> {
      if (!(await store.revokeToken(user.id, tokenId))) throw notFound('token');
    },
    touchToken: (tokenId: string, at: number) => store.touchToken(tokenId, at),
  };
}
