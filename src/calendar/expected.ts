import { DomainError } from './errors.js';

/**
 * The version a write expects to replace: the ETag a client named in If-Match, or the one the
 * caller read before it computed the change. `null` expects no resource (If-None-Match: *).
 * The store compares it in the write's own transaction, so a write that raced another fails.
 */
export interface Expected {
  etag: string | null;
  source: 'if-match' | 'read';
}

/**
 * The refusal when the stored version is not the expected one: a client's If-Match failed
 * (412, RFC 9110 §13.1.1), or another writer got in between our read and our write (409).
 */
export function staleError(expected: Expected): DomainError {
  return expected.source === 'if-match'
    ? new DomainError('precondition-failed', 'the resource changed since the ETag you sent')
    : new DomainError('conflict', 'the resource was changed by another writer meanwhile; read it again and retry');
}
