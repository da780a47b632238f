-- Invitations waiting to be mailed (iMIP, RFC 6047): one row per recipient, written in the
-- transaction of the change it announces, so a crash leaves the change and its mail, or
-- neither. A worker claims a row (status 'sending' until claimed_until) before it talks to
-- the SMTP server; a claim that outlives its lease was a crash and is retried with the same
-- Message-ID, which receiving servers use to drop a copy they already have.
CREATE TABLE mail_outbox (
  id              TEXT PRIMARY KEY,
  calendar_id     TEXT NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
  object_id       TEXT NOT NULL,
  method          TEXT NOT NULL CHECK (method IN ('REQUEST','CANCEL')),
  recipient       TEXT NOT NULL,
  message_id      TEXT NOT NULL UNIQUE,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  ics             TEXT NOT NULL,
  parts           TEXT NOT NULL CHECK (parts IN ('inline','attachment','both')),  -- where the request goes in the mail
  status          TEXT NOT NULL CHECK (status IN ('pending','sending','sent','dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_object ON mail_outbox(calendar_id, object_id, created_at);
