/**
 * bench/feeds: the poll path. Calcast answers conditional GETs of a real feed (each one
 * logged as a sync) next to nginx serving the same bytes as a static file: the ceiling for
 * "send a cached file or a 304". Also checks that every poll reached the sync log, and
 * measures what writing the log costs per poll.
 *
 *   npm run bench:feeds [-- --seconds 10 --connections 8 --events 1000 --quiet-wait 300]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { SyncEvent } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { generateCalendar } from '../../test/helpers/calendar-generator/index.js';
import { ApiClient } from '../api/client.js';
import {
  ADMIN_TOKEN, codeVersion, fmt, freePort, printTable, spawnServer, startServer, stopServer, waitForQuiet,
} from '../api/harness.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    events: { type: 'string', default: '1000' },
    'quiet-wait': { type: 'string', default: '300' },
  },
});
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
const APPLE = 'iOS/17.4 (21E219) dataaccessd/1.0';

interface WrkResult { requests: number; rps: number; p50: number; p99: number; non2xx3xx: number }

/** wrk with one thread (the other core is the server's), latency percentiles in ms. */
function wrk(url: string, headers: Record<string, string>): WrkResult {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const latency = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) return NaN;
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]!;
  };
  return {
    requests: num(/(\d+) requests in/), rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: latency('50'), p99: latency('99'), non2xx3xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
}

/** nginx serving `root`/www as static files with ETags and gzip, as a feed host would. */
async function nginxServing(root: string) {
  const port = await freePort();
  const conf = join(root, 'nginx.conf');
  writeFileSync(conf, `worker_processes 1; daemon off; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 256; }
http { access_log off; default_type text/calendar; etag on; gzip on; gzip_types text/calendar; gzip_min_length 0;
  client_body_temp_path ${root}/tmp; proxy_temp_path ${root}/tmp; fastcgi_temp_path ${root}/tmp; uwsgi_temp_path ${root}/tmp; scgi_temp_path ${root}/tmp;
  server { listen 127.0.0.1:${port}; root ${root}/www; } }\n`);
  execFileSync('mkdir', ['-p', `${root}/www`, `${root}/tmp`]);
  // nginx's workers run as an unprivileged user; mkdtemp folders are private to their owner.
  execFileSync('chmod', ['-R', 'a+rX', root]);
  execFileSync('chmod', ['a+x', dirname(root)]);
  const server = await spawnServer('nginx', 'nginx', ['-c', conf, '-p', root], { port }, async (p) => (await fetch(`http://127.0.0.1:${p}/feed.ics`)).status === 200);
  return server;
}

async function main() {
  const code = codeVersion();
  console.log(`Calcast feed bench: ${opts.events} generated events, wrk c=${CONNECTIONS} for ${SECONDS} s a run; commit ${code.commit}${code.dirty ? ' (dirty)' : ''}`);
  const work = mkdtempSync(join(tmpdir(), 'calcast-bench-feeds-'));
  const server = await startServer(join(work, 'data'), null);
  const base = `http://127.0.0.1:${server.port}`;
  const api = new ApiClient('127.0.0.1', server.port, ADMIN_TOKEN, 1);
  try {
    // Events from two months ago on, so most of them are inside the feed's 90-day window.
    const start = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    generateCalendar(Number(opts.events), join(work, 'gen'), { start, days: 365 });
    const cal = await api.json<{ id: string; feed_url: string }>('POST', '/api/v1/calendars', 201, { title: 'Bench feed', timezone: 'Europe/Paris' });
    const imported = await fetch(`${base}/api/v1/calendars/${cal.id}/import`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/calendar' },
      body: readFileSync(join(work, 'gen', 'calendar.ics')),
    });
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status}`);
    const feedUrl = `${base}${new URL(cal.feed_url).pathname}`;
    const first = await fetch(feedUrl, { headers: { 'user-agent': APPLE } });
    const bytes = Buffer.from(await first.arrayBuffer());
    const etag = first.headers.get('etag')!;
    const events = (bytes.toString('utf8').match(/^BEGIN:VEVENT\r$/gm) ?? []).length;

    const nginxRoot = join(work, 'nginx');
    execFileSync('mkdir', ['-p', join(nginxRoot, 'www')]);
    writeFileSync(join(nginxRoot, 'www', 'feed.ics'), bytes);
    const nginx = await nginxServing(nginxRoot);
    const nginxUrl = `http://127.0.0.1:${nginx.port}/feed.ics`;
    const nginxEtag = (await fetch(nginxUrl)).headers.get('etag')!;

    const quiet = Number(opts['quiet-wait']);
    const runs: [string, string, Record<string, string>, string, Record<string, string>][] = [
      ['conditional GET → 304', feedUrl, { 'If-None-Match': etag, 'Cache-Control': 'no-cache', 'User-Agent': APPLE }, nginxUrl, { 'If-None-Match': nginxEtag }],
      ['full GET, gzip', feedUrl, { 'Accept-Encoding': 'gzip', 'User-Agent': APPLE }, nginxUrl, { 'Accept-Encoding': 'gzip' }],
      ['full GET, identity', feedUrl, { 'User-Agent': APPLE }, nginxUrl, {}],
    ];
    const rows: string[][] = [['measure', 'Calcast req/s', 'p50 / p99', 'nginx req/s', 'p50 / p99', 'Calcast / nginx']];
    let polls = 1; // the first GET above
    const results: Record<string, { calcast: WrkResult; nginx: WrkResult }> = {};
    for (const [name, url, headers, peerUrl, peerHeaders] of runs) {
      await waitForQuiet(quiet);
      const calcast = wrk(url, headers);
      await waitForQuiet(quiet);
      const peer = wrk(peerUrl, peerHeaders);
      if (calcast.non2xx3xx || peer.non2xx3xx) throw new Error(`${name}: error answers (${calcast.non2xx3xx} / ${peer.non2xx3xx})`);
      polls += calcast.requests;
      results[name] = { calcast, nginx: peer };
      rows.push([name, fmt(calcast.rps), `${fmt(calcast.p50, 2)} / ${fmt(calcast.p99, 2)} ms`, fmt(peer.rps),
        `${fmt(peer.p50, 2)} / ${fmt(peer.p99, 2)} ms`, fmt(calcast.rps / peer.rps, 2)]);
    }
    await stopServer(nginx);

    // Every poll is a sync: the subscriber's count must account for all of them (wrk does not
    // count the few requests still in flight when it stops, hence the tolerance).
    await new Promise((r) => setTimeout(r, 1000));
    const subs = await api.json<{ data: { client: string; sync_count: number }[] }>('GET', `/api/v1/calendars/${cal.id}/subscribers?status=all`, 200);
    const logged = subs.data.filter((s) => s.client === 'apple_ios').reduce((n, s) => n + s.sync_count, 0);
    const complete = logged >= polls && logged <= polls + runs.length * CONNECTIONS;
    await stopServer(server);

    // The log's cost: the store's batched write per sync, next to the server's time per 304.
    const store = createSqliteStore(join(work, 'data', 'calcast.sqlite'), systemClock);
    const batch: SyncEvent[] = Array.from({ length: 500 }, (_, i) => ({
      calendarId: cal.id, at: Date.now(), surface: 'feed', method: 'GET', status: 304, bytes: 0, client: 'apple_ios',
      userAgent: APPLE, ip: `10.0.${i % 200}.1`, subscriber: { anonymousKey: `bench-${i % 50}` },
    }));
    await store.recordSyncs(batch); // warm
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) await store.recordSyncs(batch);
    const perSyncUs = ((performance.now() - t0) / (20 * batch.length)) * 1000;
    await store.close();
    const per304Us = 1e6 / results['conditional GET → 304']!.calcast.rps;

    console.log(`\nFeed: ${events} events, ${fmt(bytes.length / 1024)} KiB (identity).`);
    printTable(rows);
    console.log(`\nSync log: ${polls} polls made, ${logged} syncs recorded for the client (${complete ? 'complete' : 'INCOMPLETE'}).`);
    console.log(`Writing the log: ${fmt(perSyncUs, 1)} µs per sync (batches of 500), ${fmt((perSyncUs / per304Us) * 100, 1)} % of the server time of one 304 (${fmt(per304Us, 1)} µs).`);
    writeFileSync(new URL('./last-results.json', import.meta.url), JSON.stringify({
      date: new Date().toISOString(), code, connections: CONNECTIONS, seconds: SECONDS, feed: { events, bytes: bytes.length },
      results, syncLog: { polls, logged, complete, perSyncUs, per304Us },
    }, null, 2));
    if (!complete) process.exitCode = 1;
  } finally {
    api.close();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
