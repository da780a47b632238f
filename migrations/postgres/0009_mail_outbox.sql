-- PostgreSQL twin of ../0009_mail_outbox.sql.
CREATE TABLE mail_outbox (
  id              TEXT COLLATE "C" PRIMARY KEY,
  calendar_id     TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  object_id       TEXT NOT NULL,
  method          TEXT NOT NULL CHECK (method IN ('REQUEST','CANCEL')),
  recipient       TEXT NOT NULL,
  message_id      TEXT NOT NULL UNIQUE,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  ics             TEXT NOT NULL,
  parts           TEXT NOT NULL CHECK (parts IN ('inline','attachment','both')),
  status          TEXT NOT NULL CHECK (status IN ('pending','sending','sent','dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_until   BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_object ON mail_outbox(calendar_id, object_id, created_at);
