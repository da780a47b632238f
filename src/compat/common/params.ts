import type { Context } from 'koa';
import type { z } from 'zod';
import { parseInput } from '../../api/validate.js';
import { HttpError } from '../../errors.js';
import { readBody, refuseNul } from '../../http/body.js';

/** Every parameter of one call, by name, as text: the query string, then the body over it. */
export type RawParams = Record<string, string>;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * A JSON body's value as the text a form would carry: numbers and booleans as written, null as
 * empty, and an object (custom_data sent as JSON rather than as a JSON string) as its JSON.
 */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function fromPairs(pairs: Iterable<[string, string]>, into: RawParams): void {
  const list = [...pairs];
  refuseNul(list);
  // A repeated name keeps its last value, as PHP reads a query string (both products run on it).
  for (const [k, v] of list) into[k] = v;
}

async function bodyParams(ctx: Context, into: RawParams): Promise<void> {
  const declared = Number(ctx.get('content-length') || 0);
  const chunked = ctx.get('transfer-encoding') !== '';
  if (declared === 0 && !chunked) return; // a POST with everything in the query string, as curl -X POST sends it
  const raw = (await readBody(ctx, [FORM, JSON_TYPE])).toString('utf8');
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (type === FORM) return fromPairs(new URLSearchParams(raw), into);
  if (raw.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new HttpError(400, 'VALIDATION_FAILED', `malformed JSON: ${(err as Error).message}`, { field: 'body' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'the JSON body must be an object of parameters', { field: 'body' });
  }
  fromPairs(Object.entries(parsed).map(([k, v]) => [k, asText(v)]), into);
}

/**
 * The call's parameters. The products document GET with a query string; a POST may carry them
 * as a form or a JSON object instead (or as well: the body wins over the query string).
 */
export async function readParams(ctx: Context): Promise<RawParams> {
  const params: RawParams = {};
  fromPairs(new URLSearchParams(ctx.querystring), params);
  if (ctx.method === 'POST') await bodyParams(ctx, params);
  return params;
}

/**
 * The parameters one endpoint takes, typed by its schema (unknown names are dropped, as the
 * products ignore them); the first problem is a 400 naming the parameter.
 */
export function parseParams<S extends z.ZodType>(schema: S, params: RawParams): z.infer<S> {
  return parseInput(schema, params);
}
