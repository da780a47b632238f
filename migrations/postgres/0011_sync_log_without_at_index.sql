-- PostgreSQL twin of ../0011_sync_log_without_at_index.sql.
DROP INDEX sync_log_at;
