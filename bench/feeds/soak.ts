import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../api/client.js';
import { ADMIN_TOKEN, fmt, printTable, type RunningServer } from '../api/harness.js';
import { APPLE, createFeed, generateFeedFile, syncCount, type FeedUnderTest } from './setup.js';
import { CLIENT_CORE } from './wrk.js';

const run = promisify(execFile);

/** The server's resident set, in MiB, from /proc. */
function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * wrk's Lua script for a mixed poll run over every feed: shared and personal URLs in turn,
 * mostly revalidations (304), one poll in 10 a gzip download, one in 50 an identity one, spread
 * over every URL, as a population of subscribers polling many calendars would.
 */
function mixScript(feeds: FeedUnderTest[]): string {
  const paths = feeds.flatMap((f) => [new URL(f.shared).pathname, new URL(f.personal).pathname]);
  const etags = feeds.flatMap((f) => [f.etag, f.etag]);
  const list = (xs: string[]) => `{${xs.map((x) => JSON.stringify(x)).join(',')}}`;
  return `local paths = ${list(paths)}
local etags = ${list(etags)}
local n = 0
request = function()
  n = n + 1
  local i = (n % #paths) + 1
  -- The kind shifts by one on each pass over the URLs, so every URL gets its downloads too
  -- (with n alone, only the URLs at multiples of 10 ever would).
  local k = n + math.floor(n / #paths)
  local h = { ["User-Agent"] = ${JSON.stringify(APPLE)} }
  if k % 10 == 0 then h["Accept-Encoding"] = "gzip"
  elseif k % 50 ~= 1 then h["If-None-Match"] = etags[i]; h["Cache-Control"] = "no-cache" end
  return wrk.format("GET", paths[i], h)
end
`;
}

/**
 * --soak: `calendars` feeds of `events` events, all polled for `minutes` at `connections`,
 * the server's RSS sampled every 5 s. The render cache is bounded by CALCAST_FEED_CACHE_MB
 * (set before the server started); the run shows whether the process stays under it, flat.
 */
export async function soak(
  importer: RunningServer, api: ApiClient, work: string, restart: () => Promise<RunningServer>,
  o: { calendars: number; events: number; minutes: number; connections: number },
) {
  const base = `http://127.0.0.1:${importer.port}`;
  const ics = generateFeedFile(work, o.events);
  const feeds: FeedUnderTest[] = [];
  const t0 = performance.now();
  for (let i = 0; i < o.calendars; i++) feeds.push(await createFeed(api, base, ics, `Soak ${i}`));
  console.log(`${o.calendars} calendars of ${feeds[0]!.events} feed events imported in ${fmt((performance.now() - t0) / 1000)} s; the importing process's RSS ${fmt(rssMiB(importer.child.pid!))} MiB.`);
  // The polls go to a fresh process over the same database, as after any restart: V8 keeps the
  // heap the imports grew, and that is the import's footprint, not the poll path's.
  const server = await restart();
  const pid = server.child.pid!;
  console.log(`Fresh server: RSS ${fmt(rssMiB(pid))} MiB before the first poll.`);
  const script = join(work, 'mix.lua');
  writeFileSync(script, mixScript(feeds));
  const samples: { at: number; rss: number }[] = [];
  const start = performance.now();
  const sampler = setInterval(() => samples.push({ at: (performance.now() - start) / 1000, rss: rssMiB(pid) }), 5000);
  const { stdout } = await run('taskset', ['-c', CLIENT_CORE, 'wrk', '-t1', `-c${o.connections}`, `-d${o.minutes * 60}s`, '-s', script, `http://127.0.0.1:${server.port}`], { encoding: 'utf8' });
  clearInterval(sampler);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  await new Promise((r) => setTimeout(r, 1500));
  let logged = 0;
  const freshApi = new ApiClient('127.0.0.1', server.port, ADMIN_TOKEN, 1);
  for (const f of feeds) logged += await syncCount(freshApi, f.calendarId);
  freshApi.close();
  const made = requests + 2 * o.calendars;
  const complete = logged >= made && logged <= made + o.connections;
  const minute = (m: number) => samples.filter((s) => s.at >= m * 60 && s.at < (m + 1) * 60).map((s) => s.rss);
  const rows = [['minute', 'RSS min', 'RSS max']];
  for (let m = 0; m < o.minutes; m++) {
    const r = minute(m);
    if (r.length) rows.push([String(m + 1), `${fmt(Math.min(...r))} MiB`, `${fmt(Math.max(...r))} MiB`]);
  }
  console.log(`\nMixed polls over ${o.calendars * 2} URLs, c=${o.connections}, ${o.minutes} min: ${requests} polls (${fmt(requests / (o.minutes * 60))}/s), ${errors} errors.`);
  printTable(rows);
  const peak = Math.max(...samples.map((s) => s.rss));
  console.log(`Peak RSS ${fmt(peak)} MiB. Sync log: ${made} polls made, ${logged} recorded (${complete ? 'complete' : 'INCOMPLETE'}).`);
  return { server, requests, errors, samples, peak, complete };
}
