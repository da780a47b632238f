/**
 * A HEAD load for one URL, printing a WrkResult as JSON: wrk's response parser waits for the
 * body a HEAD answer's Content-Length announces, so wrk cannot measure HEAD. Keep-alive
 * node:http, `connections` requests in flight, run by wrk.ts on the client's core.
 *
 *   tsx bench/feeds/head-load.ts URL CONNECTIONS SECONDS [HEADER:VALUE…]
 */
import { Agent, request } from 'node:http';

const [url, connections, seconds, ...headerArgs] = process.argv.slice(2);
const headers = Object.fromEntries(headerArgs.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1).trim()]));
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const latencies: number[] = [];
let bad = 0;
const end = performance.now() + Number(seconds) * 1000;

const once = () => new Promise<void>((resolve, reject) => {
  const t0 = performance.now();
  const req = request(url!, { method: 'HEAD', agent, headers }, (res) => {
    res.resume();
    res.on('end', () => {
      if (res.statusCode! >= 400) bad++;
      latencies.push(performance.now() - t0);
      resolve();
    });
  });
  req.on('error', reject);
  req.end();
});

const t0 = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, async () => {
  while (performance.now() < end) await once();
}));
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
agent.destroy();
console.log(JSON.stringify({ requests: latencies.length, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), non2xx3xx: bad }));
