import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../helpers/dav.js';
import { callApi, startInstance, stopInstance, type Instance } from '../helpers/instance.js';
import { noPostgres } from '../helpers/postgres.js';
import { startPrivateCluster, type PrivateCluster } from '../helpers/private-cluster.js';
import { ADMIN_PASSWORD, ADMIN_TOKEN } from '../helpers/server.js';

// PostgreSQL stops and starts again under a steady load of feed polls, CalDAV and API reads,
// and API writes.
// During the outage every answer is a 503 with Retry-After (never a 500, never a dropped
// connection, the process lives); afterwards the instance recovers by itself and has lost no
// write it acknowledged.

const LOOPS = 4;
const OUTAGE_MS = 3_000;

interface Answer {
  kind: 'feed' | 'read' | 'dav' | 'write';
  startedAt: number;
  endedAt: number;
  status: number | null;
  retryAfter: string | null;
  /** The request failed without an answer (reset, refused, timed out). */
  error: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(noPostgres('the database restart'))('a Calcast instance while PostgreSQL restarts', () => {
  let cluster: PrivateCluster;
  let instance: Instance;
  let dir: string;

  beforeAll(async () => {
    // Its own cluster: the shared one serves other suites in parallel.
    cluster = await startPrivateCluster();
    dir = mkdtempSync(join(tmpdir(), 'calcast-restart-'));
    instance = await startInstance({
      CALCAST_DATABASE_URL: cluster.url, CALCAST_DATA_DIR: dir, CALCAST_ADMIN_TOKEN: ADMIN_TOKEN, CALCAST_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
  }, 120_000);
  afterAll(async () => {
    if (instance) await stopInstance(instance);
    await cluster?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After during the outage, recovers by itself and keeps every acknowledged write', async () => {
    const api = (method: string, path: string, body?: unknown) => callApi(instance.url, ADMIN_TOKEN, method, path, body);
    const cal = (await api('POST', '/api/v1/calendars', { title: 'Restart', timezone: 'Europe/Paris' })).body as { id: string; feed_url: string };
    const feed = new URL(cal.feed_url).pathname;
    const events = `/api/v1/calendars/${cal.id}/events`;
    const acked = new Map<string, string>();
    const answers: Answer[] = [];
    let writes = 0;

    const request = async (kind: Answer['kind']): Promise<void> => {
      const startedAt = Date.now();
      const title = `w${writes++}`;
      const init: RequestInit = {
        feed: {},
        read: { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
        dav: { method: 'PROPFIND', headers: { authorization: basic(), depth: '1' } },
        write: { method: 'POST', body: JSON.stringify({ title, start: '2030-05-04 10:00' }), headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } },
      }[kind];
      const path = { feed, read: events, dav: `/dav/calendars/admin/${cal.id}/`, write: events }[kind];
      try {
        const res = await fetch(instance.url + path, { ...init, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        if (kind === 'write' && res.status === 201) acked.set((JSON.parse(text) as { id: string }).id, title);
        answers.push({ kind, startedAt, endedAt: Date.now(), status: res.status, retryAfter: res.headers.get('retry-after'), error: null });
      } catch (err) {
        answers.push({ kind, startedAt, endedAt: Date.now(), status: null, retryAfter: null, error: String(err) });
      }
    };
    let running = true;
    const load = Promise.all(Array.from({ length: LOOPS }, async (_, loop) => {
      for (let n = loop; running; n++) {
        await request((['feed', 'read', 'feed', 'dav', 'write'] as const)[n % 5]!);
        // A steady load, not a flood: a refused connection answers in microseconds.
        await sleep(10);
      }
    }));
    const probe = async (path: string) => {
      const r = await fetch(instance.url + path).catch((err: unknown) => {
        throw new Error(`${path} not answered (${String(err)}); the instance printed:\n${instance.output()}`);
      });
      return { status: r.status, retryAfter: r.headers.get('retry-after'), text: await r.text() };
    };

    await sleep(1_000);
    expect(await probe('/readyz')).toMatchObject({ status: 200 });
    await cluster.stopServer();
    const outageFrom = Date.now();
    await sleep(OUTAGE_MS / 2);
    expect(await probe('/healthz')).toMatchObject({ status: 200 });
    expect(await probe('/readyz')).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    await sleep(OUTAGE_MS / 2);
    const outageTo = Date.now();
    await cluster.startServer();
    const backAt = Date.now();

    // It reconnects by itself: ready again, and answering the load, within a few seconds.
    await expect.poll(async () => (await probe('/readyz')).status, { timeout: 5_000, interval: 100 }).toBe(200);
    const readyAfter = Date.now() - backAt;
    await sleep(1_500);
    running = false;
    await load;

    expect(instance.child.exitCode, instance.output()).toBeNull();
    expect(answers.filter((a) => a.error !== null), 'dropped connections').toEqual([]);
    expect(answers.filter((a) => a.status === 500), '500 answers').toEqual([]);
    const during = answers.filter((a) => a.startedAt >= outageFrom && a.endedAt <= outageTo);
    expect(during.length).toBeGreaterThan(LOOPS * 10);
    expect(new Set(during.map((a) => a.kind))).toEqual(new Set(['feed', 'read', 'dav', 'write']));
    expect(during.filter((a) => a.status !== 503 || !/^\d+$/.test(a.retryAfter ?? '')), 'answers during the outage other than 503 with Retry-After').toEqual([]);
    // Recovered: what started a moment after the database was ready succeeded.
    const after = answers.filter((a) => a.startedAt >= backAt + readyAfter + 500);
    expect(after.length).toBeGreaterThan(LOOPS);
    expect(after.filter((a) => ![200, 201, 207].includes(a.status ?? 0)), 'answers after recovery').toEqual([]);
    expect(answers.some((a) => a.kind === 'write' && a.status === 201 && a.startedAt >= backAt)).toBe(true);

    // Every write acknowledged before, around or after the outage is there.
    expect(acked.size).toBeGreaterThan(0);
    for (const [id, title] of acked) {
      const r = await api('GET', `${events}/${id}`);
      expect([r.status, r.body?.title], id).toEqual([200, title]);
    }
    console.log(`database restart: ${answers.length} requests, ${during.length} during the ${OUTAGE_MS} ms outage, ready ${readyAfter} ms after PostgreSQL was back, ${acked.size} writes acknowledged`);
  }, 60_000);
});
