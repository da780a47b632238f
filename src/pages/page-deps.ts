import type { CalendarService } from '../calendar/service.js';
import type { Config } from '../config.js';
import type { FeedService } from '../feeds/service.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';

/** What the page surface reads from; its one write (minting, counting) goes through the service. */
export interface PageDeps {
  store: Store;
  clock: Clock;
  config: Config;
  service: CalendarService;
  feeds: FeedService;
}
