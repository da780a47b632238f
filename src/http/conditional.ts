import { DomainError } from '../calendar/errors.js';
import type { Expected } from '../calendar/expected.js';

/**
 * Conditional requests, decided in one place for feeds, DAV GET and every write (RFC 9110
 * §13). Reads compare weakly: a gzip and an identity body are one representation. Writes
 * compare strongly (§13.1.1): If-Match names the exact stored version.
 */

const tagsOf = (header: string) => header.split(',').map((t) => t.trim()).filter(Boolean);
const opaque = (tag: string) => tag.replace(/^W\//, '');

/** Weak comparison: W/"x" matches "x"; `*` matches any current representation. */
function weakMatch(header: string, etag: string): boolean {
  const mine = opaque(etag);
  return tagsOf(header).some((tag) => tag === '*' || opaque(tag) === mine);
}

/**
 * A GET or HEAD whose copy is current (304): If-None-Match decides when present; only without
 * it does If-Modified-Since count (§13.2.2). Koa's ctx.fresh answers "stale" whenever the
 * request says Cache-Control: no-cache, which Thunderbird and Node's fetch always send, so it
 * is not used: every poll would re-download the feed.
 */
export function notModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, etag: string, lastModified?: number): boolean {
  if (headers.ifNoneMatch) return weakMatch(headers.ifNoneMatch, etag);
  if (headers.ifModifiedSince && lastModified !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    // HTTP dates have one-second resolution.
    return Number.isFinite(since) && Math.floor(lastModified / 1000) * 1000 <= since;
  }
  return false;
}

/**
 * What a write's preconditions expect of the stored resource, whose ETag is `current` (bare,
 * as stored; null when absent). If-None-Match: * expects no resource (§13.1.2); If-Match
 * expects the version it names, compared strongly, so a weak tag never matches (§13.1.1).
 * Undefined when the request states no condition.
 */
export function writeExpectation(headers: { ifMatch?: string; ifNoneMatch?: string }, current: string | null): Expected | undefined {
  if (headers.ifNoneMatch?.trim() === '*') return { etag: null, source: 'if-match' };
  if (!headers.ifMatch) return undefined;
  const tags = tagsOf(headers.ifMatch);
  const matches = current !== null && tags.some((tag) => tag === '*' || tag === `"${current}"`);
  if (!matches) throw new DomainError('precondition-failed', 'the resource is not the version named in If-Match');
  return { etag: current, source: 'if-match' };
}

/** The read conditions a Koa request carries. */
export const readConditions = (ctx: { get(name: string): string }) => ({
  ifNoneMatch: ctx.get('if-none-match'), ifModifiedSince: ctx.get('if-modified-since'),
});

/** The write conditions a Koa request carries. */
export const conditionHeaders = (ctx: { get(name: string): string }) => ({
  ifMatch: ctx.get('if-match'), ifNoneMatch: ctx.get('if-none-match'),
});
