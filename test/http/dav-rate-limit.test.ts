import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientNetwork } from '../../src/dav/client-network.js';
import { startServer, type TestServer } from '../helpers/server.js';

// The public, unauthenticated CalDAV view is rate-limited per client network; feeds never are.

let s: TestServer;
let pub: string;
let feed: string;
let owned: string;

/** One request from a chosen loopback address, so tests can play several clients. */
function from(localAddress: string, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; retryAfter: string | undefined; body: string }>((resolve, reject) => {
    const url = new URL(s.url + path);
    const req = request({ host: url.hostname, port: url.port, path, method, localAddress, headers: { depth: '0', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  s = await startServer({ env: { CALCAST_PUBLIC_DAV_RATE: '3' } });
  const json = (await s.api('POST', '/api/v1/calendars', { title: 'Limited', timezone: 'UTC' })).body;
  pub = new URL(json.caldav_public_url as string).pathname;
  feed = new URL(json.feed_url as string).pathname;
  owned = `/dav/calendars/admin/${json.id}/`;
});
afterAll(() => s.stop(true));

describe('client networks', () => {
  it('groups IPv4 by /24 and IPv6 by /48', () => {
    expect(clientNetwork('203.0.113.9')).toBe('203.0.113.0/24');
    expect(clientNetwork('::ffff:203.0.113.200')).toBe('203.0.113.0/24');
    expect(clientNetwork('2001:db8:abcd:12::1')).toBe(clientNetwork('2001:0db8:abcd:ffff::2'));
    expect(clientNetwork('2001:db8:abcd::1')).not.toBe(clientNetwork('2001:db8:abce::1'));
  });
});

describe('the public DAV rate limit', () => {
  it('two addresses of one /24 share a bucket: the fourth request gets 429 with Retry-After', async () => {
    const statuses = [];
    for (const a of ['127.0.0.2', '127.0.0.3', '127.0.0.2']) statuses.push((await from(a, 'PROPFIND', pub)).status);
    expect(statuses).toEqual([207, 207, 207]);
    const refused = await from('127.0.0.3', 'PROPFIND', pub);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused.body).toContain('too many requests');
    expect((await from('127.0.1.2', 'PROPFIND', pub)).status).toBe(207); // another /24 has its own bucket
  });
  it('feed polls from the same network are never limited', async () => {
    for (let i = 0; i < 10; i++) expect((await from('127.0.0.2', 'GET', feed)).status).toBe(200);
  });
  it('authenticated DAV from the same network is not limited', async () => {
    const authorization = `Basic ${Buffer.from('admin:test-password-123').toString('base64')}`;
    for (let i = 0; i < 5; i++) expect((await from('127.0.0.2', 'PROPFIND', owned, { authorization })).status).toBe(207);
  });
});
