import type { CalendarService } from '../calendar/service.js';
import type { Config } from '../config.js';
import type { Calendar, Store, User } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { PageNotFound } from '../pages/lookup.js';

/** What the dashboard reads from; every change goes through the service. */
export interface DashboardDeps {
  store: Store;
  clock: Clock;
  config: Config;
  service: CalendarService;
  /** CALCAST_BASE_URL's path, for deployments under a prefix. */
  basePath: string;
}

/** The user's own calendar; another user's is the same "not found" as none. */
export async function ownedCalendar(store: Store, user: User, id: string): Promise<Calendar> {
  const calendar = await store.getCalendar(id);
  if (!calendar || calendar.ownerId !== user.id) throw new PageNotFound();
  return calendar;
}
