import type { Context } from 'koa';
import { HttpError } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** As for XML (xml/parse.ts): no request the API takes nests deeper than a few levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads the request body, refusing a wrong media type (415) and anything over `limit` (413)
 * as soon as the declared or received length passes it, so a large upload is never buffered.
 */
export async function readBody(ctx: Context, mediaTypes: string[], limit = MAX_BODY_BYTES): Promise<Buffer> {
  // A compressed request body is a content coding we do not decode: 415 (RFC 9110 §15.5.16).
  const coding = ctx.get('content-encoding').trim().toLowerCase();
  if (coding !== '' && coding !== 'identity') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${coding} is not accepted; send the body uncompressed`, {
      field: 'Content-Encoding', headers: { 'Accept-Encoding': 'identity' },
    });
  }
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (!mediaTypes.includes(type)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type must be ${mediaTypes.join(' or ')}`, {
      field: 'Content-Type',
    });
  }
  const tooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body must be at most ${limit} bytes`);
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * How deep the JSON text nests, counted on the bytes before parsing (brackets inside strings
 * do not count), so a hostile nesting is refused before anything recurses over it.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * A `\u0000` escape that is not itself escaped (`\\u0000` is a backslash and "u0000"): the only
 * way JSON carries U+0000, since a raw control character is malformed JSON.
 */
const NUL_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/**
 * Refuses a form or query field whose name or value holds U+0000 with a 400 naming it:
 * PostgreSQL's text cannot store it (a 500 there) and SQLite would, so both stores answer alike.
 */
export function refuseNul(pairs: Iterable<[string, string]>): void {
  for (const [name, value] of pairs) {
    if (name.includes('\0') || value.includes('\0')) {
      const field = name.replace(/\0/g, '');
      throw new HttpError(400, 'VALIDATION_FAILED', `${field} holds U+0000, which no text may contain`, { field });
    }
  }
}

export async function readJson(ctx: Context): Promise<unknown> {
  const raw = (await readBody(ctx, ['application/json', 'application/merge-patch+json'])).toString('utf8');
  if (jsonDepth(raw) > MAX_JSON_DEPTH) {
    throw new HttpError(400, 'VALIDATION_FAILED', `the JSON is nested deeper than ${MAX_JSON_DEPTH} levels`, { field: 'body' });
  }
  // PostgreSQL's text cannot hold U+0000 and iCalendar's excludes control characters (RFC 5545
  // §3.3.11): refused on both stores alike, rather than stored by one and a 500 from the other.
  if (NUL_ESCAPE.test(raw)) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'the JSON holds U+0000, which no text may contain', { field: 'body' });
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new HttpError(400, 'VALIDATION_FAILED', `malformed JSON: ${(err as Error).message}`, { field: 'body' });
  }
}
