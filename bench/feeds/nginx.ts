import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, spawnServer } from '../api/harness.js';
import { childrenOf } from './cpu.js';
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
  mkdirSync(join(root, 'tmp'), { recursive: true });
  writeFileSync(join(root, 'www', 'feed.ics'), identity);
  writeFileSync(join(root, 'www', 'feed.ics.gz'), gzip);
  const conf = join(root, 'nginx.conf');
  writeFileSync(conf, `worker_processes 1; daemon off; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 1024; }
http { access_log off; default_type text/calendar; etag on; gzip_types text/calendar; gzip_min_length 0; gzip_vary on;
  client_body_temp_path ${root}/tmp; proxy_temp_path ${root}/tmp; fastcgi_temp_path ${root}/tmp; uwsgi_temp_path ${root}/tmp; scgi_temp_path ${root}/tmp;
  server { listen 127.0.0.1:${fair}; root ${root}/www; sendfile on; tcp_nopush on; gzip off; gzip_static on; }
  server { listen 127.0.0.1:${fly}; root ${root}/www; sendfile off; gzip on; gzip_comp_level 6; } }\n`);
  // nginx's workers run as an unprivileged user; mkdtemp folders are private to their owner.
  execFileSync('chmod', ['-R', 'a+rX', root]);
  execFileSync('chmod', ['a+x', dirname(root)]);
  const server = await spawnServer('nginx', 'taskset', ['-c', SERVER_CORE, 'nginx', '-c', conf, '-p', root], { port: fair },
    async (p) => (await fetch(`http://127.0.0.1:${p}/feed.ics`)).status === 200);
  return {
    fair: `http://127.0.0.1:${fair}/feed.ics`,
    onTheFly: `http://127.0.0.1:${fly}/feed.ics`,
    pids: [server.child.pid!, ...childrenOf(server.child.pid!)],
    stop: async () => {
      // taskset execs nginx, so the child is the master; QUIT lets the worker finish.
      server.child.kill('SIGQUIT');
      if (server.child.exitCode === null) await new Promise((r) => server.child.once('exit', r));
    },
  };
}
