import type { IncomingMessage, ServerResponse } from 'node:http';
import Koa from 'koa';
import { apiMiddleware } from './api/router.js';
import { davRoutes } from './dav/router.js';
import { healthRoutes } from './http/health.js';
import type { Config } from './config.js';
import { createFeedCache } from './feeds/cache.js';
import { createFeedHandler } from './feeds/router.js';
import { robots } from './feeds/robots.js';
import { createFeedService } from './feeds/service.js';
import { createInstanceIndex } from './ical/instance-index.js';
import { pageRoutes } from './pages/router.js';
import { dashboardRoutes } from './dashboard/router.js';
import { createCalendarRoutes } from './compat/create-calendar/router.js';
import { convierRoutes } from './compat/convier/router.js';
import { calendarxRoutes } from './compat/calendarx/router.js';
import { addEventRoutes } from './compat/addevent/router.js';
import type { CalendarService } from './calendar/service.js';
import type { OutboxPump } from './calendar/outbox-pump.js';
import type { Store } from './store/types.js';
import type { SyncRecorder } from './subscribers/recorder.js';
import type { Clock } from './util/clock.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: Config;
  /** The sync log's write-behind buffer; its owner flushes it on shutdown. */
  recorder: SyncRecorder;
  /** Every write goes through the service; its outbox tells this process's caches. */
  service: CalendarService;
  outbox: OutboxPump;
}

/** The Koa application with every surface mounted; main.ts (or a test) listens. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Unexpected errors are logged by each surface's formatter; Koa's default printer would
  // log them a second time.
  app.silent = true;
  const cache = createFeedCache(deps.config.feedCacheBytes);
  const feeds = createFeedService(deps.store, cache, deps.clock);
  // Expanded series, shared by the API's lists and CalDAV's time-range queries.
  const instances = createInstanceIndex(() => deps.clock.now());
  // Both caches key on versions (sync token, ETag), so a write never serves stale data; the
  // outbox frees what a write made unreachable, here and on every other instance.
  deps.outbox.subscribe((e) => {
    feeds.forget(e.calendarId);
    if (e.oldEtag && e.oldEtag !== e.newEtag) instances.forget(e.oldEtag);
  });
  // The feed is the hot path: /feeds/* is answered by a plain node:http handler before Koa
  // builds a context or runs a middleware (feeds/router.ts). Every server of this app
  // (main.ts's listen, the tests' app.listen) takes its handler from app.callback().
  const feedHandler = createFeedHandler({ store: deps.store, config: deps.config, feeds, recorder: deps.recorder, now: () => deps.clock.now() });
  const koaCallback = app.callback.bind(app);
  app.callback = () => {
    const koa = koaCallback();
    // Koa's type admits HTTP/2 requests; this app is only served by node:http (startup.ts).
    return (req, res) => (feedHandler(req as IncomingMessage, res as ServerResponse) ? Promise.resolve() : koa(req, res));
  };
  app.use(healthRoutes(deps.store));
  app.use(davRoutes({ ...deps, instances }));
  app.use(robots);
  app.use(apiMiddleware({ ...deps, baseUrl: deps.config.baseUrl, feeds, instances }));
  app.use(createCalendarRoutes(deps));
  app.use(convierRoutes(deps));
  app.use(calendarxRoutes({ ...deps, instances }));
  app.use(addEventRoutes({ ...deps, baseUrl: deps.config.baseUrl, instances }));
  app.use(pageRoutes({ ...deps, feeds }));
  app.use(dashboardRoutes({ ...deps, basePath: new URL(deps.config.baseUrl).pathname.replace(/\/+$/, '') }));
  app.use(async (ctx) => {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not found\n';
  });
  return app;
}
