import type { Router, RouterMiddleware } from '@koa/router';
import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponses, type ApiErrorCode } from './errors.js';

/** One answer of an operation: a JSON body (or none, as for 204) and the headers it sets. */
export interface Answer {
  description: string;
  schema?: z.ZodType;
  headers?: z.ZodObject;
}

/**
 * What a route takes and answers, next to its handler. The schemas are the ones the handler
 * validates with, so the document cannot describe input the handler reads differently.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Groups operations in the reference; defaults to the collection the path names. */
  tag?: string;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** A JSON body (application/json, or application/merge-patch+json for PATCH). */
  body?: z.ZodType;
  /** A body of another media type (an iCalendar import). */
  upload?: { type: string; schema: z.ZodType };
  responses: Record<number, Answer>;
  /** Codes beyond those every route of its kind can answer (see `errorsOf`). */
  errors?: ApiErrorCode[];
}

type Method = 'get' | 'post' | 'patch' | 'delete';
export type ApiRouter = Record<Method, (path: string, doc: RouteDoc, handler: RouterMiddleware) => void>;

/** The operations registered so far; the OpenAPI document is generated from them. */
export type RouteBook = RouteConfig[];

/** Koa's `/calendars/:id` as OpenAPI's `/calendars/{id}`. */
const templated = (path: string) => path.replace(/:(\w+)/g, '{$1}');
const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** Codes a route answers by its shape: a token, a path id, a query, a body; then its own. */
function errorsOf(path: string, doc: RouteDoc, secured: boolean): ApiErrorCode[] {
  return [
    ...(doc.body || doc.upload || doc.query ? ['VALIDATION_FAILED' as const] : []),
    ...(secured ? ['UNAUTHORIZED' as const] : []),
    ...(paramsOf(path).length > 0 ? ['NOT_FOUND' as const] : []),
    ...(doc.body || doc.upload ? ['PAYLOAD_TOO_LARGE' as const, 'UNSUPPORTED_MEDIA_TYPE' as const] : []),
    ...(doc.errors ?? []),
    'UNAVAILABLE',
    'INTERNAL',
  ];
}

function bodyOf(method: Method, doc: RouteDoc): NonNullable<RouteConfig['request']>['body'] {
  if (doc.upload) return { required: true, content: { [doc.upload.type]: { schema: doc.upload.schema } } };
  if (!doc.body) return undefined;
  const types = method === 'patch' ? ['application/merge-patch+json', 'application/json'] : ['application/json'];
  return { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: doc.body! }])) };
}

function answerOf(a: Answer): ResponseConfig {
  return {
    description: a.description,
    ...(a.headers ? { headers: a.headers } : {}),
    ...(a.schema ? { content: { 'application/json': { schema: a.schema } } } : {}),
  };
}

/** The operation object of one route, under `prefix`. */
export function operationOf(prefix: string, method: Method, path: string, doc: RouteDoc, secured: boolean): RouteConfig {
  const params = paramsOf(path);
  const body = bodyOf(method, doc);
  return {
    method,
    path: prefix + templated(path),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag ?? /^\/(?:calendars\/:id\/)?([\w-]+)/.exec(path)![1]!],
    ...(secured ? { security: [{ bearer: [] }] } : { security: [] }),
    request: {
      ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
      ...(doc.query ? { query: doc.query } : {}),
      ...(doc.headers ? { headers: doc.headers } : {}),
      ...(body ? { body } : {}),
    },
    responses: {
      ...Object.fromEntries(Object.entries(doc.responses).map(([status, a]) => [status, answerOf(a)])),
      ...errorResponses(errorsOf(path, doc, secured)),
    },
  };
}

/**
 * Routes registered through this wrapper are documented by construction: each registration
 * mounts the handler on the koa router and books its operation for the document.
 */
export function documented(router: Router, book: RouteBook, opts: { prefix: string; secured: boolean }): ApiRouter {
  const add = (method: Method) => (path: string, doc: RouteDoc, handler: RouterMiddleware) => {
    book.push(operationOf(opts.prefix, method, path, doc, opts.secured));
    router[method](path, handler);
  };
  return { get: add('get'), post: add('post'), patch: add('patch'), delete: add('delete') };
}
