import type { Config } from './config.js';
import { DomainError } from './calendar/errors.js';
import type { CalendarService } from './calendar/service.js';
import type { Store } from './store/types.js';
import { newApiToken, newPassword } from './util/secrets.js';

export interface AdminCredentials {
  username: string;
  /** Present only when this start generated it: it is shown once and never again. */
  password?: string;
  token?: string;
}

/**
 * On an empty database, creates the admin user with CALCAST_ADMIN_PASSWORD and
 * CALCAST_ADMIN_TOKEN, generating whichever is not set. Returns null when users exist, or
 * when another instance on the same database created the admin first.
 */
export async function bootstrapAdmin(store: Store, service: CalendarService, config: Config): Promise<AdminCredentials | null> {
  if ((await store.countUsers()) > 0) return null;
  const password = config.adminPassword ?? newPassword();
  const token = config.adminToken ?? newApiToken();
  let user;
  try {
    user = await service.createUser(config.adminUser, password);
  } catch (err) {
    // Instances started together on one empty database all count no user: the first one's
    // admin stands, and the others start with it rather than crash.
    if (err instanceof DomainError && err.kind === 'conflict') return null;
    throw err;
  }
  await service.createToken(user, 'admin (first start)', token);
  return {
    username: user.username,
    ...(config.adminPassword ? {} : { password }),
    ...(config.adminToken ? {} : { token }),
  };
}
