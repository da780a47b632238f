import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, `::` expanded (an embedded IPv4 tail included). */
function groups(address: string): string[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
}

/**
 * The network a client address belongs to, as a rate-limit key: its /24 for IPv4 and its /48
 * for IPv6 (one customer's allocation, RFC 6177), so one host cannot dodge the limit by
 * rotating addresses within its own block. IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv4.
 */
export function clientNetwork(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIPv4(plain)) return `${plain.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(plain)) {
    const bare = plain.split('%')[0]!;
    return `${groups(bare).slice(0, 3).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/48`;
  }
  return address;
}
