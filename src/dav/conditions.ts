import { HttpError } from '../errors.js';

const failed = (message: string) => new HttpError(412, 'PRECONDITION_FAILED', message);

/**
 * RFC 9110 §13.1.1-13.1.2 for a write to one resource: If-Match needs the current ETag
 * (or `*` and an existing resource); If-None-Match: * needs the resource to be absent, so
 * re-PUTting an existing href with it fails.
 */
export function checkWriteConditions(headers: { ifMatch: string; ifNoneMatch: string }, currentEtag: string | null): void {
  if (headers.ifNoneMatch.trim() === '*' && currentEtag !== null) throw failed('the resource exists (If-None-Match: *)');
  if (!headers.ifMatch) return;
  const tags = headers.ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (currentEtag === null || !(tags.includes('*') || tags.includes(`"${currentEtag}"`))) {
    throw failed('the resource changed (If-Match)');
  }
}
