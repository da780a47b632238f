import { randomBytes } from 'node:crypto';
import type { Calendar, Store, Subscriber } from '../store/types.js';
import { hashToken } from '../util/secrets.js';

export interface MintedSubscriber {
  subscriber: Subscriber;
  /** The personal URL token: shown once, only its hash is stored. */
  token: string;
  feedUrl: string;
  /** The feed URL with the `webcal:` scheme Apple and Google's `cid=` expect (never `webcals:`). */
  webcalUrl: string;
}

/** The personal feed URLs of a token (DESIGN.md §1: `/feeds/:key/:subscriberToken.ics`). */
export function personalFeedUrls(baseUrl: string, feedKey: string, token: string): { feedUrl: string; webcalUrl: string } {
  const feedUrl = `${baseUrl}/feeds/${feedKey}/${token}.ics`;
  return { feedUrl, webcalUrl: feedUrl.replace(/^https?:/, 'webcal:') };
}

/** Who a personal URL is for, as far as the page or the API call tells. */
export interface MintInput {
  name?: string | null; email?: string | null; client?: string | null;
  country?: string | null; city?: string | null; userAgent?: string | null;
}

/**
 * Mints a personal subscriber URL: one per person and app, so its polls are an exact count.
 * The token carries 192 random bits, so a fast hash is enough to store it (as for API tokens).
 * Callers validate `client` (a class from classify.ts; 'unknown' when absent).
 */
export async function mintPersonalSubscriber(
  store: Store,
  calendar: Calendar,
  baseUrl: string,
  input: MintInput,
): Promise<MintedSubscriber> {
  const token = randomBytes(24).toString('base64url');
  const subscriber = await store.createPersonalSubscriber({
    calendarId: calendar.id,
    tokenHash: hashToken(token),
    client: input.client ?? 'unknown',
    name: input.name ?? null,
    email: input.email ?? null,
    country: input.country ?? null,
    city: input.city ?? null,
    userAgent: input.userAgent ?? null,
  });
  return { subscriber, token, ...personalFeedUrls(baseUrl, calendar.feedKey, token) };
}
