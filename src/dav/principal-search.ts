import type { User } from '../store/types.js';
import { CALDAV, DAV, clark } from '../xml/namespaces.js';
import type { XmlNode } from '../xml/write.js';
import { propertyValue, type PropContext } from './live-properties.js';
import type { Resource } from './resources.js';

/**
 * What principal searches may match and return (RFC 3744 §9.4–9.5). Any signed-in user may find
 * any other by name or address, as with sabre/dav's default ACL, so a client can fill in an
 * attendee; what it learns of another user is only these properties (and the href), never their
 * calendar home or privileges.
 */
export const SEARCHABLE: ReadonlyMap<string, string> = new Map([
  [clark(DAV, 'displayname'), 'Display name'],
  [clark(CALDAV, 'calendar-user-address-set'), 'Calendar user address'],
]);
const VISIBLE = new Set([...SEARCHABLE.keys(), clark(DAV, 'principal-URL'), clark(DAV, 'resourcetype')]);

/** The text a search compares: a property's text, or the hrefs it lists. */
function textsOf(node: XmlNode | null): string[] {
  if (!node) return [];
  if (node.text !== undefined) return [node.text];
  return (node.children ?? []).flatMap(textsOf);
}

/** A caseless substring match of every term (allof) or of one (anyof), §9.4. */
export function principalMatches(user: User, terms: { name: string; match: string }[], anyOf: boolean, ctx: PropContext): boolean {
  const r: Resource = { kind: 'principal', user };
  const hit = (t: { name: string; match: string }) => {
    const needle = t.match.toLowerCase();
    return textsOf(propertyValue(t.name, r, ctx)).some((text) => text.toLowerCase().includes(needle));
  };
  return anyOf ? terms.some(hit) : terms.every(hit);
}

/** A requested property of a found principal, or null (404) when it is not visible to others. */
export function principalProperty(name: string, user: User, ctx: PropContext): XmlNode | null {
  if (user.id !== ctx.user?.id && !VISIBLE.has(name)) return null;
  return propertyValue(name, { kind: 'principal', user }, ctx);
}
