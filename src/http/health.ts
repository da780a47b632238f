import type { Middleware } from 'koa';
import type { Store } from '../store/types.js';

/** Seconds a load balancer should wait before asking a not-ready instance again. */
const RETRY_AFTER = '5';

/**
 * Probes for load balancers and orchestrators: /healthz says the process answers (liveness: it
 * touches nothing, so a database outage does not get every instance restarted), /readyz that it
 * can reach its store (readiness: take it out of the upstream until it can).
 */
export function healthRoutes(store: Store): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/healthz' && ctx.path !== '/readyz') return next();
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    if (ctx.path === '/healthz') {
      ctx.body = 'ok\n';
      return;
    }
    try {
      await store.ping();
      ctx.body = 'ready\n';
    } catch {
      ctx.status = 503;
      ctx.set('Retry-After', RETRY_AFTER);
      ctx.body = 'store unreachable\n';
    }
  };
}
