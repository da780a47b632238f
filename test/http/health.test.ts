import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

describe('health probes', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startServer(); });
  afterAll(() => server.stop(true));

  it('answers liveness and readiness without a token, never cached', async () => {
    for (const [path, body] of [['/healthz', 'ok\n'], ['/readyz', 'ready\n']]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).toBe(body);
    }
  });

  it('stays live but is not ready, with Retry-After, once its store is gone', async () => {
    await server.store.close();
    const ready = await fetch(server.url + '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect(await ready.text()).toBe('store unreachable\n');
    expect((await fetch(server.url + '/healthz')).status).toBe(200);
  });
});
