import type { Calendar, InboxItem, ObjectHead, Store, User } from '../store/types.js';

/**
 * The DAV namespace (DESIGN.md §1, §6):
 *   /dav/                                  root
 *   /dav/principals/<user>/                principal (RFC 5397 current-user-principal)
 *   /dav/calendars/<user>/                 calendar home (RFC 4791 calendar-home-set)
 *   /dav/calendars/<user>/<slug>/          calendar collection
 *   /dav/calendars/<user>/<slug>/<name>    calendar object
 *   /dav/public/<feed-key>/[<name>]        a published calendar, read-only, no auth
 *   /dav/scheduling/<user>/inbox/[<name>]  schedule inbox and its messages (RFC 6638 §2.2)
 *   /dav/scheduling/<user>/outbox/         schedule outbox (RFC 6638 §2.1), POST free-busy
 * The scheduling collections sit outside the calendar home, so no calendar slug can take their names.
 */
export type Resource =
  | { kind: 'root' }
  | { kind: 'principals' }
  | { kind: 'principal'; user: User }
  | { kind: 'home'; user: User }
  | { kind: 'calendar'; calendar: Calendar; readOnly: boolean }
  | { kind: 'object'; calendar: Calendar; readOnly: boolean; uri: string; head: ObjectHead | null }
  | { kind: 'schedule-inbox'; user: User }
  /** A message in the inbox; `item` is null until a handler reads it. */
  | { kind: 'inbox-item'; user: User; uri: string; item: InboxItem | null }
  | { kind: 'schedule-outbox'; user: User }
  /** A calendar URL that does not exist yet: MKCALENDAR creates it. */
  | { kind: 'new-calendar'; user: User; slug: string };

export const enc = encodeURIComponent;

export const hrefs = {
  root: () => '/dav/',
  principals: () => '/dav/principals/',
  principal: (u: User) => `/dav/principals/${enc(u.username)}/`,
  home: (u: User) => `/dav/calendars/${enc(u.username)}/`,
  calendar: (c: Calendar, username: string | null) =>
    username === null ? `/dav/public/${enc(c.feedKey)}/` : `/dav/calendars/${enc(username)}/${enc(c.slug)}/`,
  object: (c: Calendar, username: string | null, uri: string) => `${hrefs.calendar(c, username)}${enc(uri)}`,
  inbox: (u: User) => `/dav/scheduling/${enc(u.username)}/inbox/`,
  inboxItem: (u: User, uri: string) => `${hrefs.inbox(u)}${enc(uri)}`,
  outbox: (u: User) => `/dav/scheduling/${enc(u.username)}/outbox/`,
};

/** The href of a resource, as clients should see it. */
export function hrefOf(r: Resource, user: User | null): string {
  switch (r.kind) {
    case 'root': return hrefs.root();
    case 'principals': return hrefs.principals();
    case 'principal': return hrefs.principal(r.user);
    case 'home': return hrefs.home(r.user);
    case 'calendar': return hrefs.calendar(r.calendar, r.readOnly ? null : user!.username);
    case 'object': return hrefs.object(r.calendar, r.readOnly ? null : user!.username, r.uri);
    case 'schedule-inbox': return hrefs.inbox(r.user);
    case 'inbox-item': return hrefs.inboxItem(r.user, r.uri);
    case 'schedule-outbox': return hrefs.outbox(r.user);
    case 'new-calendar': return `/dav/calendars/${enc(r.user.username)}/${enc(r.slug)}/`;
  }
}

function segments(path: string): string[] | null {
  try {
    return path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return null; // malformed percent-encoding
  }
}

/** Splits a /dav/public/ path: the key and the member name, if any. */
export function publicPath(path: string): { key: string; uri: string | null } | null {
  const s = segments(path);
  if (!s || s[0] !== 'dav' || s[1] !== 'public' || !s[2] || s.length > 4) return null;
  return { key: s[2], uri: s[3] ?? null };
}

/**
 * Resolves an owner's path (the user is authenticated). Null means 404: another user's
 * resources are indistinguishable from missing ones.
 */
export async function resolveOwned(store: Store, path: string, user: User): Promise<Resource | null> {
  const s = segments(path);
  if (!s || s[0] !== 'dav') return null;
  if (s.length === 1) return { kind: 'root' };
  if (s[1] === 'principals') {
    if (s.length === 2) return { kind: 'principals' };
    return s.length === 3 && s[2] === user.username ? { kind: 'principal', user } : null;
  }
  if (s[1] === 'scheduling' && s[2] === user.username) return schedulingResource(s.slice(3), user);
  if (s[1] !== 'calendars' || s[2] !== user.username) return null;
  if (s.length === 3) return { kind: 'home', user };
  const calendar = await store.getCalendarBySlug(user.id, s[3]!);
  if (s.length === 4) return calendar ? { kind: 'calendar', calendar, readOnly: false } : { kind: 'new-calendar', user, slug: s[3]! };
  if (s.length !== 5 || !calendar) return null;
  return { kind: 'object', calendar, readOnly: false, uri: s[4]!, head: null };
}

function schedulingResource(rest: string[], user: User): Resource | null {
  if (rest.length === 1 && rest[0] === 'outbox') return { kind: 'schedule-outbox', user };
  if (rest[0] !== 'inbox' || rest.length > 2) return null;
  return rest.length === 1 ? { kind: 'schedule-inbox', user } : { kind: 'inbox-item', user, uri: rest[1]!, item: null };
}

/**
 * The resource as the kind the router admitted it as: the method and report tables
 * (allowed-methods.ts, supported-reports.ts) decide which kinds reach a handler, so another
 * kind here is a bug in those tables, not a client error.
 */
export function admitted<K extends Resource['kind']>(resource: Resource, ...kinds: K[]): Extract<Resource, { kind: K }> {
  if (!(kinds as string[]).includes(resource.kind)) throw new Error(`${resource.kind} reached a handler for ${kinds.join(', ')}`);
  return resource as Extract<Resource, { kind: K }>;
}
