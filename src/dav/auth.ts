import { createHash } from 'node:crypto';
import basicAuth from 'basic-auth';
import type { Context } from 'koa';
import { HttpError } from '../errors.js';
import type { Store, User } from '../store/types.js';
import { DUMMY_PASSWORD_HASH, sameSecret, verifyPassword } from '../util/secrets.js';

/** How long a verified user name + password is trusted without running scrypt again. */
const TRUST_MS = 5 * 60_000;
const MAX_ENTRIES = 1000;

export const challenge = () =>
  new HttpError(401, 'UNAUTHORIZED', 'authentication required', {
    headers: { 'WWW-Authenticate': 'Basic realm="Calcast", charset="UTF-8"' },
  });

/**
 * Basic auth for CalDAV owners. Clients send the password on every request and scrypt
 * costs ~50 ms by design, so a verified pair is remembered briefly, keyed by a hash of
 * user and password (never the password itself) and compared in constant time. A password
 * change takes effect for new pairs at once; the old pair expires within TRUST_MS.
 */
export function basicAuthenticator(store: Store, now: () => number) {
  const verified = new Map<string, { digest: string; user: User; until: number }>();
  return async function authenticate(ctx: Context): Promise<User> {
    const credentials = basicAuth(ctx.req);
    if (!credentials) throw challenge();
    const digest = createHash('sha256').update(`${credentials.name}\0${credentials.pass}`).digest('base64url');
    const hit = verified.get(credentials.name);
    if (hit && hit.until > now() && sameSecret(hit.digest, digest)) return hit.user;
    const user = await store.getUserByName(credentials.name);
    // Without a user, verify against a dummy hash anyway so timing does not reveal user names.
    const ok = await verifyPassword(credentials.pass, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) throw challenge();
    if (verified.size >= MAX_ENTRIES) verified.clear();
    verified.set(credentials.name, { digest, user, until: now() + TRUST_MS });
    return user;
  };
}
