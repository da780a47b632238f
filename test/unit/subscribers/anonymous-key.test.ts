import { describe, expect, it } from 'vitest';
import { agentShape, anonymousKey, networkPrefix } from '../../../src/subscribers/anonymous-key.js';
import { classifyClient } from '../../../src/subscribers/classify.js';

const cal = { id: 'cal1', feedKey: 'feed-key-0123456789abcdefgh' };
const other = { id: 'cal2', feedKey: 'feed-key-zyxwvutsrqponmlkji' };
const key = (ip: string | null, ua: string | undefined, c = cal) => anonymousKey(c, ip, ua, classifyClient(ua));

const IOS_17_4 = 'iOS/17.4 (21E219) dataaccessd/1.0';
const IOS_17_5 = 'iOS/17.5.1 (21F90) dataaccessd/1.0';
const MACOS = 'macOS/14.4 (23E214) CalendarAgent/988';
const TB_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0';
const TB_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0';

describe('networkPrefix', () => {
  it('keeps the /24 of IPv4 and the /48 of IPv6', () => {
    expect(networkPrefix('203.0.113.77')).toBe('v4:203.0.113');
    expect(networkPrefix('2001:db8:abcd:12::1')).toBe('v6:2001:db8:abcd');
    expect(networkPrefix('2001:0db8:abcd:0012:0000:0000:0000:0001')).toBe('v6:2001:db8:abcd');
    expect(networkPrefix('2001:db8::1')).toBe('v6:2001:db8:0');
    expect(networkPrefix('fe80::1%eth0')).toBe('v6:fe80:0:0');
  });

  it('reads IPv4-mapped IPv6 as IPv4, dotted or hex', () => {
    expect(networkPrefix('::ffff:203.0.113.77')).toBe('v4:203.0.113');
    expect(networkPrefix('::FFFF:cb00:714d')).toBe('v4:203.0.113');
  });

  it('tells absent and unparsable addresses apart', () => {
    expect(networkPrefix(null)).toBe('');
    expect(networkPrefix('')).toBe('');
    expect(networkPrefix('unknown')).toBe('raw:unknown');
  });
});

describe('agentShape', () => {
  it('drops versions and builds so an OS update keeps the shape', () => {
    expect(agentShape(IOS_17_4)).toBe('iOS/# (#) dataaccessd/#');
    expect(agentShape(IOS_17_5)).toBe(agentShape(IOS_17_4));
    expect(agentShape(undefined)).toBe('');
  });

  it('keeps what tells apps apart on one network', () => {
    expect(agentShape(IOS_17_4)).not.toBe(agentShape(MACOS));
    expect(agentShape(IOS_17_4)).not.toBe(agentShape('iPadOS/17.4 (21E219) dataaccessd/1.0'));
    expect(agentShape(TB_LINUX)).not.toBe(agentShape(TB_WINDOWS));
  });
});

describe('anonymousKey', () => {
  it('is deterministic, URL-safe and 128 bits', () => {
    const k = key('203.0.113.7', IOS_17_4);
    expect(k).toBe(key('203.0.113.7', IOS_17_4));
    expect(k).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('survives an iOS update and a new address in the same /24', () => {
    expect(key('203.0.113.200', IOS_17_5)).toBe(key('203.0.113.7', IOS_17_4));
  });

  it('survives an IPv6 privacy-address change inside the /48', () => {
    expect(key('2001:db8:abcd:12:a::1', IOS_17_4)).toBe(key('2001:db8:abcd:99:b::2', IOS_17_4));
  });

  it('treats the mapped and plain forms of one IPv4 address as one client', () => {
    expect(key('::ffff:203.0.113.7', MACOS)).toBe(key('203.0.113.7', MACOS));
  });

  it('separates other networks, other apps and other calendars', () => {
    const base = key('203.0.113.7', IOS_17_4);
    expect(key('203.0.114.7', IOS_17_4)).not.toBe(base);
    expect(key('203.0.113.7', MACOS)).not.toBe(base);
    expect(key('203.0.113.7', TB_LINUX)).not.toBe(key('203.0.113.7', TB_WINDOWS));
    expect(key('203.0.113.7', IOS_17_4, other)).not.toBe(base);
  });

  it('re-keys everyone when the feed key is rotated', () => {
    expect(key('203.0.113.7', IOS_17_4, { ...cal, feedKey: 'rotated-key-0123456789abcd' })).not.toBe(
      key('203.0.113.7', IOS_17_4),
    );
  });

  it('ignores the address of shared cloud fetchers (Google, Microsoft)', () => {
    const google = 'Google-Calendar-Importer';
    expect(key('66.249.64.1', google)).toBe(key('74.125.0.9', google));
    expect(key('2001:4860:4801::1', google)).toBe(key(null, google));
    const exchange = 'Microsoft Exchange/15.20 (Windows NT 10.0; Microsoft Exchange Web Services (ExchangeServicesClient/15.20.7))';
    expect(classifyClient(exchange)).toBe('microsoft_online');
    expect(key('40.107.1.1', exchange)).toBe(key('52.96.2.2', exchange));
    // ... but still per calendar
    expect(key('66.249.64.1', google, other)).not.toBe(key('66.249.64.1', google));
  });

  it('keys an unknown or missing agent too (served, never refused)', () => {
    expect(key('198.51.100.1', undefined)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(key('198.51.100.1', undefined)).not.toBe(key('198.51.100.1', 'curl/8.5.0'));
  });
});
