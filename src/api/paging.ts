import { HttpError } from '../errors.js';

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
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'page_limit must be an integer from 1 to 500', { field: 'page_limit' });
  }
  return n;
}
