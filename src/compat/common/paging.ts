import { invalid } from '../../errors.js';
import type { RawParams } from './params.js';

/** Past this page a script is walking off the end; refusing keeps a request's work bounded. */
export const MAX_PAGE = 1000;

/** The `page` parameter: 1 when absent, else a whole number from 1 to MAX_PAGE. */
export function readPage(params: RawParams): number {
  const raw = params.page;
  if (raw === undefined || raw === '') return 1;
  const page = Number(raw);
  if (!/^\d+$/.test(raw) || page < 1 || page > MAX_PAGE) throw invalid('page', `page must be a whole number from 1 to ${MAX_PAGE}`);
  return page;
}

/** How many rows from the start a page needs read: its own, those before it, and one to tell if more follow. */
export const rowsThrough = (page: number, size: number) => page * size + 1;

/** Page `page` of `rows` (read from the first row on), and whether another page follows. */
export function pageOf<T>(rows: T[], page: number, size: number): { rows: T[]; more: boolean } {
  const from = (page - 1) * size;
  return { rows: rows.slice(from, from + size), more: rows.length > from + size };
}

/**
 * `paging.previous` and `paging.next` as the products give them: full URLs of the same call with
 * `page` set, or "" when there is no such page. The call's own parameters are repeated (a
 * POST's become the query string), so following the link asks the same question.
 */
export function pagingUrls(baseUrl: string, path: string, params: RawParams, page: number, more: boolean) {
  const url = (n: number) => {
    const q = new URLSearchParams(Object.entries(params).filter(([k]) => k !== 'page'));
    q.set('page', String(n));
    return `${baseUrl.replace(/\/+$/, '')}${path}?${q.toString()}`;
  };
  return { previous: page > 1 ? url(page - 1) : '', next: more ? url(page + 1) : '' };
}
