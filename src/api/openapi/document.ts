import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { errorSchema } from './errors.js';
import type { RouteBook } from './route.js';

const DESCRIPTION = `Calcast's JSON API: calendars, their events, to-dos and journals, subscribers and sync statistics.

**Authentication.** Every route but \`/timezones\` and this document takes an API token: \`Authorization: Bearer <token>\`.

**Errors.** Every error answers \`{ "error": { "code", "message", "field"? } }\` with a stable \`code\` (the \`Error\` schema lists them all);
each operation lists the codes it can answer, per status.

**Paging.** Lists answer \`{ "data": [...], "next_cursor" }\`. Pass \`next_cursor\` as \`page_cursor\` for the next page, with the other
parameters unchanged; \`next_cursor\` is null on the last page. \`page_limit\` takes 1-500 (default 50). Cursors are opaque keyset
positions: a page does not shift when items are added before it.

**Writes.** PATCH bodies are JSON Merge Patch (RFC 7396): \`null\` removes a field. Entry answers carry an \`ETag\`; send it in
\`If-Match\` to refuse a write over someone else's change (412).`;

/** The OpenAPI 3.1 document of the booked routes, served at `baseUrl`. */
export function openApiDocument(book: RouteBook, baseUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http', scheme: 'bearer', description: 'An API token (`calcast token create`, or POST /api/v1/tokens).',
  });
  for (const route of book) registry.registerPath(route);
  const generator = new OpenApiGeneratorV31([...registry.definitions, { type: 'schema', schema: errorSchema }], { sortComponents: 'alphabetically' });
  return generator.generateDocument({
    openapi: '3.1.0',
    info: { title: 'Calcast API', version: 'v1', description: DESCRIPTION, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: baseUrl }],
  });
}
