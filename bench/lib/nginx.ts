import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnServer } from '../api/harness.js';
import { childrenOf } from './cpu.js';

export interface NginxProcess { pids: number[]; stop: () => Promise<void> }

/**
 * nginx in the foreground over `root` (config, pid, logs and temp files there), with the given
 * `server { … }` blocks inside its http block; resolves once `ready()` says it answers.
 * `cpus` pins it with taskset (null: anywhere); `workers` is worker_processes ("auto" or a count).
 */
export async function runNginx(
  root: string, servers: string, port: number, ready: (port: number) => Promise<boolean>,
  options: { cpus: string | null; workers: string },
): Promise<NginxProcess> {
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const conf = join(root, 'nginx.conf');
  writeFileSync(conf, `worker_processes ${options.workers}; daemon off; pid ${root}/nginx.pid; error_log ${root}/error.log;
events { worker_connections 1024; }
http { access_log off; default_type text/calendar;
  client_body_temp_path ${root}/tmp; proxy_temp_path ${root}/tmp; fastcgi_temp_path ${root}/tmp; uwsgi_temp_path ${root}/tmp; scgi_temp_path ${root}/tmp;
${servers} }\n`);
  // nginx's workers run as an unprivileged user; mkdtemp folders are private to their owner.
  execFileSync('chmod', ['-R', 'a+rX', root]);
  execFileSync('chmod', ['a+x', dirname(root)]);
  const [command, args] = options.cpus === null ? ['nginx', []] : ['taskset', ['-c', options.cpus, 'nginx']];
  const server = await spawnServer('nginx', command, [...args, '-c', conf, '-p', root], { port }, ready);
  return {
    pids: [server.child.pid!, ...childrenOf(server.child.pid!)],
    stop: async () => {
      // taskset execs nginx, so the child is the master; QUIT lets the workers finish.
      if (server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGQUIT');
      await new Promise((r) => server.child.once('exit', r));
    },
  };
}
