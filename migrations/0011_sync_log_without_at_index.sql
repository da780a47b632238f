-- Every poll inserts a sync_log row; the index on `at` made each of those inserts pay for a
-- second B-tree insert only so that the daily prune could find old rows. Rows are appended in
-- poll order, so the prune bisects the primary key instead.
DROP INDEX sync_log_at;
