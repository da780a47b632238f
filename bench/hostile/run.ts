/**
 * npm run bench:hostile [-- --seconds 10 --events 1000 --quiet-wait 60]
 *
 * Does one anonymous client slow everyone else down? A published calendar of generated events
 * plus FREQ=SECONDLY series (UTC and floating); four loops send public, unauthenticated REPORTs
 * that expand the series over a month, each from its own client network (127.0.N.1, so each
 * has its own rate-limit bucket); meanwhile a feed client polls (a conditional GET answered 304
 * and a full gzip GET, in turn). The same polls are timed first without the attack, in the same
 * run, and the ratio printed. Run twice: with the default public DAV rate limit, where most
 * hostile requests get 429, and with it off, where every one reaches the expansion bound.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient, percentile } from '../api/client.js';
import { ADMIN_TOKEN, fmt, ms, nowUs, printTable, startServer, stopServer, waitForQuiet } from '../api/harness.js';
import { fetchRaw } from '../feeds/check.js';
import { APPLE, createFeed, generateFeedFile } from '../feeds/setup.js';

const { values } = parseArgs({ options: {
  seconds: { type: 'string', default: '10' }, events: { type: 'string', default: '1000' }, 'quiet-wait': { type: 'string', default: '60' },
} });
const SECONDS = Number(values.seconds);
const EVENTS = Number(values.events);
const P99_TARGET_MS = 50;
const ATTACKERS = 4;

const series = (uid: string, start: string) => [
  'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', `DTSTART:${start}`, 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY', 'SUMMARY:tick', 'END:VEVENT',
].join('\r\n');
const HOSTILE_ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//hostile//EN',
  series('tick-utc@bench.invalid', '20260101T000000Z'), series('tick-floating@bench.invalid', '20260101T000000'), 'END:VCALENDAR', ''].join('\r\n');
const EXPAND = `<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data><C:expand start="20270101T000000Z" end="20270201T000000Z"/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="20270101T000000Z" end="20270201T000000Z"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

/** One REPORT from `localAddress`; resolves with its status once the whole answer is read. */
function hostileReport(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'REPORT', localAddress, agent: false, headers: { depth: '1', 'content-type': 'application/xml' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(EXPAND);
  });
}

interface Polls { notModified: number[]; full: number[]; wrong: string[] }

/** Polls the feed for `seconds`, alternating a 304 and a full gzip GET, and checks each answer. */
async function poll(url: string, etag: string, gzipLength: number, seconds: number): Promise<Polls> {
  const out: Polls = { notModified: [], full: [], wrong: [] };
  const end = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < end; i++) {
    const conditional = i % 2 === 0;
    const t0 = nowUs();
    const r = await fetchRaw(url, 'GET', { 'user-agent': APPLE, 'accept-encoding': 'gzip', ...(conditional ? { 'if-none-match': etag } : {}) });
    const took = (nowUs() - t0) / 1000;
    if (conditional && r.status !== 304) out.wrong.push(`conditional GET answered ${r.status}`);
    if (!conditional && (r.status !== 200 || r.body.length !== gzipLength)) out.wrong.push(`full GET answered ${r.status}, ${r.body.length} bytes`);
    (conditional ? out.notModified : out.full).push(took);
    await new Promise((r) => setTimeout(r, 5)); // a poller, not a load generator
  }
  return out;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function scenario(label: string, rate: string | undefined, ics: string): Promise<{ rows: string[][]; ok: boolean }> {
  const work = mkdtempSync(join(tmpdir(), 'calcast-hostile-'));
  if (rate === undefined) delete process.env.CALCAST_PUBLIC_DAV_RATE;
  else process.env.CALCAST_PUBLIC_DAV_RATE = rate;
  const server = await startServer(join(work, 'data'), null);
  const base = `http://127.0.0.1:${server.port}`;
  const api = new ApiClient('127.0.0.1', server.port, ADMIN_TOKEN, 2);
  try {
    const feed = await createFeed(api, base, ics, 'Hostile bench');
    const added = await fetch(`${base}/api/v1/calendars/${feed.calendarId}/import`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/calendar' }, body: HOSTILE_ICS,
    });
    if (added.status !== 200) throw new Error(`importing the SECONDLY series failed: ${added.status}`);
    const cal = await api.json<{ caldav_public_url: string }>('GET', `/api/v1/calendars/${feed.calendarId}`, 200);
    const publicUrl = `${base}${new URL(cal.caldav_public_url).pathname}`;
    const fresh = await fetchRaw(feed.shared, 'GET', { 'user-agent': APPLE, 'accept-encoding': 'gzip' });
    const etag = String(fresh.headers.etag);
    await poll(feed.shared, etag, fresh.body.length, 2); // warm-up
    await waitForQuiet(Number(values['quiet-wait']));
    const quiet = await poll(feed.shared, etag, fresh.body.length, SECONDS);
    const rssBefore = rssMiB(server.child.pid!);
    const statuses = new Map<number, number>();
    let attacking = true;
    const attackers = Array.from({ length: ATTACKERS }, async (_, n) => {
      while (attacking) {
        const status = await hostileReport(publicUrl, `127.0.${n + 1}.1`).catch(() => 0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
    let loaded: Polls, rssPeak: number;
    try {
      loaded = await poll(feed.shared, etag, fresh.body.length, SECONDS);
      rssPeak = rssMiB(server.child.pid!);
    } finally {
      attacking = false;
      await Promise.all(attackers);
    }
    const wrong = [...quiet.wrong, ...loaded.wrong, ...[...statuses.keys()].filter((s) => s !== 403 && s !== 429).map((s) => `hostile REPORT answered ${s || 'with a dropped connection'}`)];
    const p99 = percentile(loaded.notModified, 99);
    const p99Full = percentile(loaded.full, 99);
    const ok = wrong.length === 0 && p99 < P99_TARGET_MS && p99Full < P99_TARGET_MS;
    for (const w of new Set(wrong)) console.error(`WRONG (${label}): ${w}`);
    const row = (what: string, a: number[], b: number[]) => [
      label, what, `${ms(percentile(a, 50))} / ${ms(percentile(a, 99))}`, `${ms(percentile(b, 50))} / ${ms(percentile(b, 99))}`,
      fmt(percentile(b, 99) / percentile(a, 99), 2), `< ${P99_TARGET_MS} ms`, percentile(b, 99) < P99_TARGET_MS ? 'PASS' : 'FAIL',
    ];
    const hostile = [...statuses].sort().map(([s, n]) => `${fmt(n)}× ${s}`).join(', ');
    console.log(`${label}: hostile REPORTs ${hostile}; server RSS ${fmt(rssBefore)} MiB before the attack, ${fmt(rssPeak)} MiB during it; ${feed.events} feed events`);
    return { rows: [row('feed 304', quiet.notModified, loaded.notModified), row('feed full GET (gzip)', quiet.full, loaded.full)], ok };
  } finally {
    api.close();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'calcast-hostile-data-'));
try {
  const ics = generateFeedFile(work, EVENTS);
  const results = [
    await scenario('rate limit on (default)', undefined, ics),
    await scenario('rate limit off (CALCAST_PUBLIC_DAV_RATE=0)', '0', ics),
  ];
  console.log(`\nFeed polls at c=1, ${SECONDS} s each, alone and while ${ATTACKERS} public REPORT loops expand FREQ=SECONDLY series over a month:`);
  printTable([
    ['scenario', 'request', 'alone p50 / p99', 'under attack p50 / p99', 'p99 ratio', 'target', 'pass?'],
    ...results.flatMap((r) => r.rows),
  ]);
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
