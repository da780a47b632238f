import { describe, expect, it } from 'vitest';
import { createFeedCache } from '../../../src/feeds/cache.js';
import { acceptsGzip } from '../../../src/feeds/accept-encoding.js';
import { notModified } from '../../../src/http/conditional.js';

describe('notModified', () => {
  const etag = 'W/"abc"';
  const lm = Date.UTC(2024, 0, 1, 12, 0, 0, 500);
  it.each([
    [{ ifNoneMatch: 'W/"abc"' }, true],
    [{ ifNoneMatch: '"abc"' }, true],
    [{ ifNoneMatch: '"x", W/"abc"' }, true],
    [{ ifNoneMatch: '*' }, true],
    [{ ifNoneMatch: '"x"' }, false],
    [{ ifNoneMatch: '"x"', ifModifiedSince: 'Tue, 02 Jan 2024 00:00:00 GMT' }, false],
    [{ ifModifiedSince: 'Mon, 01 Jan 2024 12:00:00 GMT' }, true],
    [{ ifModifiedSince: 'Mon, 01 Jan 2024 11:59:59 GMT' }, false],
    [{ ifModifiedSince: 'not a date' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(notModified(headers, etag, lm)).toBe(expected);
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true], ['br, zstd', false], ['gzip;q=0', false], ['gzip;q=0.5', true], ['*', true], [undefined, false], ['identity', false],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('the feed cache', () => {
  const text = (n: number) => 'x'.repeat(n);
  it('stays within its byte bound, evicting the least recently used, identity copies first', () => {
    const probe = createFeedCache().set('p|1', text(10_000), 1);
    const gzip = probe.gzip.length;
    // Room for three gzip copies and one identity copy.
    const cache = createFeedCache(3 * gzip + 10_000 + 10);
    cache.set('a|1', text(10_000), 1);
    cache.set('b|1', text(10_000), 1);
    cache.get('a|1');
    cache.set('c|1', text(10_000), 1);
    expect(cache.bytes).toBeLessThanOrEqual(3 * gzip + 10_000 + 10);
    // a's and b's identity copies left, their gzip copies stayed; c's identity is kept.
    expect([cache.get('a|1'), cache.get('b|1'), cache.get('c|1')].every(Boolean)).toBe(true);
    expect(cache.bytes).toBe(3 * gzip + 10_000);
    // An identity copy that left is unzipped again, byte for byte, without a render.
    expect(cache.get('a|1')!.identity().toString()).toBe(text(10_000));
    // A fourth feed pushes out identity copies, its own included, before any gzip copy.
    cache.set('d|1', text(10_000), 1);
    expect(['a|1', 'b|1', 'c|1', 'd|1'].every((k) => cache.get(k))).toBe(true);
    expect(cache.bytes).toBe(4 * gzip);
  });

  it('evicts the least recently used gzip copy once no identity copy is left', () => {
    const gzip = createFeedCache().set('p|1', text(10_000), 1).gzip.length;
    const cache = createFeedCache(2 * gzip);
    cache.set('a|1', text(10_000), 1);
    cache.set('b|1', text(10_000), 1);
    cache.get('a|1');
    cache.set('c|1', text(10_000), 1);
    expect([cache.get('a|1'), cache.get('b|1'), cache.get('c|1')].map(Boolean)).toEqual([true, false, true]);
    expect(cache.bytes).toBe(2 * gzip);
  });

  it('drops every version of a calendar at once', () => {
    const cache = createFeedCache();
    cache.set('cal1|v1', text(10), 1);
    cache.set('cal1|v2', text(10), 1);
    cache.set('cal2|v1', text(10), 1);
    cache.dropCalendar('cal1');
    expect(cache.get('cal1|v1')).toBeUndefined();
    expect(cache.get('cal1|v2')).toBeUndefined();
    expect(cache.get('cal2|v1')).toBeDefined();
    expect(cache.bytes).toBe(cache.get('cal2|v1')!.gzip.length + 10);
  });
});
