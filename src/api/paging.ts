import { z } from 'zod';
import { HttpError } from '../errors.js';

/** Page sizes: `page_limit` defaults to 50 and takes 1-500. */
const LIMIT = { min: 1, max: 500, fallback: 50 } as const;

/** Cursors are opaque to clients: base64url JSON of the keyset position. */
export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, valid: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (valid(v)) return v;
  } catch {
    // fall through to the error below
  }
  throw new HttpError(400, 'VALIDATION_FAILED', 'page_cursor is not a cursor this server issued', { field: 'page_cursor' });
}

export function pageLimit(raw: string | undefined): number {
  if (raw === undefined) return LIMIT.fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < LIMIT.min || n > LIMIT.max) {
    throw new HttpError(400, 'VALIDATION_FAILED', `page_limit must be an integer from ${LIMIT.min} to ${LIMIT.max}`, { field: 'page_limit' });
  }
  return n;
}

/** The paging parameters as the OpenAPI document describes them (pageLimit and decodeCursor read them). */
export const pageQuery = {
  page_limit: z.coerce.number().int().min(LIMIT.min).max(LIMIT.max).default(LIMIT.fallback).meta({ description: 'Items per page.' }),
  page_cursor: z.string().optional().meta({
    description: 'The `next_cursor` of the previous page, unchanged; other filters must stay the same.',
  }),
};

/** A page of a list: `next_cursor` is null on the last page. */
export const pageOf = (item: z.ZodType) => z.strictObject({
  data: z.array(item),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `page_cursor` for the next page; null on the last.' }),
});
