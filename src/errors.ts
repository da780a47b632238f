/** Stable error codes of the JSON API; other surfaces map them to their own formats. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'EMPTY_PATCH'
  | 'INVALID_TIME_RANGE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_IMPLEMENTED'
  | 'TOO_MANY_MATCHES'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface HttpErrorOptions {
  field?: string;
  /** The RFC precondition element name for DAV error bodies (e.g. 'valid-calendar-data'). */
  precondition?: string;
  /** A resource the precondition names (RFC 4791 no-uid-conflict carries the conflicting href). */
  href?: string;
  headers?: Record<string, string>;
}

/** The one error type surfaces throw; each surface has one formatter for it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly options: HttpErrorOptions = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'NOT_FOUND', `${what} not found`);

export const invalid = (field: string, message: string) =>
  new HttpError(400, 'VALIDATION_FAILED', message, { field });
