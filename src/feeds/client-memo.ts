import { classifyClient, type ClientClass } from '../subscribers/classify.js';

/**
 * classifyClient by User-Agent, remembered: a pollers' population is a few dozen distinct
 * agents, and the rule table is a dozen regular expressions per poll. A pure function of the
 * string, so nothing goes stale; the table is emptied when full to stay bounded.
 */
const MAX = 2_000;
const known = new Map<string, ClientClass>();

export function clientOf(userAgent: string | null): ClientClass {
  if (userAgent === null) return classifyClient(undefined);
  let client = known.get(userAgent);
  if (client === undefined) {
    if (known.size >= MAX) known.clear();
    client = classifyClient(userAgent);
    known.set(userAgent, client);
  }
  return client;
}
