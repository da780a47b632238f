import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawReply } from '../api/client.js';

/**
 * wrk with a Lua script, one thread: for requests with a body (CalDAV REPORTs, API creates)
 * and for runs whose every answer must be accounted for. Used by bench/caldav (c=1, the
 * concurrency its reference figures were taken at) and bench/scale (c=32).
 *
 * Why wrk and not a Node client: a request takes Calcast about 1 ms, and a Node client spends
 * 0.3-0.4 ms of its own on each (event-loop wake-ups, reading 75 KB through streams): that made
 * the client a third of what was timed. wrk spends a few microseconds.
 *
 * wrk's Lua hooks keep what the benches check: the count of answers per status, every reply
 * whose status is not the expected one or whose length differs from the one before (up to KEPT
 * of them), and the whole latency histogram.
 */
export interface WrkRequest {
  port: number;
  method: string;
  path: string;
  /** With `vary`, each `{{n}}` in it becomes the request's number (1, 2, …), so no two bodies are equal. */
  body: string;
  headers: Record<string, string>;
}

export interface WrkOptions {
  /** Connections held open (default 1). */
  connections?: number;
  /** The status every answer should have: other answers are kept for checking (default 207). */
  expect?: number;
  /** Number the body per request (see WrkRequest.body); off by default, as Lua per request costs wrk. */
  vary?: boolean;
  /** With `vary`: each `{{k}}` in the path becomes these in turn, request by request (e.g. calendar ids). */
  keys?: string[];
}

export interface WrkSlice {
  /** Requests completed, and the seconds they took: wrk's Requests/sec is their ratio. */
  requests: number;
  seconds: number;
  /** Each request's latency, ms, from wrk's histogram. */
  lat: number[];
  /** The replies kept for checking: the first, and each that differs from the one before. */
  replies: RawReply[];
  /** Answers per HTTP status (only answers that completed; requests cut off at the end are not in it). */
  statuses: Record<number, number>;
  /** Bytes read, headers included. */
  bytes: number;
  /** Connect, read, write and timeout errors. */
  errors: number;
}

const KEPT = 5;

/** A Lua string literal for an ASCII value (JSON's escapes for quotes and backslashes are Lua's). */
function luaString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`wrk script values must be printable ASCII: ${value}`);
  return JSON.stringify(value);
}

function script(dir: string, req: WrkRequest, expect: number, vary: boolean, keys: string[]): string {
  return [
    // The body is read from a file: it may hold bytes a Lua literal cannot spell.
    `local dir = ${luaString(dir)}`,
    'local f = io.open(dir .. "/body", "rb"); wrk.body = f:read("*a"); f:close()',
    `wrk.method = ${luaString(req.method)}`,
    ...Object.entries(req.headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`),
    ...(vary ? [
      'local template, n = wrk.body, 0',
      `local keys, pathTemplate = { ${keys.map(luaString).join(', ')} }, ${luaString(req.path)}`,
      'request = function()',
      '  n = n + 1',
      '  local path = #keys > 0 and (pathTemplate:gsub("{{k}}", keys[n % #keys + 1])) or nil',
      '  return wrk.format(nil, path, nil, (template:gsub("{{n}}", tostring(n))))',
      'end',
    ] : []),
    // response() runs in the worker thread's Lua state and done() in the main one: the
    // counts cross over through setup()'s thread handles.
    'local threads = {}',
    'setup = function(thread) table.insert(threads, thread) end',
    'statuses = {}',
    'local last, kept = -1, 0',
    'response = function(status, headers, body)',
    '  statuses[status] = (statuses[status] or 0) + 1',
    `  if kept < ${KEPT} and (status ~= ${expect} or #body ~= last) then`,
    '    kept = kept + 1',
    '    local g = io.open(dir .. "/reply-" .. kept, "wb"); g:write(status, "\\n", body); g:close()',
    '  end',
    '  last = #body',
    'end',
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  local g = io.open(dir .. "/latency", "w")',
    '  g:write(summary.requests, " ", summary.duration, " ", summary.bytes, " ", e.connect + e.read + e.write + e.timeout, "\\n")',
    '  for i = 1, #latency do local v, c = latency(i); g:write(v, " ", c, "\\n") end',
    '  g:close()',
    '  local s = io.open(dir .. "/statuses", "w")',
    '  for _, t in ipairs(threads) do for k, v in pairs(t:get("statuses")) do s:write(k, " ", v, "\\n") end end',
    '  s:close()',
    'end',
    '',
  ].join('\n');
}

/** wrk on `req` for `seconds` (whole seconds: wrk's -d has no finer unit). */
export async function wrkSlice(req: WrkRequest, seconds: number, tmp: string, options: WrkOptions = {}): Promise<WrkSlice> {
  const { connections = 1, expect = 207, vary = false, keys = [] } = options;
  const dir = mkdtempSync(join(tmp, 'wrk-'));
  try {
    writeFileSync(join(dir, 'body'), req.body);
    writeFileSync(join(dir, 'script.lua'), script(dir, req, expect, vary, keys));
    // Asynchronous, so that the servers' output pipes keep being drained meanwhile.
    await new Promise<void>((resolve, reject) => {
      execFile('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '-s', join(dir, 'script.lua'), `http://127.0.0.1:${req.port}${req.path.replace('{{k}}', keys[0] ?? '')}`],
        (err, _out, stderr) => (err ? reject(new Error(`wrk failed: ${err.message} ${stderr}`)) : resolve()));
    });
    const [head = '', ...rows] = readFileSync(join(dir, 'latency'), 'utf8').trim().split('\n');
    const [requests = 0, us = 0, bytes = 0, errors = 0] = head.split(' ').map(Number);
    const lat: number[] = [];
    for (const row of rows) {
      const [us = 0, count = 0] = row.split(' ').map(Number);
      for (let i = 0; i < count; i++) lat.push(us / 1000);
    }
    const statuses: Record<number, number> = {};
    for (const row of readFileSync(join(dir, 'statuses'), 'utf8').split('\n').filter(Boolean)) {
      const [status = 0, count = 0] = row.split(' ').map(Number);
      statuses[status] = (statuses[status] ?? 0) + count;
    }
    const replies: RawReply[] = [];
    for (let k = 1; k <= KEPT && existsSync(join(dir, `reply-${k}`)); k++) {
      const raw = readFileSync(join(dir, `reply-${k}`));
      const nl = raw.indexOf(10);
      replies.push({ status: Number(raw.toString('latin1', 0, nl)), bytes: raw.subarray(nl + 1) });
    }
    return { requests, seconds: us / 1e6, lat, replies, statuses, bytes, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
