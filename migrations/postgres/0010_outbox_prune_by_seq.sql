-- PostgreSQL twin of ../0010_outbox_prune_by_seq.sql.
DROP INDEX outbox_created;
