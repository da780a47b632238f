-- Every write inserts an outbox row; an index on created_at made each of those writes pay for
-- a second B-tree insert only so that an hourly prune could find old rows. seq grows with time,
-- so the prune finds its cut-off on the primary key instead.
DROP INDEX outbox_created;
