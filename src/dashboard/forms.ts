import type { Context } from 'koa';
import { HttpError } from '../errors.js';
import { readBody } from '../http/body.js';

// The dashboard's forms are short: a few fields each.
const MAX_FORM_BYTES = 16 * 1024;

/** A posted application/x-www-form-urlencoded body (415 or 413 otherwise, from readBody). */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  const body = await readBody(ctx, ['application/x-www-form-urlencoded'], MAX_FORM_BYTES);
  const form = new URLSearchParams(body.toString('utf8'));
  // PostgreSQL's text cannot hold U+0000 (a 500 there, stored on SQLite): refused on both alike.
  for (const [name, value] of form) {
    if (name.includes('\0') || value.includes('\0')) {
      throw new HttpError(400, 'VALIDATION_FAILED', 'a field holds U+0000, which no text may contain', { field: name.replace(/\0/g, '') });
    }
  }
  return form;
}

/** A form's fields as an object zod can check: repeated names keep the last value, a checkbox is present or absent. */
export const formObject = (form: URLSearchParams): Record<string, string> => Object.fromEntries(form.entries());
