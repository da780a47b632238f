import {
  ALL, StoreConflict, keysetOf, StorePreconditionFailed,
  type CalendarObject, type EnvelopeQuery, type ObjectEnvelope, type ObjectHead, type ObjectPage, type ObjectQuery, type ObjectText, type ObjectWrite, type NewMail, type NewDelivery,
} from '../types.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { calendarQueries } from './calendars.js';
import { outboxQueries } from './outbox.js';
import { mailQueries } from './mail.js';
import { inboxQueries } from './inbox.js';

export interface ObjectRow {
  pk: number; calendar_id: string; id: string; uri: string; uid: string; component_type: string;
  data: string; etag: string; size: number; start_at: number; end_at: number; first_start: number;
  last_end: number; recurring: number; sequence: number; status: string | null; search_text: string;
  custom_data: string | null; created_at: number; updated_at: number;
}

export function toObject(r: ObjectRow): CalendarObject {
  return {
    calendarId: r.calendar_id, id: r.id, uri: r.uri, uid: r.uid,
    componentType: r.component_type as CalendarObject['componentType'], data: r.data, etag: r.etag,
    size: r.size, startAt: r.start_at, endAt: r.end_at, firstStart: r.first_start, lastEnd: r.last_end,
    recurring: r.recurring === 1, sequence: r.sequence, status: r.status, searchText: r.search_text,
    customData: r.custom_data === null ? null : JSON.parse(r.custom_data),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function columns(w: ObjectWrite) {
  return {
    id: w.id, uri: w.uri, uid: w.uid, component_type: w.componentType, data: w.data, etag: w.etag,
    size: Buffer.byteLength(w.data), start_at: w.startAt, end_at: w.endAt, first_start: w.firstStart,
    last_end: w.lastEnd, recurring: w.recurring ? 1 : 0, sequence: w.sequence, status: w.status,
    search_text: w.searchText, custom_data: w.customData === null ? null : JSON.stringify(w.customData),
  };
}

export const SORT: Record<ObjectQuery['order'], { column: string; desc: boolean }> = {
  START_DATE_ASC: { column: 'start_at', desc: false },
  START_DATE_DESC: { column: 'start_at', desc: true },
  CREATED_ASC: { column: 'created_at', desc: false },
  CREATED_DESC: { column: 'created_at', desc: true },
};

/**
 * Time filters: exact on the master's start/end for single objects; for recurring ones the
 * first_start/last_end envelope, which contains every instance, so it never drops a match.
 * Each is written as an envelope bound (true of every match, recurring or not) AND the
 * exact test, so SQLite can range-scan the envelope index instead of the whole calendar.
 */
export const TIME_FILTERS = [
  ['startAfter', 'last_end >= @startAfter AND (recurring = 1 OR start_at >= @startAfter)'],
  ['startBefore', 'first_start <= @startBefore AND (recurring = 1 OR start_at <= @startBefore)'],
  ['endAfter', 'last_end >= @endAfter AND (recurring = 1 OR end_at >= @endAfter)'],
  ['endBefore', 'first_start <= @endBefore AND (recurring = 1 OR end_at <= @endBefore)'],
] as const;

/** What differs between the SQL of the two stores in a list or envelope query's WHERE clause. */
export interface WhereDialect {
  /** The calendar-id clause; it may bind its own parameters. */
  calendars(ids: string[], params: Record<string, unknown>): string;
  /** custom_data's field named by @jsonField, as text. */
  jsonField: string;
}

// Calendar ids bind positionally (better-sqlite3 takes them before the named parameters). The
// field name is bound as a value inside a quoted JSON path, so it cannot inject SQL.
const SQLITE: WhereDialect = {
  calendars: (ids) => `calendar_id IN (${ids.map(() => '?').join(',') || 'NULL'})`,
  jsonField: `CAST(json_extract(custom_data, '$."' || @jsonField || '"') AS TEXT)`,
};

/** The WHERE clause (with its parameters) of a list or envelope query, in either store's SQL. */
export function whereOfQuery(q: Omit<ObjectQuery, 'limit'>, dialect: WhereDialect = SQLITE) {
  const params: Record<string, unknown> = {};
  const where = [dialect.calendars(q.calendarIds, params)];
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
    where.push(`${dialect.jsonField} = @jsonValue`);
    params.jsonField = q.json.field.replace(/"/g, '');
    params.jsonValue = q.json.value;
  }
  const sort = SORT[q.order];
  if (q.after) {
    where.push(`(${sort.column}, id) ${sort.desc ? '<' : '>'} (@afterSort, @afterId)`);
    params.afterSort = q.after.sort;
    params.afterId = q.after.id;
  }
  return { where: where.join(' AND '), params, sort };
}

export interface EnvelopeRow {
  uri: string; etag: string; size: number; component_type: string; updated_at: number;
  first_start: number; last_end: number; recurring: number;
}

export function objectQueries(db: Db, now: () => number) {
  // Queries are built from the filters present; the few shapes clients use are prepared once.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      if (statements.size > 200) statements.clear();
      statements.set(sql, (stmt = db.prepare(sql)));
    }
    return stmt;
  };
  const calendars = calendarQueries(db, now);
  const outbox = outboxQueries(db, now);
  const mailbox = mailQueries(db, now);
  const inboxes = inboxQueries(db, now);
  const byId = db.prepare('SELECT * FROM calendar_objects WHERE calendar_id = ? AND id = ?');
  const byUid = db.prepare('SELECT * FROM calendar_objects WHERE calendar_id = ? AND uid = ?');
  const byUri = db.prepare('SELECT * FROM calendar_objects WHERE calendar_id = ? AND uri = ?');
  const insert = db.prepare(
    `INSERT INTO calendar_objects (calendar_id, id, uri, uid, component_type, data, etag, size, start_at,
       end_at, first_start, last_end, recurring, sequence, status, search_text, custom_data, created_at, updated_at)
     VALUES (@calendar_id, @id, @uri, @uid, @component_type, @data, @etag, @size, @start_at, @end_at,
       @first_start, @last_end, @recurring, @sequence, @status, @search_text, @custom_data, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE calendar_objects SET uid = @uid, component_type = @component_type, data = @data, etag = @etag,
       size = @size, start_at = @start_at, end_at = @end_at, first_start = @first_start, last_end = @last_end,
       recurring = @recurring, sequence = @sequence, status = @status, search_text = @search_text,
       custom_data = @custom_data, updated_at = @now
     WHERE pk = @pk RETURNING *`,
  );
  const remove = db.prepare('DELETE FROM calendar_objects WHERE pk = ?');
  // Three index probes (an OR across the keys would scan the calendar).
  const clashes = db.prepare(
    `SELECT id, uid, uri FROM calendar_objects WHERE calendar_id = @c AND id = @id
     UNION ALL SELECT id, uid, uri FROM calendar_objects WHERE calendar_id = @c AND uid = @uid
     UNION ALL SELECT id, uid, uri FROM calendar_objects WHERE calendar_id = @c AND uri = @uri LIMIT 1`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM calendar_objects WHERE calendar_id = ? AND component_type = ?');
  const heads = db.prepare(
    'SELECT uri, etag, size, component_type, updated_at FROM calendar_objects WHERE calendar_id = ?',
  );
  const reindex = db.prepare(
    `UPDATE calendar_objects SET start_at = @start_at, end_at = @end_at, first_start = @first_start,
       last_end = @last_end, recurring = @recurring WHERE calendar_id = @calendar_id AND id = @id`,
  );
  const logChange = db.prepare(
    'INSERT INTO calendar_changes (calendar_id, sync_token, uri, operation, changed_at) VALUES (?, ?, ?, ?, ?)',
  );
  const changes = db.prepare(
    'SELECT sync_token, uri, operation FROM calendar_changes WHERE calendar_id = ? AND sync_token > ? ORDER BY id',
  );

  const rowOf = (stmt: typeof byId, calendarId: string, key: string) => stmt.get(calendarId, key) as ObjectRow | undefined;
  const row = (stmt: typeof byId, calendarId: string, key: string) => {
    const r = rowOf(stmt, calendarId, key);
    return r ? toObject(r) : null;
  };

  const insertOne = (calendarId: string, w: ObjectWrite, token: number): CalendarObject => {
    // One probe over the three unique keys, reading only the keys (not the stored text).
    const taken = clashes.get({ c: calendarId, id: w.id, uid: w.uid, uri: w.uri }) as { id: string; uid: string; uri: string } | undefined;
    if (taken) {
      const key = taken.id === w.id ? 'id' : taken.uid === w.uid ? 'uid' : 'uri';
      throw new StoreConflict(key, { id: taken.id, uri: taken.uri });
    }
    const at = now();
    insert.run({ ...columns(w), calendar_id: calendarId, now: at });
    logChange.run(calendarId, token, w.uri, 'create', at);
    outbox.append({ calendarId, objectUri: w.uri, operation: 'create', newSequence: w.sequence, newEtag: w.etag, syncToken: token });
    return { ...w, calendarId, size: Buffer.byteLength(w.data), createdAt: at, updatedAt: at };
  };

  const replace = (existing: ObjectRow, w: ObjectWrite, token: number) => {
    const clash = w.uid !== existing.uid ? row(byUid, existing.calendar_id, w.uid) : null;
    if (clash) throw new StoreConflict('uid', { id: clash.id, uri: clash.uri });
    const updated = toObject(update.get({ ...columns(w), pk: existing.pk, now: now() }) as ObjectRow);
    logChange.run(existing.calendar_id, token, existing.uri, 'update', now());
    outbox.append({
      calendarId: existing.calendar_id, objectUri: existing.uri, operation: 'update', oldSequence: existing.sequence,
      newSequence: w.sequence, oldEtag: existing.etag, newEtag: w.etag, syncToken: token,
    });
    return updated;
  };

  return {
    byId: (calendarId: string, id: string) => row(byId, calendarId, id),
    byUid: (calendarId: string, uid: string) => row(byUid, calendarId, uid),
    byUri: (calendarId: string, uri: string) => row(byUri, calendarId, uri),
    count: (calendarId: string, type: string) => (count.get(calendarId, type) as { n: number }).n,
    /**
     * Only the columns a report answers with: `SELECT *` costs twice as much (search_text).
     * The text comes as a BLOB, UTF-8 bytes as stored, never decoded to a JS string.
     */
    texts: (calendarId: string, uris: string[]): ObjectText[] => {
      const out: ObjectText[] = [];
      // Chunks stay under SQLite's bound-parameter limit.
      for (let i = 0; i < uris.length; i += 500) {
        const chunk = uris.slice(i, i + 500);
        const stmt = prepared(`SELECT uri, etag, size, component_type, updated_at, CAST(data AS BLOB) FROM calendar_objects
          WHERE calendar_id = ? AND uri IN (${chunk.map(() => '?').join(',')})`).raw(true);
        for (const [uri, etag, size, componentType, updatedAt, data] of stmt.all(calendarId, ...chunk) as
          [string, string, number, ObjectHead['componentType'], number, Buffer][]) {
          out.push({ uri, etag, size, componentType, updatedAt, data });
        }
      }
      return out;
    },
    // Raw rows (arrays) are about twice as fast to fetch as objects: this lists whole calendars.
    heads: (calendarId: string): ObjectHead[] =>
      (heads.raw(true).all(calendarId) as [string, string, number, ObjectHead['componentType'], number][])
        .map(([uri, etag, size, componentType, updatedAt]) => ({ uri, etag, size, componentType, updatedAt })),
    /** Derived time columns only: the text, ETag and sync token do not change. */
    reindex: (calendarId: string, w: ObjectWrite) => void reindex.run({
      calendar_id: calendarId, id: w.id, start_at: w.startAt, end_at: w.endAt, first_start: w.firstStart,
      last_end: w.lastEnd, recurring: w.recurring ? 1 : 0,
    }),
    create: db.transaction((calendarId: string, w: ObjectWrite, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => {
      const created = insertOne(calendarId, w, calendars.bump(calendarId));
      mailbox.enqueue(calendarId, w.id, mail);
      inboxes.deliver(deliveries);
      return created;
    }),
    update: db.transaction((calendarId: string, w: ObjectWrite, ifEtag?: string, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => {
      const existing = rowOf(byId, calendarId, w.id);
      if (!existing) return null;
      if (ifEtag !== undefined && existing.etag !== ifEtag) throw new StorePreconditionFailed();
      const updated = replace(existing, { ...w, uri: existing.uri }, calendars.bump(calendarId));
      mailbox.enqueue(calendarId, w.id, mail);
      inboxes.deliver(deliveries);
      return updated;
    }),
    remove: db.transaction((calendarId: string, id: string, ifEtag?: string, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => {
      const existing = rowOf(byId, calendarId, id);
      if (!existing) return false;
      if (ifEtag !== undefined && existing.etag !== ifEtag) throw new StorePreconditionFailed();
      remove.run(existing.pk);
      const token = calendars.bump(calendarId);
      logChange.run(calendarId, token, existing.uri, 'delete', now());
      outbox.append({
        calendarId, objectUri: existing.uri, operation: 'delete', oldSequence: existing.sequence, oldEtag: existing.etag, syncToken: token,
      });
      mailbox.enqueue(calendarId, id, mail);
      inboxes.deliver(deliveries);
      return true;
    }),
    /** Upsert by UID, one sync token for the whole import; any failure rolls everything back. */
    importMany: db.transaction((calendarId: string, writes: ObjectWrite[]) => {
      const token = calendars.bump(calendarId);
      let created = 0;
      let updated = 0;
      for (const w of writes) {
        const existing = rowOf(byUid, calendarId, w.uid);
        if (existing) {
          // An import carries no custom_data: the owner's stays.
          const customData = existing.custom_data === null ? null : JSON.parse(existing.custom_data);
          replace(existing, { ...w, id: existing.id, uri: existing.uri, customData }, token);
          updated++;
        } else {
          insertOne(calendarId, w, token);
          created++;
        }
      }
      return { created, updated };
    }),
    list: (q: ObjectQuery): ObjectPage => {
      const { where, params, sort } = whereOfQuery(q);
      const dir = sort.desc ? 'DESC' : 'ASC';
      const limit = q.limit === ALL ? '' : ` LIMIT ${q.limit + 1}`;
      const stmt = prepared(`SELECT * FROM calendar_objects WHERE ${where} ORDER BY ${sort.column} ${dir}, id ${dir}${limit}`);
      const objects = (stmt.all(...q.calendarIds, params) as ObjectRow[]).map(toObject);
      if (q.limit === ALL || objects.length <= q.limit) return { objects, next: null };
      objects.length = q.limit;
      return { objects, next: keysetOf(objects[objects.length - 1]!, q.order) };
    },
    envelopes: (q: EnvelopeQuery): ObjectEnvelope[] => {
      const { where, params } = whereOfQuery({ ...q, order: 'START_DATE_ASC' });
      const stmt = prepared(
        `SELECT uri, etag, size, component_type, updated_at, first_start, last_end, recurring
           FROM calendar_objects WHERE ${where}`,
      );
      return (stmt.all(...q.calendarIds, params) as EnvelopeRow[]).map((r) => ({
        uri: r.uri, etag: r.etag, size: r.size, componentType: r.component_type as ObjectEnvelope['componentType'],
        updatedAt: r.updated_at, firstStart: r.first_start, lastEnd: r.last_end, recurring: r.recurring === 1,
      }));
    },
    changesSince: (calendarId: string, token: number) =>
      (changes.all(calendarId, token) as { sync_token: number; uri: string; operation: 'create' | 'update' | 'delete' }[])
        .map((c) => ({ syncToken: c.sync_token, uri: c.uri, operation: c.operation })),
  };
}
