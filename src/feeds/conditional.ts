/**
 * Conditional GET evaluated by hand (RFC 9110 §13.1-13.2). Koa's ctx.fresh answers "stale"
 * whenever the request says Cache-Control: no-cache, which Thunderbird and Node's fetch
 * always send, so every poll would re-download the feed (DESIGN.md §5.5).
 */

/** Weak comparison: W/"x" matches "x"; `*` matches any current representation. */
function matchesEtag(header: string, etag: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const mine = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === mine);
}

/**
 * True when the client's copy is current: If-None-Match decides when present; only without
 * it does If-Modified-Since count (RFC 9110 §13.2.2).
 */
export function notModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, etag: string, lastModified: number): boolean {
  if (headers.ifNoneMatch) return matchesEtag(headers.ifNoneMatch, etag);
  if (headers.ifModifiedSince) {
    const since = Date.parse(headers.ifModifiedSince);
    // HTTP dates have one-second resolution.
    return Number.isFinite(since) && Math.floor(lastModified / 1000) * 1000 <= since;
  }
  return false;
}

/** gzip when the client accepts it with a non-zero q (no br/zstd on feeds: DESIGN.md §5.5). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
