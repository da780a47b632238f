import { Agent, request } from 'node:http';
import { ALL, type Store } from '../../src/store/types.js';
import { ADMIN_PASSWORD, ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

/** Bodies per surface: 10,000 by default, more with CALCAST_FUZZ_RUNS for a long hunt. */
export const RUNS = Number(process.env.CALCAST_FUZZ_RUNS ?? 10_000);

export interface Answer {
  status: number;
  type: string;
  body: string;
}

export interface FuzzTarget {
  s: TestServer;
  /** A calendar the fuzzer writes to: valid bodies may land here. */
  scratch: { id: string; davPath: string };
  /** A calendar no request names: it must come out exactly as it went in. */
  sentinel: { id: string };
  send(method: string, path: string, body: string | Buffer, headers?: Record<string, string>): Promise<Answer>;
  /** Everything stored of a calendar that a request could change. */
  snapshot(calendarId: string): Promise<unknown>;
  stop(): Promise<void>;
}

export const BEARER = `Bearer ${ADMIN_TOKEN}`;
export const BASIC = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;

async function snapshotOf(store: Store, calendarId: string) {
  const calendar = await store.getCalendar(calendarId);
  const { objects } = await store.listObjects({ calendarIds: [calendarId], order: 'START_DATE_ASC', limit: ALL });
  return { calendar, objects: objects.map((o) => [o.id, o.uri, o.etag, o.data]).sort(), changes: await store.changesSince(calendarId, 0) };
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const s = await startServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const mk = async (title: string) => (await s.api('POST', '/api/v1/calendars', { title, timezone: 'Europe/Paris' })).body;
  const scratch = await mk('Scratch');
  const sentinel = await mk('Sentinel');
  for (const e of [
    { title: 'Kept', start: '2031-01-01T10:00', rrule: 'FREQ=WEEKLY;COUNT=5', attendees: [{ email: 'a@example.org', name: 'A' }] },
    { title: 'Also kept', start: '2031-02-01', all_day: true },
  ]) await s.api('POST', `/api/v1/calendars/${sentinel.id}/events`, e);
  const url = new URL(s.url);
  return {
    s,
    scratch: { id: scratch.id, davPath: new URL(scratch.caldav_url).pathname },
    sentinel: { id: sentinel.id },
    send: (method, path, body, headers = {}) => new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    }),
    snapshot: (id) => snapshotOf(s.store, id),
    async stop() {
      agent.destroy();
      await s.stop();
    },
  };
}

/** A JSON API error: the envelope with a stable code. */
export function jsonErrorCode(a: Answer): string | null {
  try {
    const code = (JSON.parse(a.body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : null;
  } catch {
    return null;
  }
}

/** A DAV error: a DAV:error body naming a precondition or carrying a message. */
export function davErrorOk(a: Answer): boolean {
  return /xml/.test(a.type) && /<d:error\b[^>]*>[\s\S]*<[a-z0-9]+:[a-z-]+/i.test(a.body);
}
