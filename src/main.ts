import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { bootstrapAdmin } from './bootstrap.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startCalendarService } from './calendar/service.js';
import { createSqliteStore } from './store/sqlite/index.js';
import { createSyncRecorder } from './subscribers/recorder.js';
import { startPruning } from './subscribers/retention.js';
import { systemClock } from './util/clock.js';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`calcast: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const config = readConfig();
const store = createSqliteStore(config.databaseFile, systemClock);
const { service, outbox } = startCalendarService(store, systemClock, config.baseUrl);
const admin = await bootstrapAdmin(store, service, config);
const recorder = createSyncRecorder(store);
const pruning = startPruning(store, systemClock, config);
const app = createApp({ store, clock: systemClock, config, recorder, service, outbox });
const server = app.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  const url = config.baseUrl.replace(`:${config.port}`, `:${port}`);
  console.log(`Calcast is listening on ${url} (database: ${config.databaseFile})`);
  if (admin) {
    console.log(`Created the admin user "${admin.username}".`);
    console.log(`  password:  ${admin.password ?? '(from CALCAST_ADMIN_PASSWORD)'}`);
    console.log(`  API token: ${admin.token ?? '(from CALCAST_ADMIN_TOKEN)'}`);
    if (admin.password || admin.token) console.log('  These are shown once; keep them somewhere safe.');
  } else {
    console.log('Log in with your existing user; `npm run calcast -- users passwd <name>` resets a password.');
  }
  console.log(`Try: curl -H "Authorization: Bearer <token>" ${url}/api/v1/calendars`);
});

/** SIGTERM: stop accepting, let in-flight requests finish, write the sync log, close the database. */
function shutdown(signal: string): void {
  console.log(`calcast: ${signal} received, finishing in-flight requests`);
  pruning.stop();
  server.close(() => {
    void recorder.close().then(() => outbox.stop()).then(() => store.close()).then(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error('calcast: requests still running after 10 s; closing anyway');
    server.closeAllConnections();
  }, 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
