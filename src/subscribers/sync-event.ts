import type { Calendar, SyncEvent } from '../store/types.js';
import { anonymousKey } from './anonymous-key.js';
import type { ClientClass } from './classify.js';

/** One answered read of a calendar, as the surface that answered it saw it. */
export interface AnsweredRead {
  surface: SyncEvent['surface'];
  method: string;
  status: number;
  bytes: number;
  userAgent: string | null;
  ip: string | null;
  client: ClientClass;
  at: number;
}

/**
 * The sync a read counts as: a personal URL's own subscriber, or else the anonymous follower
 * its network and app make (anonymous-key.ts), so feed and CalDAV followers count alike.
 */
export function syncOf(calendar: Calendar, read: AnsweredRead, subscriberId: string | null = null): SyncEvent {
  return {
    calendarId: calendar.id, at: read.at, surface: read.surface, method: read.method, status: read.status,
    bytes: read.method === 'HEAD' ? 0 : read.bytes, client: read.client, userAgent: read.userAgent, ip: read.ip,
    subscriber: subscriberId !== null
      ? { id: subscriberId }
      : { anonymousKey: anonymousKey(calendar, read.ip, read.userAgent ?? undefined, read.client) },
  };
}
