import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../api/harness.js';
import { runNginx } from '../lib/nginx.js';
import { SERVER_CORE } from './setup.js';

export interface Nginx { fair: string; onTheFly: string; pids: number[]; stop: () => Promise<void> }

/**
 * One nginx worker on the server's core with two sites over the same files. `fair` is how a
 * feed host configures a static feed: sendfile from the page cache, tcp_nopush, and
 * gzip_static answering the pre-compressed copy (Calcast's own gzip bytes, so the level is
 * the same). `onTheFly` compresses every response, as the old ceiling did; kept as a label.
 */
export async function startNginx(root: string, identity: Buffer, gzip: Buffer): Promise<Nginx> {
  const [fair, fly] = [await freePort(), await freePort()];
  mkdirSync(join(root, 'www'), { recursive: true });
  writeFileSync(join(root, 'www', 'feed.ics'), identity);
  writeFileSync(join(root, 'www', 'feed.ics.gz'), gzip);
  const servers = `  etag on; gzip_types text/calendar; gzip_min_length 0; gzip_vary on;
  server { listen 127.0.0.1:${fair}; root ${root}/www; sendfile on; tcp_nopush on; gzip off; gzip_static on; }
  server { listen 127.0.0.1:${fly}; root ${root}/www; sendfile off; gzip on; gzip_comp_level 6; }`;
  const nginx = await runNginx(root, servers, fair, async (p) => (await fetch(`http://127.0.0.1:${p}/feed.ics`)).status === 200,
    { cpus: SERVER_CORE, workers: '1' });
  return { fair: `http://127.0.0.1:${fair}/feed.ics`, onTheFly: `http://127.0.0.1:${fly}/feed.ics`, ...nginx };
}
