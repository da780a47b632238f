import { accountCommands } from './accounts.js';
import { calendarCommands } from './calendars.js';
import { entryCommands } from './entries.js';
import { eventAddCommands } from './event-adds.js';
import { inboxCommands } from './inbox-commands.js';
import { mailCommands } from './mail-commands.js';
import { objectCommands } from './objects.js';
import { rateLimitCommands } from './rate-limits.js';
import { createOutboxPump } from './outbox-pump.js';
import type { ServiceDeps } from './service-deps.js';
import type { Config } from '../config.js';
import { startMailWorker } from '../mail/worker.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { sessionCommands } from './sessions.js';
import { subscriberCommands } from './subscribers.js';

/**
 * The calendar service: every write any surface makes (JSON API, CalDAV, pages, CLI) is one
 * of these commands. Each checks its rules once, writes through the store in one transaction
 * (which also appends the outbox event), and refuses with a DomainError.
 */
export function createCalendarService(deps: ServiceDeps) {
  return {
    ...calendarCommands(deps),
    ...objectCommands(deps),
    ...entryCommands(deps),
    ...subscriberCommands(deps),
    ...accountCommands(deps),
    ...eventAddCommands(deps),
    ...mailCommands(deps),
    ...inboxCommands(deps),
    ...sessionCommands(deps),
    ...rateLimitCommands(deps),
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;

/**
 * The service with its outbox pump and, when SMTP is configured, its mail worker, as a process
 * runs them: each write kicks both, so this process's caches follow its own writes at once,
 * and other processes' within a second. The owner stops them on shutdown.
 */
export function startCalendarService(store: Store, clock: Clock, config: Pick<Config, 'baseUrl' | 'mail' | 'defaultCalendar'>) {
  const outbox = createOutboxPump(store);
  const mail = config.mail ? startMailWorker(store, clock, config.mail) : null;
  const sender = config.mail ? { from: config.mail.from, host: new URL(config.baseUrl).hostname } : null;
  const service = createCalendarService({
    store, clock, baseUrl: config.baseUrl, sender, defaultCalendar: config.defaultCalendar,
    notify: () => {
      void outbox.kick();
      void mail?.kick();
    },
  });
  return {
    service, outbox,
    async stop(): Promise<void> {
      await mail?.stop();
      await outbox.stop();
    },
  };
}
