import type { Config } from './config.js';
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
 * CALCAST_ADMIN_TOKEN, generating whichever is not set. Returns null when users exist.
 */
export async function bootstrapAdmin(store: Store, service: CalendarService, config: Config): Promise<AdminCredentials | null> {
  if ((await store.countUsers()) > 0) return null;
  const password = config.adminPassword ?? newPassword();
  const token = config.adminToken ?? newApiToken();
  const user = await service.createUser(config.adminUser, password);
  await service.createToken(user, 'admin (first start)', token);
  return {
    username: user.username,
    ...(config.adminPassword ? {} : { password }),
    ...(config.adminToken ? {} : { token }),
  };
}
