import type { Context } from 'koa';
import { HttpError } from '../errors.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body, refusing a wrong media type (415) and anything over `limit` (413)
 * as soon as the declared or received length passes it, so a large upload is never buffered.
 */
export async function readBody(ctx: Context, mediaTypes: string[], limit = MAX_BODY_BYTES): Promise<Buffer> {
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

export async function readJson(ctx: Context): Promise<unknown> {
  const raw = await readBody(ctx, ['application/json', 'application/merge-patch+json']);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'VALIDATION_FAILED', `malformed JSON: ${(err as Error).message}`, { field: 'body' });
  }
}
