import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { MailSettings } from './mail/worker.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** PostgreSQL connection URL (CALCAST_DATABASE_URL); when set it replaces the SQLite file. */
  databaseUrl: string | null;
  /** Most PostgreSQL connections one instance holds (CALCAST_DB_POOL). */
  dbPoolSize: number;
  baseUrl: string;
  adminUser: string;
  adminPassword: string | undefined;
  adminToken: string | undefined;
  /** A subscriber is active when it synced within this many days. */
  activeDays: number;
  /** A dashboard login lasts this many days. */
  sessionDays: number;
  /** Raw sync-log rows are kept this many days (never fewer than activeDays); rollups forever. */
  syncLogDays: number;
  /** Status for blocked or deleted personal URLs: 200 with an empty "Calendar disabled" calendar, or 410. */
  disabledFeedStatus: 200 | 410;
  /** gzip feeds for Microsoft's fetchers too (some Exchange versions mishandle it). */
  gzipMicrosoft: boolean;
  /** Bytes the feed render cache may hold (identity + gzip of each rendered feed). */
  feedCacheBytes: number;
  /** The create-calendar dialect also stores each event in the token owner's main calendar. */
  createCalendarSave: boolean;
  /** Invitations by e-mail (iMIP); null when CALCAST_SMTP_URL is not set, and none are sent. */
  mail: MailSettings | null;
  /** Most instances one calendar object may expand to in a DAV report (RFC 4791 §5.2.6 max-instances). */
  davMaxInstances: number;
  /** Largest DAV report answer in bytes; a larger one is refused with a precondition. */
  davMaxResponseBytes: number;
  /** Requests per minute per client network (/24, /48) on the public DAV view; 0 turns it off. */
  publicDavRate: number;
  /** A new user gets a calendar titled "Calendar", as CalDAV clients expect on first connect. */
  defaultCalendar: boolean;
}

/** A bad setting: start-up stops with this one-line message, which names the variable. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function port(env: Env): number {
  const raw = env.PORT ?? '8080';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 0 || n > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535, got "${raw}"`);
  return n;
}

/** A host name's labels (RFC 1123 §2.1); a last label of digits only makes it an IPv4 address to URL parsers. */
const HOST_NAME = /^(?!.*\.\d+$)(?!\d+$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

function host(env: Env): string {
  const raw = env.HOST || '127.0.0.1';
  if (isIP(raw) === 0 && !(raw.length <= 253 && HOST_NAME.test(raw))) {
    throw new ConfigError(`HOST must be an IP address or a host name, got "${raw}"`);
  }
  return raw;
}

function baseUrl(env: Env, host: string, p: number): string {
  const raw = env.CALCAST_BASE_URL;
  if (raw === undefined || raw === '') {
    // An unspecified bind address is not a usable link target.
    const linkHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    const link = `http://${linkHost}:${p}`;
    // An IPv6 address with a zone (fe80::1%eth0) binds, but is no URL host (RFC 6874 needs %25).
    if (!URL.canParse(link)) throw new ConfigError(`HOST "${host}" cannot be used in links; set CALCAST_BASE_URL`);
    return link;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`CALCAST_BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash) {
    throw new ConfigError(`CALCAST_BASE_URL must be an http(s) origin with an optional path, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

function adminUser(env: Env): string {
  const name = env.CALCAST_ADMIN_USER ?? 'admin';
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
    throw new ConfigError('CALCAST_ADMIN_USER must be 1-64 letters, digits or . _ @ -');
  }
  return name;
}

function optionalSecret(env: Env, name: string, minLength: number): string | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (v.length < minLength) throw new ConfigError(`${name} must be at least ${minLength} characters`);
  return v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function choice<T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!options.includes(raw as T)) throw new ConfigError(`${name} must be one of ${options.join(', ')}, got "${raw}"`);
  return raw as T;
}

/**
 * Why `raw` is not a postgres://user:pass@host:port/db URL (libpq's URI form, which `pg`
 * reads), naming it as `name`; null when it is one. The message hides any password.
 */
export function postgresUrlProblem(name: string, raw: string): string | null {
  if (URL.canParse(raw) && /^postgres(ql)?:$/.test(new URL(raw).protocol)) return null;
  return `${name} must be postgres://user:password@host:port/database, got "${raw.replace(/\/\/[^@/]*@/, '//…@')}"`;
}

/** SQLite when unset. */
function databaseUrl(env: Env): string | null {
  const raw = env.CALCAST_DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  const problem = postgresUrlProblem('CALCAST_DATABASE_URL', raw);
  if (problem) throw new ConfigError(problem);
  return raw;
}

function mail(env: Env): MailSettings | null {
  const smtpUrl = env.CALCAST_SMTP_URL;
  if (!smtpUrl) return null;
  if (!URL.canParse(smtpUrl) || !/^smtps?:$/.test(new URL(smtpUrl).protocol)) {
    throw new ConfigError(`CALCAST_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…, got "${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}"`);
  }
  const from = env.CALCAST_MAIL_FROM ?? '';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from)) throw new ConfigError('CALCAST_MAIL_FROM must be an e-mail address when CALCAST_SMTP_URL is set');
  return {
    smtpUrl, from,
    retryBaseMs: integer(env, 'CALCAST_MAIL_RETRY_SECONDS', 60, 1, 86_400) * 1000,
    maxAttempts: integer(env, 'CALCAST_MAIL_MAX_ATTEMPTS', 8, 1, 50),
    timeoutMs: integer(env, 'CALCAST_SMTP_TIMEOUT_SECONDS', 30, 1, 600) * 1000,
  };
}

export function loadConfig(env: Env = process.env): Config {
  const h = host(env);
  const p = port(env);
  const dataDir = resolve(env.CALCAST_DATA_DIR || './data');
  const activeDays = integer(env, 'CALCAST_ACTIVE_DAYS', 30, 1, 365);
  return {
    port: p,
    host: h,
    dataDir,
    databaseFile: resolve(dataDir, 'calcast.sqlite'),
    databaseUrl: databaseUrl(env),
    // Ten connections keep two cores busy (most statements take well under a millisecond);
    // PostgreSQL's default max_connections of 100 then fits about nine instances.
    dbPoolSize: integer(env, 'CALCAST_DB_POOL', 10, 1, 1000),
    baseUrl: baseUrl(env, h, p),
    adminUser: adminUser(env),
    adminPassword: optionalSecret(env, 'CALCAST_ADMIN_PASSWORD', 8),
    adminToken: optionalSecret(env, 'CALCAST_ADMIN_TOKEN', 24),
    activeDays,
    sessionDays: integer(env, 'CALCAST_SESSION_DAYS', 7, 1, 365),
    syncLogDays: integer(env, 'CALCAST_SYNC_LOG_DAYS', Math.max(35, activeDays), activeDays, 3650),
    disabledFeedStatus: Number(choice(env, 'CALCAST_DISABLED_FEED_STATUS', ['200', '410'], '200')) as 200 | 410,
    gzipMicrosoft: choice(env, 'CALCAST_FEED_GZIP_MICROSOFT', ['on', 'off'], 'on') === 'on',
    feedCacheBytes: integer(env, 'CALCAST_FEED_CACHE_MB', 32, 1, 65_536) * 1024 * 1024,
    createCalendarSave: choice(env, 'CALCAST_CREATECALENDAR_SAVE', ['on', 'off'], 'off') === 'on',
    mail: mail(env),
    davMaxInstances: integer(env, 'CALCAST_DAV_MAX_INSTANCES', 10_000, 1, 100_000),
    davMaxResponseBytes: integer(env, 'CALCAST_DAV_MAX_RESPONSE_BYTES', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    publicDavRate: integer(env, 'CALCAST_PUBLIC_DAV_RATE', 60, 0, 100_000),
    defaultCalendar: choice(env, 'CALCAST_DEFAULT_CALENDAR', ['on', 'off'], 'on') === 'on',
  };
}
