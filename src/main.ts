import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { bootstrapAdmin } from './bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startCalendarService } from './calendar/service.js';
import { StartupError, listen, openStore, storeLabel } from './startup.js';
import type { Store } from './store/types.js';
import { createSyncRecorder } from './subscribers/recorder.js';
import { startPruning } from './subscribers/retention.js';
import { systemClock } from './util/clock.js';

/** The README's promise: a start-up that cannot succeed stops with one line naming the cause. */
function fail(err: unknown): never {
  if (!(err instanceof ConfigError || err instanceof StartupError)) throw err;
  console.error(`calcast: ${err.message}`);
  process.exit(1);
}

async function open(): Promise<{ config: Config; store: Store }> {
  try {
    const config = loadConfig();
    return { config, store: await openStore(config, systemClock) };
  } catch (err) {
    return fail(err);
  }
}

const { config, store } = await open();
const running = startCalendarService(store, systemClock, config);
const { service, outbox } = running;
const recorder = createSyncRecorder(store);
const app = createApp({ store, clock: systemClock, config, recorder, service, outbox });
// Listen before creating the admin: its generated password is printed once, so it must not be
// created by a start that then stops because the port is taken.
const server = await listen(app, config).catch(fail);
const pruning = startPruning(store, systemClock, config);
const admin = await bootstrapAdmin(store, service, config);
const { port } = server.address() as AddressInfo;
const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
console.log(`Calcast is listening on ${url} (database: ${storeLabel(config)})`);
if (admin) {
  console.log(`Created the admin user "${admin.username}".`);
  console.log(`  password:  ${admin.password ?? '(from CALCAST_ADMIN_PASSWORD)'}`);
  console.log(`  API token: ${admin.token ?? '(from CALCAST_ADMIN_TOKEN)'}`);
  if (admin.password || admin.token) console.log('  These are shown once; keep them somewhere safe.');
} else {
  console.log('Log in with your existing user; `npm run calcast -- users passwd <name>` resets a password.');
}
console.log(`Try: curl -H "Authorization: Bearer <token>" ${url}/api/v1/calendars`);

/** SIGTERM: stop accepting, let in-flight requests finish, write the sync log, close the database. */
function shutdown(signal: string): void {
  console.log(`calcast: ${signal} received, finishing in-flight requests`);
  pruning.stop();
  server.close(() => {
    void recorder.close().then(() => running.stop()).then(() => store.close()).then(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error('calcast: requests still running after 10 s; closing anyway');
    server.closeAllConnections();
  }, 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
