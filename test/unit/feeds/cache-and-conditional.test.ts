import { describe, expect, it } from 'vitest';
import { createFeedCache, packFeed } from '../../../src/feeds/cache.js';
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
  const feed = (n: number) => packFeed('x'.repeat(n), 1);
  it('stays within its byte bound, evicting the least recently used', () => {
    const one = feed(10_000);
    const perEntry = one.identity.length + one.gzip.length;
    const cache = createFeedCache(perEntry * 2 + 10);
    cache.set('a|1', feed(10_000));
    cache.set('b|1', feed(10_000));
    cache.get('a|1');
    cache.set('c|1', feed(10_000));
    expect(cache.get('a|1')).toBeDefined();
    expect(cache.get('b|1')).toBeUndefined();
    expect(cache.get('c|1')).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(perEntry * 2 + 10);
  });

  it('drops every version of a calendar at once', () => {
    const cache = createFeedCache();
    cache.set('cal1|v1', feed(10));
    cache.set('cal1|v2', feed(10));
    cache.set('cal2|v1', feed(10));
    cache.dropCalendar('cal1');
    expect(cache.get('cal1|v1')).toBeUndefined();
    expect(cache.get('cal1|v2')).toBeUndefined();
    expect(cache.get('cal2|v1')).toBeDefined();
  });
});
