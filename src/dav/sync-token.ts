import { HttpError } from '../errors.js';
import type { Calendar } from '../store/types.js';
import { DAV, clark } from '../xml/namespaces.js';

/**
 * RFC 6578 sync tokens are URIs. Ours name the calendar and its change counter, so a token
 * from another collection, or one from the future, is recognisably invalid.
 */
export function syncTokenOf(calendar: Pick<Calendar, 'id' | 'syncToken'>, token = calendar.syncToken): string {
  return `urn:calcast:sync:${calendar.id}:${token}`;
}

const invalidToken = () =>
  new HttpError(403, 'FORBIDDEN', 'the sync token is not valid for this collection', { precondition: clark(DAV, 'valid-sync-token') });

/** The change counter a client's token stands for; an empty token means "from the start". */
export function parseSyncToken(calendar: Pick<Calendar, 'id' | 'syncToken'>, token: string): number {
  const text = token.trim();
  if (text === '') return 0;
  const prefix = `urn:calcast:sync:${calendar.id}:`;
  if (!text.startsWith(prefix)) throw invalidToken();
  const n = Number(text.slice(prefix.length));
  if (!Number.isInteger(n) || n < 0 || n > calendar.syncToken) throw invalidToken();
  return n;
}

/** A collection's ETag: it changes with every write to the calendar or its properties. */
export function collectionEtag(calendar: Pick<Calendar, 'syncToken' | 'updatedAt'>): string {
  return `"${calendar.syncToken}-${calendar.updatedAt}"`;
}
