import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouters } from '../../src/api/router.js';
import { API_ERRORS } from '../../src/api/openapi/errors.js';
import { createFeedCache } from '../../src/feeds/cache.js';
import { createFeedService } from '../../src/feeds/service.js';
import { createInstanceIndex } from '../../src/ical/instance-index.js';
import { responseChecker } from '../helpers/openapi-responses.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
beforeAll(async () => {
  s = await startServer();
  const r = await fetch(`${s.url}/api/v1/openapi.json`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  doc = await r.json();
});
afterAll(() => s.stop());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, served without a token', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.servers).toEqual([{ url: 'http://calcast.test' }]);
  });

  it('lists every route the API routers register, and nothing else', () => {
    const { routers } = apiRouters({
      store: s.store, clock: s.clock, config: s.config, baseUrl: s.config.baseUrl, service: s.service,
      feeds: createFeedService(s.store, createFeedCache(), s.clock), instances: createInstanceIndex(() => s.clock.now()),
    });
    const registered = routers
      .flatMap((r) => r.stack)
      .filter((layer) => String(layer.path).startsWith('/api/v1/'))
      .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`));
    const documented = Object.entries(doc.paths as Record<string, object>)
      .flatMap(([path, item]) => Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => `${m.toUpperCase()} ${path}`));
    expect(registered.length).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it('documents each error code with its status, and each operation\'s errors with the envelope', () => {
    const error = doc.components.schemas.Error;
    expect(error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(API_ERRORS).sort());
    for (const [code, [status]] of Object.entries(API_ERRORS)) expect(error.description).toContain(`\`${code}\` (${status})`);
    const calendar = doc.paths['/api/v1/calendars/{id}'].patch;
    expect(calendar.security).toEqual([{ bearer: [] }]);
    const bad = calendar.responses['400'].content['application/json'].schema;
    expect(bad.properties.error.properties.code.enum).toEqual(['VALIDATION_FAILED', 'EMPTY_PATCH']);
    expect(bad.properties.error.required).toEqual(['code', 'message']);
    expect(Object.keys(calendar.responses).sort()).toEqual(['200', '400', '401', '404', '409', '413', '415', '500', '503']);
    expect(doc.paths['/api/v1/timezones'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/timezones'].get.responses['401']).toBeUndefined();
  });

  it('describes cursor paging on every list', () => {
    const list = doc.paths['/api/v1/calendars/{id}/events'].get;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['page_limit', 'page_cursor', 'start_after', 'expand', 'order_by']));
    const limit = list.parameters.find((p: { name: string }) => p.name === 'page_limit').schema;
    expect(limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500, default: 50 });
    const page = list.responses['200'].content['application/json'].schema;
    expect(page.required).toEqual(['data', 'next_cursor']);
    expect(page.properties.next_cursor.type).toEqual(['string', 'null']);
    expect(page.properties.data.items).toEqual({ $ref: '#/components/schemas/Event' });
    const subscribers = doc.paths['/api/v1/calendars/{id}/subscribers'].get.parameters.map((p: { name: string }) => p.name);
    expect(subscribers).toEqual(['id', 'status', 'order', 'page_limit', 'page_cursor']);
  });

  it('takes the request bodies from the schemas the handlers validate with', async () => {
    const create = doc.paths['/api/v1/calendars/{id}/events'].post.requestBody.content['application/json'].schema;
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(['title', 'start']);
    expect(create.properties.participants_notification.enum).toContain('NO_NOTIFICATION');
    // A field the document does not list is one the handler refuses.
    const cal = (await s.api('POST', '/api/v1/calendars', { title: 'Docs' })).body.id;
    const r = await s.api('POST', `/api/v1/calendars/${cal}/events`, { title: 'x', start: '2024-01-01', colour: 'red' });
    expect(create.properties.colour).toBeUndefined();
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'colour' });
  });

  it('checks the answers the API suites see against it, and refuses what it does not document', async () => {
    const check = responseChecker(JSON.stringify(doc));
    const r = await s.api('POST', '/api/v1/calendars', { title: 'Checked' });
    const json = 'application/json; charset=utf-8';
    expect(() => check('POST', '/api/v1/calendars', 201, json, r.text)).not.toThrow();
    expect(() => check('POST', '/api/v1/calendars', 201, json, JSON.stringify({ ...r.body, extra: 1 }))).toThrow(/must NOT have additional properties/);
    expect(() => check('POST', '/api/v1/calendars', 201, json, JSON.stringify({ ...r.body, feed_url: 'not a url' }))).toThrow(/feed_url/);
    expect(() => check('POST', '/api/v1/calendars', 202, json, r.text)).toThrow(/documents 201, 400/);
    const error = (code: string) => JSON.stringify({ error: { code, message: 'x' } });
    expect(() => check('GET', `/api/v1/calendars/${r.body.id}`, 404, json, error('NOT_FOUND'))).not.toThrow();
    expect(() => check('GET', `/api/v1/calendars/${r.body.id}`, 400, json, error('VALIDATION_FAILED'))).toThrow(/documents 200, 401, 404, 500/);
    expect(() => check('PATCH', `/api/v1/calendars/${r.body.id}`, 400, json, error('INVALID_TIME_RANGE'))).toThrow(/allowed values/);
    expect(() => check('DELETE', `/api/v1/calendars/${r.body.id}`, 204, null, '{}')).toThrow(/a body where the document gives none/);
    expect(() => check('GET', '/api/v1/nothing', 404, json, error('NOT_FOUND'))).not.toThrow();
    expect(() => check('GET', '/api/v1/nothing', 200, json, '{}')).toThrow(/no documented operation/);
  });
});
