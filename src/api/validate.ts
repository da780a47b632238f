import type { z } from 'zod';
import { HttpError } from '../errors.js';

/** The input at a zod issue's path (zod does not report the input it refused). */
function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** "title is required" only when it is missing; a value of the wrong type says what it is. */
function typeMessage(field: string, expected: string, got: unknown): string {
  if (got === undefined) return `${field} is required`;
  const article = /^[aeiou]/.test(expected) ? 'an' : 'a';
  return `${field} must be ${article} ${expected}, not ${jsonType(got)}`;
}

/** Reads input through a schema; the first problem becomes a 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0]].join('.');
    throw new HttpError(400, 'VALIDATION_FAILED', `unknown field "${field}"`, { field });
  }
  const field = path.join('.') || 'body';
  const message = issue.code === 'invalid_type' ? typeMessage(field, issue.expected, valueAt(value, issue.path)) : `${field}: ${issue.message}`;
  throw new HttpError(400, 'VALIDATION_FAILED', message, { field });
}

/** The body of a create or a merge patch must be a JSON object. */
export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'the body must be a JSON object', { field: 'body' });
  }
  return value as Record<string, unknown>;
}

/** A merge patch must change something: seed 002 asks for at least one field. */
export function asPatch(value: unknown): Record<string, unknown> {
  const patch = asObject(value);
  if (Object.keys(patch).length === 0) {
    throw new HttpError(400, 'EMPTY_PATCH', 'the patch names no field; send at least one field to change', { field: 'body' });
  }
  return patch;
}

/** RFC 7396 JSON Merge Patch: null removes, objects merge recursively, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
