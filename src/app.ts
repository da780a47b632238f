import Koa from 'koa';
import { apiMiddleware } from './api/router.js';
import type { Store } from './store/types.js';
import type { Clock } from './util/clock.js';

export interface AppDeps {
  store: Store;
  clock: Clock;
  baseUrl: string;
}

/** The Koa application with every surface mounted; main.ts (or a test) listens. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Unexpected errors are logged by each surface's formatter; Koa's default printer would
  // log them a second time.
  app.silent = true;
  app.use(apiMiddleware(deps));
  app.use(async (ctx) => {
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'Not found\n';
  });
  return app;
}
