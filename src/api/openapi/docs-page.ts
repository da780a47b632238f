import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';

/**
 * The browsable reference at /api/docs: Swagger UI from the swagger-ui-dist package, served by
 * this server (no CDN), reading /api/v1/openapi.json. Asset URLs carry the package version, so
 * they are cached for a year.
 */
const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const version = (JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as { version: string }).version;

// validatorUrl: null keeps Swagger UI from sending the document to validator.swagger.io.
const INIT = `window.ui = SwaggerUIBundle({
  url: document.body.dataset.spec, dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout',
});
`;
const initName = `docs-init.${createHash('sha256').update(INIT).digest('base64url').slice(0, 12)}.js`;

interface Asset { type: string; body: () => Buffer | string }
const fromDist = (file: string) => {
  let cached: Buffer | undefined;
  return () => (cached ??= readFileSync(join(dist, file)));
};
const ASSETS: Record<string, Asset> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', body: fromDist('swagger-ui.css') },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', body: fromDist('swagger-ui-bundle.js') },
  'favicon-32x32.png': { type: 'image/png', body: fromDist('favicon-32x32.png') },
  [initName]: { type: 'text/javascript; charset=utf-8', body: () => INIT },
};

function page(assets: string, spec: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Calcast API reference</title>
<link rel="icon" type="image/png" href="${assets}/favicon-32x32.png">
<link rel="stylesheet" href="${assets}/swagger-ui.css">
</head>
<body data-spec="${spec}">
<div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="${assets}/${initName}"></script>
</body>
</html>
`;
}

/** GET /api/docs and its assets; `basePath` is the deployment's path under CALCAST_BASE_URL. */
export function docsRoutes(basePath: string): Router {
  const router = new Router({ prefix: '/api/docs' });
  const assets = `/api/docs/assets/${version}`;
  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    // Swagger UI sets inline styles and shows images from data: URLs; scripts come from here only.
    ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    ctx.body = page(basePath + assets, `${basePath}/api/v1/openapi.json`);
  });
  router.get(`/assets/${version}/:file`, (ctx, next) => {
    const asset = ASSETS[ctx.params.file!];
    if (!asset) return next();
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = asset.body();
  });
  return router;
}
