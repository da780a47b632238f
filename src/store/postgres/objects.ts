import type pg from 'pg';
import {
  ALL, StoreConflict, StorePreconditionFailed, keysetOf,
  type CalendarObject, type Change, type EnvelopeQuery, type NewDelivery, type NewMail, type ObjectEnvelope, type ObjectHead, type ObjectPage,
  type ObjectQuery, type ObjectText, type ObjectWrite,
} from '../types.js';
import { columns, toObject, type ObjectRow } from '../sqlite/objects.js';
import { changed, one, rows, transaction, type Queryable } from './db.js';
import { calendarQueries } from './calendars.js';
import { outboxQueries } from './outbox.js';
import { inboxQueries } from './inbox.js';
import { mailQueries } from './mail.js';
import { whereOf } from './object-query.js';

/** Thrown inside a write's transaction to roll it back and answer `value` (not found: nothing to write). */
class Abandon<T> {
  constructor(readonly value: T) {}
}

const COLUMNS = ['calendar_id', 'id', 'uri', 'uid', 'component_type', 'data', 'etag', 'size', 'start_at', 'end_at', 'first_start',
  'last_end', 'recurring', 'sequence', 'status', 'search_text', 'custom_data', 'created_at', 'updated_at'] as const;
/** The object and its change row in one statement: one round trip less under the calendar's row lock. */
const N = COLUMNS.length;
const INSERT_WITH_CHANGE = `WITH created AS (
    INSERT INTO calendar_objects (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING calendar_id, uri)
  INSERT INTO calendar_changes (calendar_id, sync_token, uri, operation, changed_at)
  SELECT calendar_id, $${N + 1}::bigint, uri, 'create', $${N + 2}::bigint FROM created`;
const UPDATE = `UPDATE calendar_objects SET uid = $2, component_type = $3, data = $4, etag = $5, size = $6, start_at = $7,
  end_at = $8, first_start = $9, last_end = $10, recurring = $11, sequence = $12, status = $13, search_text = $14,
  custom_data = $15, updated_at = $16 WHERE pk = $1 RETURNING *`;

export function objectQueries(pool: pg.Pool, now: () => number) {
  const calendars = calendarQueries(now);
  const outbox = outboxQueries(now);
  const mailbox = mailQueries(pool, now);
  const inboxes = inboxQueries(pool, now);
  const byKey = (column: 'id' | 'uid' | 'uri') => `SELECT * FROM calendar_objects WHERE calendar_id = $1 AND ${column} = $2`;
  const rowBy = (db: Queryable, column: 'id' | 'uid' | 'uri', calendarId: string, key: string) =>
    one<ObjectRow>(db, byKey(column), [calendarId, key]);
  const objectBy = async (column: 'id' | 'uid' | 'uri', calendarId: string, key: string) => {
    const r = await rowBy(pool, column, calendarId, key);
    return r ? toObject(r) : null;
  };
  const logChange = (db: Queryable, calendarId: string, token: number, uri: string, operation: Change['operation']) =>
    changed(db, 'INSERT INTO calendar_changes (calendar_id, sync_token, uri, operation, changed_at) VALUES ($1, $2, $3, $4, $5)',
      [calendarId, token, uri, operation, now()]);

  /**
   * One write to a calendar in one transaction, its sync token bumped first: the bump locks the
   * calendar's row, so the probes and writes that follow see every earlier writer's commit and
   * no later one can slip in between (the unique keys are checked under that lock).
   */
  const write = async <T>(calendarId: string, work: (db: Queryable, token: number) => Promise<T>): Promise<T> => {
    try {
      return await transaction(pool, async (db) => {
        const token = await calendars.bump(db, calendarId);
        if (token === null) throw new Error(`calendar ${calendarId} does not exist`);
        return work(db, token);
      });
    } catch (err) {
      if (err instanceof Abandon) return err.value as T;
      throw err;
    }
  };

  const insertOne = async (db: Queryable, calendarId: string, w: ObjectWrite, token: number): Promise<CalendarObject> => {
    const taken = await one<{ id: string; uid: string; uri: string }>(db,
      `SELECT id, uid, uri FROM calendar_objects WHERE calendar_id = $1 AND (id = $2 OR uid = $3 OR uri = $4)
        ORDER BY (id = $2) DESC, (uid = $3) DESC LIMIT 1`, [calendarId, w.id, w.uid, w.uri]);
    if (taken) {
      const key = taken.id === w.id ? 'id' : taken.uid === w.uid ? 'uid' : 'uri';
      throw new StoreConflict(key, { id: taken.id, uri: taken.uri });
    }
    const at = now();
    const c = { ...columns(w), calendar_id: calendarId, created_at: at, updated_at: at };
    await changed(db, INSERT_WITH_CHANGE, [...COLUMNS.map((k) => c[k]), token, at]);
    return { ...w, calendarId, size: c.size, createdAt: at, updatedAt: at };
  };

  const replace = async (db: Queryable, existing: ObjectRow, w: ObjectWrite, token: number) => {
    const clash = w.uid !== existing.uid ? await rowBy(db, 'uid', existing.calendar_id, w.uid) : null;
    if (clash) throw new StoreConflict('uid', { id: clash.id, uri: clash.uri });
    const c = columns(w);
    const updated = toObject((await one<ObjectRow>(db, UPDATE, [existing.pk, c.uid, c.component_type, c.data, c.etag, c.size, c.start_at,
      c.end_at, c.first_start, c.last_end, c.recurring, c.sequence, c.status, c.search_text, c.custom_data, now()]))!);
    await logChange(db, existing.calendar_id, token, existing.uri, 'update');
    return updated;
  };

  const updateEvent = (existing: ObjectRow, w: ObjectWrite, token: number) => ({
    calendarId: existing.calendar_id, objectUri: existing.uri, operation: 'update' as const, oldSequence: existing.sequence,
    newSequence: w.sequence, oldEtag: existing.etag, newEtag: w.etag, syncToken: token,
  });

  return {
    byId: (calendarId: string, id: string) => objectBy('id', calendarId, id),
    byUid: (calendarId: string, uid: string) => objectBy('uid', calendarId, uid),
    byUri: (calendarId: string, uri: string) => objectBy('uri', calendarId, uri),
    count: async (calendarId: string, type: string) => (await one<{ n: number }>(pool,
      'SELECT count(*) AS n FROM calendar_objects WHERE calendar_id = $1 AND component_type = $2', [calendarId, type]))!.n,
    /** The text as UTF-8 bytes, converted by the server: never decoded to a JS string on the way. */
    texts: async (calendarId: string, uris: string[]): Promise<ObjectText[]> => (await rows<{
      uri: string; etag: string; size: number; component_type: ObjectHead['componentType']; updated_at: number; data: Buffer;
    }>(pool, `SELECT uri, etag, size, component_type, updated_at, convert_to(data, 'UTF8') AS data FROM calendar_objects
        WHERE calendar_id = $1 AND uri = ANY($2)`, [calendarId, uris]))
      .map((r) => ({ uri: r.uri, etag: r.etag, size: r.size, componentType: r.component_type, updatedAt: r.updated_at, data: r.data })),
    heads: async (calendarId: string): Promise<ObjectHead[]> => (await rows<{
      uri: string; etag: string; size: number; component_type: ObjectHead['componentType']; updated_at: number;
    }>(pool, 'SELECT uri, etag, size, component_type, updated_at FROM calendar_objects WHERE calendar_id = $1', [calendarId]))
      .map((r) => ({ uri: r.uri, etag: r.etag, size: r.size, componentType: r.component_type, updatedAt: r.updated_at })),
    /** Derived time columns only: the text, ETag and sync token do not change. */
    reindex: (db: Queryable, calendarId: string, w: ObjectWrite) => changed(db,
      `UPDATE calendar_objects SET start_at = $1, end_at = $2, first_start = $3, last_end = $4, recurring = $5
        WHERE calendar_id = $6 AND id = $7`, [w.startAt, w.endAt, w.firstStart, w.lastEnd, w.recurring ? 1 : 0, calendarId, w.id]),
    create: (calendarId: string, w: ObjectWrite, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => write(calendarId, async (db, token) => {
      const created = await insertOne(db, calendarId, w, token);
      await mailbox.enqueue(db, calendarId, w.id, mail);
      await inboxes.deliver(db, deliveries);
      await outbox.append(db, { calendarId, objectUri: w.uri, operation: 'create', newSequence: w.sequence, newEtag: w.etag, syncToken: token });
      return created;
    }),
    update: (calendarId: string, w: ObjectWrite, ifEtag?: string, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => write(calendarId, async (db, token) => {
      const existing = await rowBy(db, 'id', calendarId, w.id);
      if (!existing) throw new Abandon(null);
      if (ifEtag !== undefined && existing.etag !== ifEtag) throw new StorePreconditionFailed();
      const updated = await replace(db, existing, { ...w, uri: existing.uri }, token);
      await mailbox.enqueue(db, calendarId, w.id, mail);
      await inboxes.deliver(db, deliveries);
      await outbox.append(db, updateEvent(existing, w, token));
      return updated;
    }),
    remove: (calendarId: string, id: string, ifEtag?: string, mail: NewMail[] = [], deliveries: NewDelivery[] = []) => write(calendarId, async (db, token) => {
      const existing = await rowBy(db, 'id', calendarId, id);
      if (!existing) throw new Abandon(false);
      if (ifEtag !== undefined && existing.etag !== ifEtag) throw new StorePreconditionFailed();
      await changed(db, 'DELETE FROM calendar_objects WHERE pk = $1', [existing.pk]);
      await logChange(db, calendarId, token, existing.uri, 'delete');
      await mailbox.enqueue(db, calendarId, id, mail);
      await inboxes.deliver(db, deliveries);
      await outbox.append(db, {
        calendarId, objectUri: existing.uri, operation: 'delete', oldSequence: existing.sequence, oldEtag: existing.etag, syncToken: token,
      });
      return true;
    }),
    /** Upsert by UID, one sync token for the whole import; any failure rolls everything back. */
    importMany: (calendarId: string, writes: ObjectWrite[]) => write(calendarId, async (db, token) => {
      let created = 0;
      let updated = 0;
      const events = [];
      for (const w of writes) {
        const existing = await rowBy(db, 'uid', calendarId, w.uid);
        if (existing) {
          // An import carries no custom_data: the owner's stays.
          const customData = existing.custom_data === null ? null : JSON.parse(existing.custom_data);
          await replace(db, existing, { ...w, id: existing.id, uri: existing.uri, customData }, token);
          events.push(updateEvent(existing, w, token));
          updated++;
        } else {
          await insertOne(db, calendarId, w, token);
          events.push({ calendarId, objectUri: w.uri, operation: 'create' as const, newSequence: w.sequence, newEtag: w.etag, syncToken: token });
          created++;
        }
      }
      for (const e of events) await outbox.append(db, e);
      return { created, updated };
    }),
    list: async (q: ObjectQuery): Promise<ObjectPage> => {
      const { text, values, sort } = whereOf(q);
      const dir = sort.desc ? 'DESC' : 'ASC';
      const limit = q.limit === ALL ? '' : ` LIMIT ${q.limit + 1}`;
      const objects = (await rows<ObjectRow>(pool,
        `SELECT * FROM calendar_objects WHERE ${text} ORDER BY ${sort.column} ${dir}, id ${dir}${limit}`, values)).map(toObject);
      if (q.limit === ALL || objects.length <= q.limit) return { objects, next: null };
      objects.length = q.limit;
      return { objects, next: keysetOf(objects[objects.length - 1]!, q.order) };
    },
    envelopes: async (q: EnvelopeQuery): Promise<ObjectEnvelope[]> => {
      const { text, values } = whereOf({ ...q, order: 'START_DATE_ASC' });
      return (await rows<{
        uri: string; etag: string; size: number; component_type: ObjectEnvelope['componentType']; updated_at: number;
        first_start: number; last_end: number; recurring: number;
      }>(pool, `SELECT uri, etag, size, component_type, updated_at, first_start, last_end, recurring FROM calendar_objects WHERE ${text}`, values))
        .map((r) => ({
          uri: r.uri, etag: r.etag, size: r.size, componentType: r.component_type, updatedAt: r.updated_at,
          firstStart: r.first_start, lastEnd: r.last_end, recurring: r.recurring === 1,
        }));
    },
    changesSince: async (calendarId: string, token: number): Promise<Change[]> => (await rows<{ sync_token: number; uri: string; operation: Change['operation'] }>(pool,
      'SELECT sync_token, uri, operation FROM calendar_changes WHERE calendar_id = $1 AND sync_token > $2 ORDER BY id', [calendarId, token]))
      .map((c) => ({ syncToken: c.sync_token, uri: c.uri, operation: c.operation })),
  };
}
