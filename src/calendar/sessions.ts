import { randomBytes } from 'node:crypto';
import type { DashboardSession, User } from '../store/types.js';
import { DUMMY_PASSWORD_HASH, hashPassword, hashToken, sameSecret, verifyPassword } from '../util/secrets.js';
import type { ServiceDeps } from './service-deps.js';

const DAY_MS = 86_400_000;
/** Failed logins are counted in windows this long (OWASP's authentication cheat sheet suggests minutes, not hours). */
const WINDOW_MS = 15 * 60_000;
/** A user name is guessed against slowly; an address may hold several people behind one NAT. */
const MAX_PER_USER = 5;
const MAX_PER_IP = 20;

export type LoginResult =
  | { ok: true; user: User; session: DashboardSession; secret: string }
  | { ok: false; reason: 'wrong' | 'limited' };

/** Dashboard logins: password check, failed-login limits and server-side sessions. */
export function sessionCommands({ store, clock }: ServiceDeps) {
  const windowStart = () => clock.now() - WINDOW_MS;
  const keys = (username: string, ip: string) => [`user:${username}`, `ip:${ip}`] as const;

  async function newSession(user: User, days: number) {
    const secret = randomBytes(32).toString('base64url');
    const session = await store.createSession(user.id, hashToken(secret), clock.now() + days * DAY_MS);
    return { session, secret };
  }

  return {
    async login(username: string, password: string, ip: string, days: number): Promise<LoginResult> {
      const [userKey, ipKey] = keys(username, ip);
      const [byUser, byIp] = await Promise.all([store.loginFailures(userKey, windowStart()), store.loginFailures(ipKey, windowStart())]);
      // Refused before scrypt runs, even with the right password, so guessing gains nothing.
      if (byUser >= MAX_PER_USER || byIp >= MAX_PER_IP) return { ok: false, reason: 'limited' };
      const user = await store.getUserByName(username);
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
      if (!user || !ok) {
        await Promise.all([store.recordLoginFailure(userKey, windowStart()), store.recordLoginFailure(ipKey, windowStart())]);
        return { ok: false, reason: 'wrong' };
      }
      await store.clearLoginFailures(userKey);
      return { ok: true, user, ...(await newSession(user, days)) };
    },
    /** The session behind a cookie's secret, or null when unknown or expired. */
    async sessionFor(secret: string): Promise<{ session: DashboardSession; user: User } | null> {
      const hash = hashToken(secret);
      const found = await store.findSession(hash);
      if (!found || !sameSecret(found.tokenHash, hash)) return null;
      return { session: found.session, user: found.user };
    },
    logout: (session: DashboardSession) => store.deleteSession(session.id),
    /** A new password ends every other session of the user: a stolen cookie stops working. */
    async changePassword(user: User, current: DashboardSession, password: string): Promise<void> {
      await store.setPassword(user.id, await hashPassword(password));
      await store.deleteOtherSessions(user.id, current.id);
    },
  };
}
