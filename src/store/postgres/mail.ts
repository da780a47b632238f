import type pg from 'pg';
import type { Mail, MailOutcome, NewMail } from '../types.js';
import { toMail, type MailRow } from '../sqlite/mail.js';
import { changed, one, rows, transaction, type Queryable } from './db.js';

export function mailQueries(pool: pg.Pool, now: () => number) {
  return {
    /** Called inside the write's transaction. */
    enqueue: async (db: Queryable, calendarId: string, objectId: string, mail: NewMail[]) => {
      const at = now();
      for (const m of mail) {
        await changed(db,
          `INSERT INTO mail_outbox (id, calendar_id, object_id, method, recipient, message_id, subject, text_body, html_body, ics,
             parts, status, next_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $12)`,
          [m.id, calendarId, objectId, m.method, m.recipient, m.messageId, m.subject, m.text, m.html, m.ics, m.parts, at]);
      }
    },
    /** SKIP LOCKED: mail workers on several instances claim disjoint rows without waiting on each other. */
    claim: (at: number, leaseMs: number, limit: number) => transaction(pool, async (db): Promise<Mail[]> => {
      const due = await rows<MailRow>(db,
        `SELECT * FROM mail_outbox
          WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND claimed_until < $1)
          ORDER BY next_attempt_at, created_at LIMIT $2 FOR UPDATE SKIP LOCKED`, [at, limit]);
      for (const r of due) {
        await changed(db, `UPDATE mail_outbox SET status = 'sending', claimed_until = $1, attempts = attempts + 1 WHERE id = $2`, [at + leaseMs, r.id]);
      }
      return due.map((r) => ({ ...toMail(r), status: 'sending', attempts: r.attempts + 1 }));
    }),
    finish: async (id: string, o: MailOutcome) => {
      if (o.sent) {
        await changed(pool, `UPDATE mail_outbox SET status = 'sent', sent_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2`, [o.at, id]);
      } else {
        await changed(pool, 'UPDATE mail_outbox SET status = $1, next_attempt_at = $2, claimed_until = NULL, last_error = $3 WHERE id = $4',
          [o.retryAt === null ? 'dead' : 'pending', o.retryAt ?? now(), o.error, id]);
      }
    },
    list: async (calendarId: string, objectId: string) => (await rows<MailRow>(pool,
      'SELECT * FROM mail_outbox WHERE calendar_id = $1 AND object_id = $2 ORDER BY created_at, id', [calendarId, objectId])).map(toMail),
    requeue: async (calendarId: string, id: string, at: number) => {
      const r = await one<MailRow>(pool,
        `UPDATE mail_outbox SET status = 'pending', next_attempt_at = $1, attempts = 0, claimed_until = NULL
          WHERE calendar_id = $2 AND id = $3 AND status <> 'sending' RETURNING *`, [at, calendarId, id]);
      return r ? toMail(r) : null;
    },
  };
}
