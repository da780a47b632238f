import type { Sender } from '../mail/compose.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';

/** What the calendar service needs: the store it writes to, and who to tell after a write. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  baseUrl: string;
  /** Who invitations come from; null when no SMTP server is configured, so none are queued. */
  sender: Sender | null;
  /** Called after every write attempt: the outbox pump reads what committed. */
  notify: () => void;
  /** A new user gets a calendar titled "Calendar" (CALCAST_DEFAULT_CALENDAR); off when not given. */
  defaultCalendar?: boolean;
}
