import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/util/clock.js';
import { startServer, type TestServer } from '../helpers/server.js';

// "Now" is fixed so the next-ten list is deterministic: Saturday 1 March 2031, 12:00 UTC.
const NOW = Date.UTC(2031, 2, 1, 12);
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const XSS = '<script>alert(1)</script>';

let s: TestServer;
let cal: { id: string; key: string };

async function calendar(server: TestServer, body: Record<string, unknown>) {
  const r = await server.api('POST', '/api/v1/calendars', body);
  expect(r.status).toBe(201);
  return { id: r.body.id as string, key: (r.body.feed_url as string).match(/\/feeds\/([^/]+)\.ics$/)![1]! };
}

async function event(server: TestServer, id: string, body: Record<string, unknown>) {
  const r = await server.api('POST', `/api/v1/calendars/${id}/events`, body);
  expect(r.status, r.text).toBe(201);
}

const getPage = (path: string, base = s.url) => fetch(base + path, { redirect: 'manual' });
const subscribe = (key: string, app: string | null, ua = MAC, base = s.url) => fetch(`${base}/c/${key}/subscribe`, {
  method: 'POST', redirect: 'manual', headers: { 'user-agent': ua },
  body: new URLSearchParams(app === null ? {} : { app }),
});
const decode = (html: string) => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
const titles = (html: string) => [...html.matchAll(/class="event-title"><bdi>([^<]*)</g)].map((m) => decode(m[1]!));

beforeAll(async () => {
  s = await startServer({ clock: fixedClock(NOW) });
  cal = await calendar(s, { title: 'Riverside Community Hall', description: 'Talks, fairs & workshops.\nAll welcome.', timezone: 'Europe/Berlin', color: '#0f766e' });
  // Twelve events, created out of order: one past, one cancelled, one weekly (Mondays).
  const events: Record<string, unknown>[] = [
    { title: 'Summer party', start: '2031-06-01T18:00', end: '2031-06-01T23:00' },
    { title: 'Past meetup', start: '2031-02-20T10:00', end: '2031-02-20T11:00' },
    { title: 'Workshop', start: '2031-03-12T09:00', end: '2031-03-12T10:30', location: 'Room 4' },
    { title: 'Weekly standup', start: '2031-01-06T09:00', end: '2031-01-06T09:15', rrule: 'FREQ=WEEKLY;COUNT=30' },
    { title: 'Cancelled talk', start: '2031-03-02T15:00', end: '2031-03-02T16:00', status: 'CANCELLED' },
    { title: 'Spring fair', start: '2031-03-02T10:00', end: '2031-03-02T12:00' },
    { title: XSS, start: '2031-03-08T14:00', end: '2031-03-08T15:00' },
    { title: 'Board meeting', start: '2031-03-04T18:00', end: '2031-03-04T19:00' },
    { title: 'Open day', start: '2031-03-06', all_day: true },
    { title: 'Concert', start: '2031-03-20T19:30', end: '2031-03-20T21:30' },
    { title: 'Autumn fair', start: '2031-09-01T10:00', end: '2031-09-01T16:00' },
    { title: 'Winter market', start: '2031-12-01T10:00', end: '2031-12-01T16:00' },
  ];
  for (const e of events) await event(s, cal.id, e);
});
afterAll(() => s.stop());

describe('GET /c/:key', () => {
  it('shows the calendar and its next ten event occurrences in order', async () => {
    const r = await getPage(`/c/${cal.key}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await r.text();
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('Riverside Community Hall');
    expect(html).toContain('Talks, fairs &#38; workshops.\nAll welcome.');
    expect(html).toContain('--accent:#0f766e');
    expect(titles(html)).toEqual([
      'Spring fair', 'Weekly standup', 'Board meeting', 'Open day', XSS,
      'Weekly standup', 'Workshop', 'Weekly standup', 'Concert', 'Weekly standup',
    ]);
    // Times in the calendar's zone; all-day events as a date.
    const times = new Map([...html.matchAll(/<time datetime="([^"]+)">(.*?)<\/time>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '')]));
    expect(times.get('2031-03-12T09:00:00+01:00')).toBe('Wed, Mar 12, 2031 · 9:00 AM – 10:30 AM');
    expect(times.get('2031-03-06')).toBe('Thu, Mar 6, 2031 · All day');
    expect(html).toContain('Room 4');
  });

  it('escapes event titles', async () => {
    const html = await (await getPage(`/c/${cal.key}`)).text();
    expect(html).not.toContain(XSS);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('has six app buttons, a copy field with the shared webcal URL and an SVG QR code', async () => {
    const html = await (await getPage(`/c/${cal.key}`)).text();
    const forms = html.match(/<form method="post" action="\/c\/[^"]+\/subscribe">/g) ?? [];
    expect(forms).toHaveLength(6);
    expect(new Set(forms)).toEqual(new Set([`<form method="post" action="/c/${cal.key}/subscribe">`]));
    const apps = [...html.matchAll(/name="app" value="([^"]+)"/g)].map((m) => m[1]);
    expect(apps).toEqual(['apple', 'google', 'outlook-com', 'microsoft-365', 'outlook-desktop', 'yahoo']);
    expect(html).toContain(`readonly value="webcal://calcast.test/feeds/${cal.key}.ics"`);
    expect(html).toMatch(/<figure class="qr"><svg role="img" aria-label="[^"]+" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('finds events far ahead when the coming months are empty', async () => {
    const sparse = await calendar(s, { title: 'Sparse', timezone: 'UTC' });
    await event(s, sparse.id, { title: 'In a year', start: '2032-03-01T10:00', end: '2032-03-01T11:00' });
    await event(s, sparse.id, { title: 'In ten years', start: '2041-03-01T10:00', end: '2041-03-01T11:00' });
    expect(titles(await (await getPage(`/c/${sparse.key}`)).text())).toEqual(['In a year', 'In ten years']);
  });

  it('answers unknown and unpublished keys with a friendly 404 page', async () => {
    const hidden = await calendar(s, { title: 'Hidden' });
    expect((await s.api('PATCH', `/api/v1/calendars/${hidden.id}`, { published: false })).status).toBe(200);
    for (const path of ['/c/no-such-key-0123456789abcdef', `/c/${hidden.key}`, '/c/bad%20key', '/c/x/y/z']) {
      const r = await getPage(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await r.text();
      expect(html).toContain('<h1>Calendar not found</h1>');
      expect(html).not.toContain('Hidden');
    }
    const post = await subscribe(hidden.key, 'google');
    expect(post.status).toBe(404);
    const list = await s.api('GET', `/api/v1/calendars/${hidden.id}/subscribers?status=all`);
    expect(list.body.data).toEqual([]);
  });

  it('leaves other paths to the rest of the app and answers other methods with 405', async () => {
    expect((await getPage('/nothing-here')).headers.get('content-type')).not.toContain('text/html');
    const r = await fetch(`${s.url}/c/${cal.key}`, { method: 'PUT' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('GET');
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});

describe('POST /c/:key/subscribe', () => {
  const personal = new RegExp(`^http://calcast\\.test/feeds/${'KEY'}/[A-Za-z0-9_-]{20,}\\.ics$`);
  const personalOf = (proto: string) => new RegExp(personal.source.replace('KEY', cal.key).replace('http', proto));

  it('mints a personal URL for each app and redirects (303) to its provider', async () => {
    const location = async (app: string, ua?: string) => {
      const r = await subscribe(cal.key, app, ua);
      expect(r.status, app).toBe(303);
      expect(r.headers.get('cache-control')).toBe('no-store');
      return r.headers.get('location')!;
    };
    expect(await location('apple', IPHONE)).toMatch(personalOf('webcal'));
    expect(await location('apple', MAC)).toMatch(personalOf('webcal'));
    expect(await location('outlook-desktop')).toMatch(personalOf('webcal'));

    const google = await location('google');
    expect(google).toMatch(/^https:\/\/calendar\.google\.com\/calendar\/r\?cid=webcal%3A%2F%2Fcalcast\.test%2Ffeeds%2F/);
    expect(new URL(google).searchParams.get('cid')).toMatch(personalOf('webcal'));

    for (const [app, origin] of [['outlook-com', 'https://outlook.live.com'], ['microsoft-365', 'https://outlook.office.com']] as const) {
      const url = new URL(await location(app));
      expect(url.origin + url.pathname).toBe(`${origin}/calendar/0/addfromweb`);
      expect(url.searchParams.get('url')).toMatch(personalOf('http'));
      expect(url.searchParams.get('name')).toBe('Riverside Community Hall');
    }
  });

  it('shows Yahoo users their personal URL and the steps, not indexed nor cached', async () => {
    const r = await subscribe(cal.key, 'yahoo');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-robots-tag')).toBe('noindex');
    const html = await r.text();
    const url = html.match(/id="personal-link" type="text" readonly value="([^"]+)"/)![1]!;
    expect(url).toMatch(personalOf('http'));
    expect(html).toContain('Follow Other Calendars');
    expect(html.match(/<li>/g)).toHaveLength(5);
  });

  it('records the chosen app as the subscriber\'s client, with the browser', async () => {
    const r = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers?status=all`);
    expect(r.status).toBe(200);
    const clients = (r.body.data as { kind: string; client: string }[]).map((d) => { expect(d.kind).toBe('personal'); return d.client; });
    expect(clients.sort()).toEqual(['apple_ios', 'apple_macos', 'google', 'microsoft_online', 'microsoft_online', 'outlook_desktop', 'unknown']);
  });

  it('refuses a missing or unknown app with a 400 page and mints nothing', async () => {
    for (const app of [null, 'lotus-notes']) {
      const r = await subscribe(cal.key, app);
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await r.text()).toContain(`href="/c/${cal.key}"`);
    }
    const r = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers?status=all`);
    expect(r.body.data).toHaveLength(7);
  });

  it('builds links on an https base URL with a path prefix', async () => {
    const t = await startServer({ clock: fixedClock(NOW), env: { CALCAST_BASE_URL: 'https://cal.example.org/events' } });
    try {
      const c = await calendar(t, { title: 'Prefixed & Co' });
      const html = await (await getPage(`/c/${c.key}`, t.url)).text();
      expect(html).toContain(`action="/events/c/${c.key}/subscribe"`);
      expect(html).toContain(`value="webcal://cal.example.org/events/feeds/${c.key}.ics"`);
      const apple = (await subscribe(c.key, 'apple', MAC, t.url)).headers.get('location')!;
      expect(apple).toMatch(new RegExp(`^webcal://cal\\.example\\.org/events/feeds/${c.key}/[A-Za-z0-9_-]+\\.ics$`));
      const outlook = new URL((await subscribe(c.key, 'outlook-com', MAC, t.url)).headers.get('location')!);
      expect(outlook.searchParams.get('url')).toMatch(new RegExp(`^https://cal\\.example\\.org/events/feeds/${c.key}/`));
      expect(outlook.searchParams.get('name')).toBe('Prefixed & Co');
    } finally {
      await t.stop();
    }
  });
});
