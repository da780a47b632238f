import { z } from 'zod';
import { StoreConflict, type ApiToken, type User } from '../store/types.js';
import { hashPassword, hashToken, newApiToken } from '../util/secrets.js';
import { calendarCommands, type CalendarInput } from './calendars.js';
import { conflict, invalid, notFound } from './errors.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * Thunderbird and DAVx5 expect a calendar on first connect, as Nextcloud and sabre provide
 * one; the same fields a bare MKCALENDAR gets.
 */
function defaultCalendar(ownerId: number): CalendarInput {
  return {
    ownerId, slug: 'calendar', title: 'Calendar', description: null, timezone: 'UTC', color: null, weekdayBegin: null,
    customData: null, published: true, components: ['VEVENT', 'VTODO', 'VJOURNAL'], settings: {},
  };
}

/** The rule every other e-mail field of Calcast follows (api/subscribers.ts, entries/schemas.ts). */
const EMAIL = z.email().max(254);

/** Users and their API tokens. Secrets are hashed here; the store keeps only the hashes. */
export function accountCommands(deps: ServiceDeps) {
  const { store } = deps;
  const { createCalendar } = calendarCommands(deps);
  return {
    async createUser(username: string, password: string): Promise<User> {
      let user: User;
      try {
        user = await store.createUser(username, await hashPassword(password));
      } catch (err) {
        if (err instanceof StoreConflict) throw conflict(`a user named "${username}" already exists`, { field: 'username' });
        throw err;
      }
      if (deps.defaultCalendar) {
        await createCalendar(defaultCalendar(user.id));
      }
      return user;
    },
    async setPassword(user: User, password: string): Promise<void> {
      if (!(await store.setPassword(user.id, await hashPassword(password)))) throw notFound('user');
    },
    /**
     * Sets the user's e-mail, their calendar user address (RFC 6638 §2.4.1): scheduling
     * objects they organize send invitations, and other users' invitations to it reach their
     * inbox. Null clears it.
     */
    async setEmail(user: User, email: string | null): Promise<User> {
      const address = email?.trim() ?? null;
      if (address !== null && !EMAIL.safeParse(address).success) throw invalid(`"${address}" is not an e-mail address`, { field: 'email' });
      try {
        const updated = await store.setUserEmail(user.id, address);
        if (!updated) throw notFound('user');
        return updated;
      } catch (err) {
        if (err instanceof StoreConflict) throw conflict(`another user has the address ${address}`, { field: 'email' });
        throw err;
      }
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
