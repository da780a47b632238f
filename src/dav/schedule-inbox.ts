import { HttpError } from '../errors.js';
import type { InboxItem, Store } from '../store/types.js';
import type { Resource } from './resources.js';

/** The inbox message a request names, or 404. */
export async function inboxItem(store: Store, r: Extract<Resource, { kind: 'inbox-item' }>): Promise<InboxItem> {
  const item = await store.getInboxItem(r.user.id, r.uri);
  if (!item) throw new HttpError(404, 'NOT_FOUND', 'no such scheduling message');
  return item;
}
