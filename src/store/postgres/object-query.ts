import type { ObjectQuery } from '../types.js';
import { SORT, TIME_FILTERS } from '../sqlite/objects.js';
import { named } from './db.js';

/**
 * The WHERE clause of a list or envelope query, with its values: the same filters as the
 * SQLite store (the time prefilter's clauses are shared), written for PostgreSQL.
 */
export function whereOf(q: Omit<ObjectQuery, 'limit'>) {
  const where = ['calendar_id = ANY(@calendarIds)'];
  const params: Record<string, unknown> = { calendarIds: q.calendarIds };
  if (q.componentType) { where.push('component_type = @componentType'); params.componentType = q.componentType; }
  for (const [key, clause] of TIME_FILTERS) {
    if (q[key] !== undefined) { where.push(clause); params[key] = q[key]; }
  }
  if (q.overlapping?.from != null) { where.push('last_end >= @overlapFrom'); params.overlapFrom = q.overlapping.from; }
  if (q.overlapping?.to != null) { where.push('first_start <= @overlapTo'); params.overlapTo = q.overlapping.to; }
  if (q.status !== undefined) { where.push('status = @status'); params.status = q.status; }
  if (q.text !== undefined) {
    where.push(`search_text LIKE @text ESCAPE '\\'`);
    params.text = `%${q.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (q.json !== undefined) {
    // The field is a bound value, never spliced into the SQL.
    where.push('(custom_data::jsonb ->> @jsonField) = @jsonValue');
    params.jsonField = q.json.field.replace(/"/g, '');
    params.jsonValue = q.json.value;
  }
  const sort = SORT[q.order];
  if (q.after) {
    where.push(`(${sort.column}, id) ${sort.desc ? '<' : '>'} (@afterSort, @afterId)`);
    params.afterSort = q.after.sort;
    params.afterId = q.after.id;
  }
  return { ...named(where.join(' AND '), params), sort };
}
