import { z } from 'zod';
import type { ErrorCode } from '../../errors.js';

/**
 * The codes the JSON API answers with, each with its one status and what it means. The
 * operations list the codes they can answer; this table is their single description.
 */
export const API_ERRORS = {
  VALIDATION_FAILED: [400, 'A field, query parameter or body is malformed or not allowed; `field` names it.'],
  EMPTY_PATCH: [400, 'A PATCH body names no field (send at least one field to change).'],
  INVALID_TIME_RANGE: [400, 'A time range is reversed or too wide (an end before its start, expand=true over 366 days).'],
  UNAUTHORIZED: [401, 'No API token, or one that is not valid: send `Authorization: Bearer <token>`.'],
  NOT_FOUND: [404, 'No such resource for this token (another user\'s calendar is indistinguishable from none).'],
  METHOD_NOT_ALLOWED: [405, 'The path exists but does not take this method; `Allow` lists the ones it takes.'],
  CONFLICT: [409, 'The write clashes with the stored state (an id or UID already used by another entry).'],
  PRECONDITION_FAILED: [412, 'If-Match names a version that is no longer the stored one.'],
  PAYLOAD_TOO_LARGE: [413, 'The body is over the limit (1 MiB for JSON, 10 MiB for an import).'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'The Content-Type (or a Content-Encoding) is not one this route takes.'],
  UNAVAILABLE: [503, 'The database is briefly out of reach (a restart, every connection busy); retry after `Retry-After` seconds.'],
  INTERNAL: [500, 'An unexpected server error; it is logged server-side and the body carries no detail.'],
} as const satisfies Partial<Record<ErrorCode, readonly [number, string]>>;

export type ApiErrorCode = keyof typeof API_ERRORS;
const CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

/** The envelope every error answer has, with the codes one answer can carry. */
export function errorEnvelope(codes: readonly ApiErrorCode[]) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]).meta({ description: 'Stable: clients branch on it.' }),
      message: z.string().meta({ description: 'For people; the wording may change.' }),
      field: z.string().optional().meta({ description: 'The field, parameter or header at fault, when there is one.' }),
    }),
  });
}

/** The envelope with any code, as a named component (unknown paths and methods answer with it). */
export const errorSchema = errorEnvelope(CODES).meta({
  id: 'Error',
  description: Object.entries(API_ERRORS).map(([code, [status, text]]) => `- \`${code}\` (${status}): ${text}`).join('\n'),
});

/** The error responses of one operation: one entry per status, naming the codes it can carry. */
export function errorResponses(codes: Iterable<ApiErrorCode>) {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = API_ERRORS[code][0];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].sort(([a], [b]) => a - b).map(([status, list]) => [status, {
    description: list.map((c) => `\`${c}\`: ${API_ERRORS[c][1]}`).join(' '),
    content: { 'application/json': { schema: errorEnvelope(list) } },
  }]));
}
