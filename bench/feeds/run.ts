/**
 * bench/feeds: the poll path against a fair ceiling. Calcast answers conditional and full GETs
 * and HEADs of a real feed (each one logged as a sync) next to an nginx configured as a feed
 * host would serve the same bytes (nginx.ts). Server on core 0, wrk on core 1, at each
 * concurrency. Every answer is checked before it is measured, and the sync log must account
 * for every poll afterwards.
 *
 *   npm run bench:feeds [-- --seconds 5 --connections 1,32 --events 1000 --quiet-wait 30 --profile DIR --only REGEX]
 *   npm run bench:feeds -- --soak [--soak-minutes 10 --soak-calendars 100 --cache-mb 64]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiClient } from '../api/client.js';
import { ADMIN_TOKEN, codeVersion, fmt, nowUs, printTable, stopServer, waitForQuiet } from '../api/harness.js';
import { mainThreadProfile, printSummary, summarizeProfile } from '../api/profile.js';
import { checkAnswer, fetchRaw } from './check.js';
import { cpuPerRequestUs } from '../lib/cpu.js';
import { measures } from './measures.js';
import { startNginx } from './nginx.js';
import { createFeed, generateFeedFile, startPinnedCalcast, syncCount } from './setup.js';
import { soak } from './soak.js';
import { perSyncWriteUs } from './sync-log-cost.js';
import { wrk, type WrkResult } from './wrk.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1,32' },
    events: { type: 'string', default: '1000' },
    'quiet-wait': { type: 'string', default: '30' },
    profile: { type: 'string' },
    only: { type: 'string' },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '10' },
    'soak-calendars': { type: 'string', default: '100' },
    'cache-mb': { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const CONCURRENCY = opts.connections.split(',').map(Number);
const QUIET = Number(opts['quiet-wait']);

async function main() {
  const code = codeVersion();
  console.log(`Calcast feed bench: ${opts.events} generated events, wrk c=${CONCURRENCY.join(' and c=')} for ${SECONDS} s a run, server on core 0, wrk on core 1; commit ${code.commit}${code.dirty ? ' (dirty)' : ''}`);
  const work = mkdtempSync(join(tmpdir(), 'calcast-bench-feeds-'));
  if (opts['cache-mb']) process.env.CALCAST_FEED_CACHE_MB = opts['cache-mb'];
  let server = await startPinnedCalcast(join(work, 'data'), opts.profile ?? null);
  const api = new ApiClient('127.0.0.1', server.port, ADMIN_TOKEN, 1);
  try {
    if (opts.soak) {
      const restart = async () => {
        await stopServer(server);
        server = await startPinnedCalcast(join(work, 'data'), null);
        return server;
      };
      const r = await soak(server, api, work, restart, {
        calendars: Number(opts['soak-calendars']), events: Number(opts.events), minutes: Number(opts['soak-minutes']), connections: Math.max(...CONCURRENCY),
      });
      if (!r.complete || r.errors) process.exitCode = 1;
      return;
    }
    const feed = await createFeed(api, `http://127.0.0.1:${server.port}`, generateFeedFile(work, Number(opts.events)));
    let polls = 2; // createFeed's two GETs
    const nginx = await startNginx(join(work, 'nginx'), feed.identity, feed.gzip);
    const nginxEtag = String((await fetchRaw(nginx.fair, 'GET', {})).headers.etag);
    type Measured = WrkResult & { cpuUs: number };
    const results: Record<string, Record<string, { calcast: Measured; nginx: Measured }>> = {};
    const phases: { phase: string; fromUs: number; toUs: number }[] = [];
    let runs = 0;
    for (const c of CONCURRENCY) {
      const rows: string[][] = [['measure', 'Calcast req/s', 'p50 / p99', 'CPU µs/req', 'nginx req/s', 'p50 / p99', 'CPU µs/req', 'Calcast / nginx req/s', 'nginx / Calcast CPU']];
      results[`c=${c}`] = {};
      for (const m of measures(feed, nginx, nginxEtag).filter((x) => !opts.only || new RegExp(opts.only).test(x.name))) {
        const wrong = [
          ...(await checkAnswer(m.calcast.load.url, m.calcast.load.method, m.calcast.load.headers, m.calcast.want)).map((f) => `Calcast: ${f}`),
          ...(await checkAnswer(m.nginx.load.url, m.nginx.load.method, m.nginx.load.headers, m.nginx.want)).map((f) => `nginx: ${f}`),
        ];
        polls++;
        if (wrong.length) throw new Error(`${m.name}: wrong answers: ${wrong.join('; ')}`);
        await waitForQuiet(QUIET);
        const fromUs = nowUs();
        const calcast = cpuPerRequestUs([server.child.pid!], () => wrk(m.calcast.load, c, SECONDS));
        phases.push({ phase: `c=${c}: ${m.name}`, fromUs, toUs: nowUs() });
        await waitForQuiet(QUIET);
        const peer = cpuPerRequestUs(nginx.pids, () => wrk(m.nginx.load, c, SECONDS));
        if (calcast.non2xx3xx || peer.non2xx3xx) throw new Error(`${m.name}: error answers (${calcast.non2xx3xx} / ${peer.non2xx3xx})`);
        polls += calcast.requests;
        runs++;
        results[`c=${c}`]![m.name] = { calcast, nginx: peer };
        rows.push([m.name, fmt(calcast.rps), `${fmt(calcast.p50, 2)} / ${fmt(calcast.p99, 2)} ms`, fmt(calcast.cpuUs, 1), fmt(peer.rps),
          `${fmt(peer.p50, 2)} / ${fmt(peer.p99, 2)} ms`, fmt(peer.cpuUs, 1), fmt(calcast.rps / peer.rps, 2), fmt(peer.cpuUs / calcast.cpuUs, 2)]);
      }
      console.log(`\nc=${c}:`);
      printTable(rows);
    }
    await nginx.stop();

    // Every poll is a sync: the subscribers' counts must account for all of them (wrk does not
    // count the few requests still in flight when it stops, hence the tolerance).
    await new Promise((r) => setTimeout(r, 1500));
    const logged = await syncCount(api, feed.calendarId);
    const complete = logged >= polls && logged <= polls + runs * Math.max(...CONCURRENCY);
    await stopServer(server);
    const profile = opts.profile ? mainThreadProfile(opts.profile) : null;
    if (profile) for (const summary of summarizeProfile(profile, phases)) printSummary(summary);

    const perSyncUs = await perSyncWriteUs(join(work, 'data', 'calcast.sqlite'), feed.calendarId);
    const top = `c=${Math.max(...CONCURRENCY)}`;
    const per304Us = results[top]!['shared, 304']?.calcast.cpuUs ?? NaN;
    console.log(`\nFeed: ${feed.events} events, ${fmt(feed.identity.length / 1024)} KiB identity, ${fmt(feed.gzip.length / 1024)} KiB gzip.`);
    console.log(`Sync log: ${polls} polls made, ${logged} syncs recorded (${complete ? 'complete' : 'INCOMPLETE'}).`);
    console.log(`Writing the log: ${fmt(perSyncUs, 1)} µs per sync (batches of 500); one 304 takes ${fmt(per304Us, 1)} µs of the server's CPU at ${top}.`);
    writeFileSync(new URL('./last-results.json', import.meta.url), JSON.stringify({
      date: new Date().toISOString(), code, seconds: SECONDS, concurrency: CONCURRENCY,
      feed: { events: feed.events, bytes: feed.identity.length, gzipBytes: feed.gzip.length },
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
