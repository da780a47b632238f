import type { Middleware } from 'koa';

/** robots.txt must not block feeds: some calendar fetchers honour it (DESIGN.md §5.6). */
export const robots: Middleware = async (ctx, next) => {
  if (ctx.path !== '/robots.txt') return next();
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = 'User-agent: *\nAllow: /feeds/\nAllow: /c/\nDisallow: /api/\nDisallow: /dav/\n';
};
