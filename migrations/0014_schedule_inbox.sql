-- Each user's schedule inbox (RFC 6638 §2.2): the iTIP REQUEST and CANCEL messages other
-- Calcast users' scheduling objects delivered to them, written in the organizer's write's own
-- transaction. A client lists, reads and deletes them as members of the inbox collection.
CREATE TABLE schedule_inbox (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  uri        TEXT NOT NULL,
  uid        TEXT NOT NULL,
  method     TEXT NOT NULL CHECK (method IN ('REQUEST','CANCEL')),
  data       TEXT NOT NULL,
  etag       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, uri)
);
