import { join } from 'node:path';
import { ApiClient } from '../api/client.js';
import { ADMIN_TOKEN, freePort, startServer, stopServer, type RunningServer } from '../api/harness.js';
import { runNginx, type NginxProcess } from '../lib/nginx.js';
import type { Cluster } from './postgres.js';

/**
 * The four setups, each over a fresh store: (a) one Calcast on SQLite; (b) one on PostgreSQL,
 * direct; (b') the same behind nginx, so the proxy hop is not counted as scaling; (c) two on
 * the same PostgreSQL database behind that nginx. Nothing is pinned: the OS places the
 * processes on the two cores, as it would on an operator's box.
 */
export type SetupId = 'sqlite' | 'pg' | 'pg-nginx' | 'pg2-nginx';
export const SETUPS: { id: SetupId; title: string; postgres: boolean; instances: number; nginx: boolean }[] = [
  { id: 'sqlite', title: '1× SQLite', postgres: false, instances: 1, nginx: false },
  { id: 'pg', title: '1× PG', postgres: true, instances: 1, nginx: false },
  { id: 'pg-nginx', title: '1× PG + nginx', postgres: true, instances: 1, nginx: true },
  { id: 'pg2-nginx', title: '2× PG + nginx', postgres: true, instances: 2, nginx: true },
];

export interface RunningSetup {
  id: SetupId;
  /** Where the load goes: the instance, or nginx. */
  port: number;
  /** Talks to the first instance directly (data set-up and checks). */
  api: ApiClient;
  instances: RunningServer[];
  nginx: NginxProcess | null;
  stop: () => Promise<void>;
}

/** ready() answers before the admin exists (main.ts listens first): wait for its token to work. */
async function adminReady(api: ApiClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await api.request('GET', '/api/v1/tokens')).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the admin token never worked');
}

/**
 * nginx as an operator puts it in front of several instances: one upstream, HTTP/1.1 with
 * keep-alive to the instances, and an upstream idle timeout under Node's 5 s keepAliveTimeout
 * (else nginx may reuse a connection the instance is closing; a POST is not retried: 502).
 * Client keep-alive is raised from nginx's 1,000 requests a connection so that the proxy's
 * clients reconnect no more than Node's.
 */
function proxyConfig(listen: number, upstreams: number[]): string {
  return `  upstream calcast { ${upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ')} keepalive 32; keepalive_timeout 4s; keepalive_requests 100000; }
  server { listen 127.0.0.1:${listen}; keepalive_requests 100000; client_max_body_size 10m;
    location / { proxy_pass http://calcast; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $remote_addr; proxy_buffers 32 8k; } }`;
}

export async function startSetup(
  id: SetupId, work: string, cluster: Cluster | null, env: NodeJS.ProcessEnv, nginxWorkers: string,
): Promise<RunningSetup> {
  const def = SETUPS.find((s) => s.id === id)!;
  const dir = join(work, id);
  const url = def.postgres ? await cluster!.createDatabase(`bench_${id.replace(/-/g, '_')}`) : null;
  const serverEnv = { ...env, ...(url ? { CALCAST_DATABASE_URL: url } : {}) };
  const instances: RunningServer[] = [];
  let nginx: NginxProcess | null = null;
  let api: ApiClient | null = null;
  const stop = async () => {
    api?.close();
    await nginx?.stop();
    await Promise.all(instances.map(stopServer));
  };
  try {
    // The first instance migrates and creates the admin; the second then finds both done.
    instances.push(await startServer(join(dir, 'a'), null, serverEnv));
    api = new ApiClient('127.0.0.1', instances[0]!.port, ADMIN_TOKEN, 4);
    await adminReady(api);
    if (def.instances === 2) instances.push(await startServer(join(dir, 'b'), null, serverEnv));
    let port = instances[0]!.port;
    if (def.nginx) {
      port = await freePort();
      nginx = await runNginx(join(dir, 'nginx'), proxyConfig(port, instances.map((s) => s.port)), port,
        async (p) => (await fetch(`http://127.0.0.1:${p}/api/v1/timezones`)).status === 200, { cpus: null, workers: nginxWorkers });
    }
    return { id, port, api, instances, nginx, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
