import { fileURLToPath } from 'node:url';
import { runOk } from './run.js';

const SCRIPT = fileURLToPath(new URL('./postgres-cluster.sh', import.meta.url));

export interface PrivateCluster {
  /** The cluster's `calcast` database. */
  url: string;
  /** Stops the server (pg_ctl fast mode: clients are disconnected), keeping the data. */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops it for good and removes its folder. */
  remove(): Promise<void>;
}

const script = async (...args: string[]) => (await runOk(SCRIPT, args, { timeoutMs: 90_000 })).stdout;

/**
 * A PostgreSQL cluster of the test's own (postgres-cluster.sh), for a test that stops and
 * starts the server: the shared CALCAST_TEST_DATABASE_URL cluster serves suites running in
 * parallel, which must not see it go away.
 */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  const out = await script('start');
  const value = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(out)?.[1] ?? '';
  const url = value('CALCAST_TEST_DATABASE_URL');
  const dir = value('CALCAST_TEST_PGDATA');
  if (!url || !dir) throw new Error(`postgres-cluster.sh start printed no cluster: ${out}`);
  return {
    url,
    stopServer: async () => void await script('stop-server', dir),
    startServer: async () => void await script('start-server', dir),
    remove: async () => void await script('stop', dir),
  };
}
