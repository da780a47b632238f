// Who is an anonymous subscriber? On the shared feed URL nobody identifies themselves, so each
// polling client is recognised by a key derived from what every poll carries. This module is the
// one place that rule lives (DESIGN.md §4). The count it yields is an estimate; personal URLs
// from the subscribe page are the exact one.
//
// The key is HMAC-SHA256(calendar feed key, calendar id | network | client class | agent shape),
// truncated to 128 bits:
//
// - network: the /24 of an IPv4 address or the /48 of an IPv6 one (IPv4-mapped IPv6 counts as
//   IPv4). A whole address would split one phone into many as carriers and privacy extensions
//   rotate the host part (IPv6 temporary addresses change daily inside the /64). The price:
//   two people behind one NAT or prefix, using the same app on the same platform, merge into one.
// - Shared cloud fetchers (`google`, `microsoft_online`) get no network part at all. Google
//   fetches a URL once for every account that added it and from whichever data centre is
//   free, so per IP it would invent a new "subscriber" each time its egress moves while still
//   being one fetch; Exchange Online and the Outlook mobile apps fetch server-side too. They
//   count as one subscriber per calendar and agent shape: a lower bound of the people behind them.
// - agent shape: the User-Agent with every token that contains a digit replaced by `#`.
//   Apple puts the OS version and build in the UA ("iOS/17.4.1 (21E236) dataaccessd/1.0"), and
//   every point release changes both; with versions kept, each update would turn every iPhone
//   into a new subscriber while its old self lingers as "active" for 30 days, doubling the count
//   after each release. What remains (iOS vs iPadOS vs macOS, Thunderbird on Linux vs Windows)
//   still tells apart the apps behind one network.
//
// Stable for 30 days: the key does not depend on time at all, so it stays the same for as long
// as the client keeps its network prefix and app; the active window (CALCAST_ACTIVE_DAYS) then
// decides when a client that went silent stops counting. A client that moves network shows up
// as a new subscriber and its old key turns inactive after the window.
//
// Why HMAC keyed by the feed key rather than a plain hash:
// - keys of different calendars are unrelated, so the same phone following two calendars is not
//   one linkable identifier across owners;
// - nobody holding only a key can test guesses of (prefix, agent): 2^24 IPv4 prefixes times a
//   handful of agents is a trivial search against an unkeyed hash;
// - rotating a calendar's feed key (revoking its public URL) re-keys everyone, which is right:
//   the old URL answers 410 Gone (migrations/0003) and whoever subscribes again is a new subscriber.
// A server-wide secret would need a new setting that can never change or be lost; the feed key
// is already a per-calendar secret of 128+ bits. Changing any part of this rule re-keys every
// anonymous subscriber once (old ones go inactive after the window), so change it deliberately.

import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { ClientClass } from './classify.js';

/** Client classes whose polls come from a provider's shared cloud, not the subscriber's network. */
export const CLOUD_FETCHERS: ReadonlySet<ClientClass> = new Set(['google', 'microsoft_online']);

const MAX_UA_LENGTH = 1024;

/** The eight 16-bit groups of an IPv6 address (embedded dotted IPv4 tail and zone id allowed). */
function ipv6Groups(ip: string): number[] {
  let s = ip.replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = s.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** The network part of an address: IPv4 /24 or IPv6 /48; '' when absent; the raw text if unparsable. */
export function networkPrefix(ip: string | null): string {
  if (ip === null || ip.trim() === '') return '';
  const addr = ip.trim();
  if (isIPv4(addr)) return `v4:${addr.split('.').slice(0, 3).join('.')}`;
  if (!isIPv6(addr)) return `raw:${addr}`;
  const g = ipv6Groups(addr);
  const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
  if (mapped) {
    const [hi = 0, lo = 0] = g.slice(6);
    return `v4:${hi >> 8}.${hi & 0xff}.${lo >> 8}`;
  }
  return `v6:${g.slice(0, 3).map((x) => x.toString(16)).join(':')}`;
}

/** The User-Agent without its volatile parts: every token containing a digit becomes `#`. */
export function agentShape(userAgent: string | undefined | null): string {
  return (userAgent ?? '').slice(0, MAX_UA_LENGTH).replace(/[\w.]*\d[\w.]*/g, '#').replace(/\s+/g, ' ').trim();
}

/**
 * Keys already derived: the same client polls the same calendar for years, and an HMAC plus
 * two regular expressions per poll are a visible share of a 304. A pure function of its
 * inputs, so nothing goes stale; emptied when full to stay bounded.
 */
const MEMO_MAX = 20_000;
const memo = new Map<string, string>();

/** The anonymous subscriber key of a client polling a calendar's shared feed URL. */
export function anonymousKey(
  calendar: { id: string; feedKey: string },
  ip: string | null,
  userAgent: string | undefined,
  client: ClientClass,
): string {
  const input = `${calendar.id}\0${calendar.feedKey}\0${ip ?? ''}\0${client}\0${userAgent ?? ''}`;
  let key = memo.get(input);
  if (key === undefined) {
    if (memo.size >= MEMO_MAX) memo.clear();
    key = deriveKey(calendar, ip, userAgent, client);
    memo.set(input, key);
  }
  return key;
}

function deriveKey(calendar: { id: string; feedKey: string }, ip: string | null, userAgent: string | undefined, client: ClientClass): string {
  const network = CLOUD_FETCHERS.has(client) ? 'cloud' : networkPrefix(ip);
  const message = ['v1', calendar.id, network, client, agentShape(userAgent)].join('\0');
  return createHmac('sha256', calendar.feedKey).update(message).digest().subarray(0, 16).toString('base64url');
}
