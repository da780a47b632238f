import type { ObjectQuery } from '../types.js';
import { whereOfQuery, type WhereDialect } from '../sqlite/objects.js';
import { named } from './db.js';

// The field is a bound value, never spliced into the SQL.
const POSTGRES: WhereDialect = {
  calendars: (ids, params) => { params.calendarIds = ids; return 'calendar_id = ANY(@calendarIds)'; },
  jsonField: '(custom_data::jsonb ->> @jsonField)',
};

/** The WHERE clause of a list or envelope query, with its values: the SQLite store's filters in PostgreSQL's SQL. */
export function whereOf(q: Omit<ObjectQuery, 'limit'>) {
  const { where, params, sort } = whereOfQuery(q, POSTGRES);
  return { ...named(where, params), sort };
}
