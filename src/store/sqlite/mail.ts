import type { Mail, MailOutcome, NewMail } from '../types.js';
import type { Db } from './db.js';

export interface MailRow {
  id: string; calendar_id: string; object_id: string; method: Mail['method']; recipient: string; message_id: string;
  subject: string; text_body: string; html_body: string; ics: string; parts: Mail['parts']; status: Mail['status']; attempts: number;
  next_attempt_at: number; last_error: string | null; created_at: number; sent_at: number | null;
}

export const toMail = (r: MailRow): Mail => ({
  id: r.id, calendarId: r.calendar_id, objectId: r.object_id, method: r.method, recipient: r.recipient,
  messageId: r.message_id, subject: r.subject, text: r.text_body, html: r.html_body, ics: r.ics, parts: r.parts, status: r.status,
  attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at,
});

export function mailQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    `INSERT INTO mail_outbox (id, calendar_id, object_id, method, recipient, message_id, subject, text_body, html_body, ics,
       parts, status, next_attempt_at, created_at)
     VALUES (@id, @calendarId, @objectId, @method, @recipient, @messageId, @subject, @text, @html, @ics, @parts, 'pending', @at, @at)`,
  );
  const due = db.prepare(
    `SELECT * FROM mail_outbox
      WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'sending' AND claimed_until < @now)
      ORDER BY next_attempt_at, created_at LIMIT @limit`,
  );
  const claim = db.prepare(`UPDATE mail_outbox SET status = 'sending', claimed_until = ?, attempts = attempts + 1 WHERE id = ?`);
  const sent = db.prepare(`UPDATE mail_outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL WHERE id = ?`);
  const failed = db.prepare(
    `UPDATE mail_outbox SET status = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?`,
  );
  const list = db.prepare('SELECT * FROM mail_outbox WHERE calendar_id = ? AND object_id = ? ORDER BY created_at, id');
  const requeue = db.prepare(
    `UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?, attempts = 0, claimed_until = NULL
      WHERE calendar_id = ? AND id = ? AND status <> 'sending' RETURNING *`,
  );
  return {
    /** Called inside the write's transaction. */
    enqueue: (calendarId: string, objectId: string, mail: NewMail[]) => {
      const at = now();
      for (const m of mail) insert.run({ ...m, calendarId, objectId, at });
    },
    claim: db.transaction((at: number, leaseMs: number, limit: number): Mail[] => {
      const rows = due.all({ now: at, limit }) as MailRow[];
      for (const r of rows) claim.run(at + leaseMs, r.id);
      return rows.map((r) => ({ ...toMail(r), status: 'sending', attempts: r.attempts + 1 }));
    }),
    finish: (id: string, o: MailOutcome) => {
      if (o.sent) sent.run(o.at, id);
      else failed.run(o.retryAt === null ? 'dead' : 'pending', o.retryAt ?? now(), o.error, id);
    },
    list: (calendarId: string, objectId: string) => (list.all(calendarId, objectId) as MailRow[]).map(toMail),
    requeue: (calendarId: string, id: string, at: number) => {
      const r = requeue.get(at, calendarId, id) as MailRow | undefined;
      return r ? toMail(r) : null;
    },
  };
}
