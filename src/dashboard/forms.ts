import type { Context } from 'koa';
import { readBody, refuseNul } from '../http/body.js';

// The dashboard's forms are short: a few fields each.
const MAX_FORM_BYTES = 16 * 1024;

/** A posted application/x-www-form-urlencoded body (415 or 413 otherwise, from readBody). */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  const body = await readBody(ctx, ['application/x-www-form-urlencoded'], MAX_FORM_BYTES);
  const form = new URLSearchParams(body.toString('utf8'));
  refuseNul(form);
  return form;
}

/** A form's fields as an object zod can check: repeated names keep the last value, a checkbox is present or absent. */
export const formObject = (form: URLSearchParams): Record<string, string> => Object.fromEntries(form.entries());
